/// Adam (Kingma & Ba, 2015) as Keras implements it: with t the step count,
///   m ← β₁ m + (1 − β₁) g,  v ← β₂ v + (1 − β₂) g²,
///   w ← w − lr · √(1 − β₂ᵗ) / (1 − β₁ᵗ) · m / (√v + ε),
/// at a constant rate lr or one that follows a schedule, lr = schedule(t − 1).
public final class Adam: Optimizer {
    /// The rate of the next update (with a schedule, it is rewritten before each update).
    public var learningRate: Float
    public let schedule: CosineDecay?
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    /// The number of steps taken.
    public private(set) var step = 0
    private var moments: [ObjectIdentifier: (m: [Float], v: [Float])] = [:]

    public convenience init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) {
        self.init(rate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, schedule: nil)
    }

    /// Adam whose rate follows `schedule` step by step (Keras: `Adam(learning_rate=CosineDecay(…))`).
    public convenience init(learningRate schedule: CosineDecay, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) {
        self.init(rate: schedule.initialLearningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, schedule: schedule)
    }

    private init(rate learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, schedule: CosineDecay?) {
        precondition(learningRate > 0 && learningRate.isFinite, "Adam learning rate must be positive, got \(learningRate)")
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2), "Adam betas must lie in [0, 1), got \(beta1), \(beta2)")
        precondition(epsilon > 0, "Adam epsilon must be positive, got \(epsilon)")
        (self.learningRate, self.beta1, self.beta2, self.epsilon) = (learningRate, beta1, beta2, epsilon)
        self.schedule = schedule
    }

    public var configuration: OptimizerConfiguration {
        .adam(learningRate: schedule?.initialLearningRate ?? learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
              schedule: schedule)
    }

    public var iterations: Int { step }

    public func beginStep() {
        if let schedule { learningRate = schedule.learningRate(atStep: step) }
        step += 1
    }

    public func applySingle(_ parameter: Parameter) {
        let key = ObjectIdentifier(parameter)
        var state = moments.removeValue(forKey: key)
            ?? ([Float](repeating: 0, count: parameter.count), [Float](repeating: 0, count: parameter.count))
        let t = max(step, 1)
        let rate = learningRate * Float(1 - Elementary.power(Double(beta2), t)).squareRoot()
            / Float(1 - Elementary.power(Double(beta1), t))
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        parameter.gradient.scalars.withUnsafeBufferPointer { g in
            parameter.value.scalars.withUnsafeMutableBufferPointer { w in
                state.m.withUnsafeMutableBufferPointer { m in
                    state.v.withUnsafeMutableBufferPointer { v in
                        // 16 lanes at a time, the same operations in the same order as the scalar tail.
                        typealias V = Kernels.Vector
                        let (count, g, w, m, v) = (w.count, g.baseAddress!, w.baseAddress!, m.baseAddress!, v.baseAddress!)
                        let (vb1, vb2, c1, c2) = (V(repeating: b1), V(repeating: b2), V(repeating: 1 - b1), V(repeating: 1 - b2))
                        let (vRate, vEps) = (V(repeating: rate), V(repeating: eps))
                        var i = 0
                        while i + Kernels.width <= count {
                            let gi = Kernels.load(g + i)
                            let mi = vb1 * Kernels.load(m + i) + c1 * gi
                            let vi = vb2 * Kernels.load(v + i) + c2 * gi * gi
                            Kernels.store(mi, m + i)
                            Kernels.store(vi, v + i)
                            Kernels.store(Kernels.load(w + i) - vRate * mi / (vi.squareRoot() + vEps), w + i)
                            i += Kernels.width
                        }
                        while i < count {
                            let gi = g[i]
                            m[i] = b1 * m[i] + (1 - b1) * gi
                            v[i] = b2 * v[i] + (1 - b2) * gi * gi
                            w[i] -= rate * m[i] / (v[i].squareRoot() + eps)
                            i += 1
                        }
                    }
                }
            }
        }
        moments[key] = state
    }
}
