/// Plain stochastic gradient descent, w ← w − lr · g (Keras's `SGD` without momentum), at a
/// constant rate or one that follows a schedule.
public final class SGD: Optimizer {
    /// The rate of the next update (with a schedule, it is rewritten before each update).
    public var learningRate: Float
    public let schedule: CosineDecay?
    public private(set) var iterations = 0

    public init(learningRate: Float = 0.01) {
        precondition(learningRate > 0 && learningRate.isFinite, "SGD learning rate must be positive, got \(learningRate)")
        self.learningRate = learningRate
        self.schedule = nil
    }

    /// SGD whose rate follows `schedule` step by step (Keras: `SGD(learning_rate=CosineDecay(…))`).
    public init(learningRate schedule: CosineDecay) {
        self.learningRate = schedule.initialLearningRate
        self.schedule = schedule
    }

    public var configuration: OptimizerConfiguration {
        .sgd(learningRate: schedule?.initialLearningRate ?? learningRate, schedule: schedule)
    }

    public func beginStep() {
        if let schedule { learningRate = schedule.learningRate(atStep: iterations) }
        iterations += 1
    }

    public func applySingle(_ parameter: Parameter) {
        let rate = learningRate
        parameter.gradient.scalars.withUnsafeBufferPointer { g in
            parameter.value.scalars.withUnsafeMutableBufferPointer { w in
                Products.axpy(count: w.count, alpha: -rate, x: g.baseAddress!, y: w.baseAddress!)
            }
        }
    }

    /// g + 2 · factor · w and the step in one pass over the two buffers, not three: the same
    /// roundings as `L2.addGradient` then `applySingle`, without writing the sum back to g.
    public func applySingle(_ parameter: Parameter, penalty: L2) {
        let (rate, decay) = (learningRate, 2 * penalty.factor)
        parameter.gradient.scalars.withUnsafeBufferPointer { g in
            parameter.value.scalars.withUnsafeMutableBufferPointer { w in
                precondition(g.count == w.count, "\(parameter.name): gradient and value differ in size")
                Kernels.penalisedStep(w.baseAddress!, g.baseAddress!, decay: decay, rate: -rate, count: w.count)
            }
        }
    }
}
