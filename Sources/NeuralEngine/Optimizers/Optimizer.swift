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
    /// Updates `parameter.value` from `parameter.gradient` plus the gradient of `penalty`, as
    /// `penalty.addGradient` then `applySingle` would (a rule may do both in one pass, with
    /// the same bits, and leave `parameter.gradient` without the penalty's part).
    func applySingle(_ parameter: Parameter, penalty: L2)
}

extension Optimizer {
    public func applySingle(_ parameter: Parameter, penalty: L2) {
        penalty.addGradient(of: parameter.value, to: &parameter.gradient)
        applySingle(parameter)
    }

    /// One update of every parameter: the rule applied to each, in order. With
    /// `addingPenalties`, the gradients are the layers' alone, and each regulariser's gradient
    /// joins its parameter's in the update (`Sequential.backward(_:addingPenalties:)` left
    /// them out).
    public func apply(to parameters: [Parameter], addingPenalties: Bool = false) {
        beginStep()
        for parameter in parameters {
            if addingPenalties, let penalty = parameter.regularizer, penalty.factor != 0 {
                applySingle(parameter, penalty: penalty)
            } else {
                applySingle(parameter)
            }
        }
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
