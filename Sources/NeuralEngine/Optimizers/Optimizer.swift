/// An optimiser: a rule that updates one parameter from its gradient, and the walk that applies
/// it to every parameter of a model once per batch.
public protocol Optimizer: AnyObject {
    /// The step size.
    var learningRate: Float { get set }
    /// A description for reports and cache keys (`SGD(learning_rate=0.1)`).
    var configuration: OptimizerConfiguration { get }
    /// Starts a new step (Adam counts steps for its bias correction).
    func beginStep()
    /// Updates `parameter.value` from `parameter.gradient`.
    func applySingle(_ parameter: Parameter)
}

extension Optimizer {
    public func beginStep() {}

    /// One update of every parameter: the rule applied to each, in order.
    public func apply(to parameters: [Parameter]) {
        beginStep()
        for parameter in parameters { applySingle(parameter) }
    }
}

/// An optimiser's type and hyper-parameters as data.
public enum OptimizerConfiguration: Codable, Equatable, Hashable, Sendable {
    case sgd(learningRate: Float)
    case adam(learningRate: Float, beta1: Float, beta2: Float, epsilon: Float)

    /// A new optimiser with this configuration and fresh state.
    public func makeOptimizer() -> any Optimizer {
        switch self {
        case let .sgd(learningRate):
            return SGD(learningRate: learningRate)
        case let .adam(learningRate, beta1, beta2, epsilon):
            return Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon)
        }
    }
}
