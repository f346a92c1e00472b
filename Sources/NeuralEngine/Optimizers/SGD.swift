/// Plain stochastic gradient descent, w ← w − lr · g (Keras's `SGD` without momentum).
public final class SGD: Optimizer {
    public var learningRate: Float

    public init(learningRate: Float = 0.01) {
        precondition(learningRate > 0 && learningRate.isFinite, "SGD learning rate must be positive, got \(learningRate)")
        self.learningRate = learningRate
    }

    public var configuration: OptimizerConfiguration { .sgd(learningRate: learningRate) }

    public func applySingle(_ parameter: Parameter) {
        let rate = learningRate
        parameter.gradient.scalars.withUnsafeBufferPointer { g in
            parameter.value.scalars.withUnsafeMutableBufferPointer { w in
                BLAS.axpy(count: w.count, alpha: -rate, x: g.baseAddress!, y: w.baseAddress!)
            }
        }
    }
}
