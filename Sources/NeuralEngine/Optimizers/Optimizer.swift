/// An optimiser: a rule that updates one parameter from its gradient, and the walk that applies
/// it to every parameter of a model once per batch.
public protocol Optimizer: AnyObject {
    /// The step size of the next update.
    var learningRate: Float { get set }
    /// The schedule the rate follows, step by step; nil for a constant rate.
    var schedule: CosineDecay? { get }
    /// The number of updates taken (Keras's `optimizer.iterations`).
    var iterations: Int { get }
    /// A description for reports and cache keys (`SGD(learning_rate=0.1)`).
    var configuration: OptimizerConfiguration { get }
    /// Starts a new step: counts it and, with a schedule, sets the step's rate.
    func beginStep()
    /// Updates `parameter.value` from `parameter.gradient`.
    func applySingle(_ parameter: Parameter)
}

extension Optimizer {
    /// One update of every parameter: the rule applied to each, in order.
    public func apply(to parameters: [Parameter]) {
        beginStep()
        for parameter in parameters { applySingle(parameter) }
    }

    /// The rate as Keras reports it (`optimizer.learning_rate`): the rate the next update will
    /// use, schedule(iterations) with a schedule.
    public var currentLearningRate: Float {
        schedule?.learningRate(atStep: iterations) ?? learningRate
    }
}

extension OptimizerConfiguration {
    /// A new optimiser with this configuration and fresh state.
    public func makeOptimizer() -> any Optimizer {
        switch self {
        case let .sgd(learningRate, schedule):
            return schedule.map { SGD(learningRate: $0) } ?? SGD(learningRate: learningRate)
        case let .adam(learningRate, beta1, beta2, epsilon, schedule):
            return schedule.map { Adam(learningRate: $0, beta1: beta1, beta2: beta2, epsilon: epsilon) }
                ?? Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon)
        }
    }
}
