/// An optimiser's type and hyper-parameters as data.
///
/// A schedule, when present, sets the rate step by step and `learningRate` is its initial
/// rate. Without one the schedule is absent from the encoded JSON, which is therefore what it
/// was before schedules existed (cache keys hash it).
public enum OptimizerConfiguration: Codable, Equatable, Hashable, Sendable {
    case sgd(learningRate: Float, schedule: CosineDecay? = nil)
    case adam(learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, schedule: CosineDecay? = nil)

    /// The learning-rate schedule, if any.
    public var schedule: CosineDecay? {
        switch self {
        case let .sgd(_, schedule), let .adam(_, _, _, _, schedule): return schedule
        }
    }
}

/// A learning rate that follows half a cosine from `initialLearningRate` down to
/// `alpha · initialLearningRate` over `decaySteps` optimizer steps, then stays there
/// (Keras's `CosineDecay` without warm-up). At step t (the number of steps already taken,
/// Keras's `optimizer.iterations`, so the first update uses t = 0):
///
///   lr(t) = initial · ((1 − α) · ½ · (1 + cos(π · min(t, decaySteps) / decaySteps)) + α).
public struct CosineDecay: Codable, Hashable, Sendable {
    public let initialLearningRate: Float
    public let decaySteps: Int
    /// The final rate as a fraction of the initial one.
    public let alpha: Float

    /// - Parameters:
    ///   - initialLearningRate: the rate of the first step, positive and finite.
    ///   - decaySteps: the steps over which the rate decays, at least 1.
    ///   - alpha: the final fraction of the initial rate, in [0, 1].
    public init(initialLearningRate: Float, decaySteps: Int, alpha: Float = 0) {
        if let problem = Self.problem(initialLearningRate, decaySteps, alpha) { preconditionFailure(problem) }
        (self.initialLearningRate, self.decaySteps, self.alpha) = (initialLearningRate, decaySteps, alpha)
    }

    /// What is wrong with these values, or nil.
    static func problem(_ initial: Float, _ steps: Int, _ alpha: Float) -> String? {
        if !(initial > 0 && initial.isFinite) { return "CosineDecay initial learning rate must be positive and finite, got \(initial)" }
        if steps < 1 { return "CosineDecay decay steps must be at least 1, got \(steps)" }
        if !(0...1).contains(alpha) { return "CosineDecay alpha must lie in [0, 1], got \(alpha)" }
        return nil
    }

    enum CodingKeys: String, CodingKey { case initialLearningRate, decaySteps, alpha }

    /// Decodes and checks the values as `init` does, so a schedule read from a file cannot trap.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let initial = try container.decode(Float.self, forKey: .initialLearningRate)
        let steps = try container.decode(Int.self, forKey: .decaySteps)
        let alpha = try container.decode(Float.self, forKey: .alpha)
        if let problem = Self.problem(initial, steps, alpha) {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: problem))
        }
        (initialLearningRate, decaySteps, self.alpha) = (initial, steps, alpha)
    }
}
