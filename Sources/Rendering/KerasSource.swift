import Results
import Assignment
import Foundation
import Architecture

/// The Keras 3 code of a model of the report, written from the same `LayerConfiguration`s and
/// `OptimizerConfiguration` the engine trains (and `SwiftSource` prints), so the two listings
/// cannot disagree: the assignment's code beside the engine's.
///
/// Every layer configuration has its Keras call in one exhaustive switch (`layer(_:l2:)`): a new
/// case does not compile until it has one. `scripts/check-keras-listings` runs the scripts of
/// `parameterScript(_:title:)` in Keras and compares each model's `count_params()` with the engine's.
public enum KerasSource {
    /// The report's listing: the model, `compile` and `fit` with the hyper-parameters of `spec`;
    /// `layers` and `optimizer` as a run recorded them, when they are not `spec`'s.
    public static func listing(_ spec: TrainingSpec, layers: [LayerConfiguration]? = nil, optimizer: OptimizerConfiguration? = nil) -> String {
        (["import keras", ""] + model((layers ?? spec.layers).map { layer($0) }) + compile(optimizer ?? spec.optimizer) + fit(spec.hyperparameters))
            .joined(separator: "\n")
    }

    /// A script that builds and compiles the model as `listing` does, then prints its number of
    /// weights (`count_params()`, trainable and not), preceded by a comment naming the model.
    public static func parameterScript(_ spec: TrainingSpec, title: String) -> String {
        (["# \(title)", "# Written by `mnist-report keras-listings`; prints the model's count_params().", "import keras", ""]
            + model(spec.layers.map { layer($0) }) + compile(spec.optimizer) + ["print(model.count_params())"])
            .joined(separator: "\n") + "\n"
    }

    /// The L2 sweep as the notebook runs it: a loop over the factors and the replicates, each
    /// building, compiling and fitting the model with `factor` in the layers whose L2 factor is
    /// the swept one.
    /// - Precondition: the model's layers differ between factors only in those L2 factors.
    public static func sweep(_ model: ModelKind, _ sweep: Sweep, hyperparameters: Hyperparameters) -> String {
        let variable = "factor"
        let perFactor = sweep.factors.map { factor in
            model.layers(l2: factor).map { configuration in
                layer(configuration, l2: { value in value == factor ? variable : literal(value) })
            }
        }
        guard let layers = perFactor.first, perFactor.allSatisfy({ $0 == layers }) else {
            preconditionFailure("the sweep of \(model) changes its layers in more than their L2 factor")
        }
        var first = hyperparameters
        first.l2 = sweep.factors.first
        let body = self.model(layers) + compile(model.optimizer(first)) + fit(hyperparameters)
        let (imports, factors) = factorsExpression(sweep.factors)
        return (["import keras"] + imports + ["", "for \(variable) in \(factors):", "    for replicate in range(\(sweep.replicates)):"]
            + body.map { "        " + $0 }).joined(separator: "\n")
    }

    /// `keras.Sequential([...])` with the input's shape first.
    static func model(_ layers: [String]) -> [String] {
        let shape = TrainingSpec.inputShape.map(String.init).joined(separator: ", ")
        return ["model = keras.Sequential(["] + (["keras.Input(shape=(\(shape)))"] + layers).map { "    \($0)," } + ["])"]
    }

    /// One layer as its `keras.layers` call; `l2` writes a kernel regulariser's factor (a
    /// literal, or the sweep's variable).
    static func layer(_ configuration: LayerConfiguration, l2: (Float) -> String = literal) -> String {
        // The class and its arguments are the configuration's (`typeName`, `arguments`, declared
        // once); here only how Keras spells them.
        let arguments = configuration.arguments.map { argument -> String in
            let value = switch argument.value {
            case let .integer(n): "\(n)"
            case let .number(x): literal(x)
            case let .choice(name): "\"\(name)\""
            case let .l2(factor): "keras.regularizers.L2(\(l2(factor)))"
            }
            return argument.kerasKeyword.map { "\($0)=\(value)" } ?? value
        }
        return "keras.layers.\(configuration.typeName)(\(arguments.joined(separator: ", ")))"
    }

    /// Keras's defaults for Adam's moments, left out of the listing when the model uses them.
    static let kerasAdamDefaults: (beta1: Float, beta2: Float, epsilon: Float) = (0.9, 0.999, 1e-7)

    /// `model.compile(...)` with the optimiser (and its schedule, on a line of its own before it).
    static func compile(_ optimizer: OptimizerConfiguration) -> [String] {
        let schedule = optimizer.schedule.map { s in
            "schedule = keras.optimizers.schedules.CosineDecay(initial_learning_rate=\(literal(s.initialLearningRate)), "
                + "decay_steps=\(s.decaySteps)\(s.alpha == 0 ? "" : ", alpha=\(literal(s.alpha))"))"
        }
        let optimizerCall: String
        switch optimizer {
        case let .sgd(learningRate, _):
            optimizerCall = "keras.optimizers.SGD(learning_rate=\(schedule == nil ? literal(learningRate) : "schedule"))"
        case let .adam(learningRate, beta1, beta2, epsilon, _):
            let defaults = kerasAdamDefaults
            let moments = (beta1 == defaults.beta1 ? [] : ["beta_1=\(literal(beta1))"]) + (beta2 == defaults.beta2 ? [] : ["beta_2=\(literal(beta2))"])
                + (epsilon == defaults.epsilon ? [] : ["epsilon=\(literal(epsilon))"])
            optimizerCall = "keras.optimizers.Adam(" + (["learning_rate=\(schedule == nil ? literal(learningRate) : "schedule")"] + moments)
                .joined(separator: ", ") + ")"
        }
        return (schedule.map { [$0] } ?? []) + [
            "model.compile(optimizer=\(optimizerCall),",
            "              loss=\"categorical_crossentropy\", metrics=[\"accuracy\"])",
        ]
    }

    /// `model.fit(...)` on the data of section 1.1, validating on the test split as the notebook does.
    static func fit(_ hyperparameters: Hyperparameters) -> [String] {
        ["history = model.fit(x_train, y_train, batch_size=\(hyperparameters.batchSize), epochs=\(hyperparameters.epochs),",
         "                    validation_data=(x_test, y_test))"]
    }

    /// The factors as Python: `numpy.linspace(first, last, n)` when they are evenly spaced (as
    /// the notebook's are), a list otherwise; with the imports the expression needs.
    static func factorsExpression(_ factors: [Float]) -> (imports: [String], expression: String) {
        let values = factors.map(Double.init)
        if values.count >= 2, let first = values.first, let last = values.last, first != last {
            let step = (last - first) / Double(values.count - 1)
            let tolerance = 1e-6 * max(abs(first), abs(last))
            if values.indices.allSatisfy({ abs(values[$0] - (first + Double($0) * step)) <= tolerance }) {
                return (["import numpy"], "numpy.linspace(\(literal(factors[0])), \(literal(factors[factors.count - 1])), \(factors.count))")
            }
        }
        return ([], "[" + factors.map(literal).joined(separator: ", ") + "]")
    }

    /// A Float as a Python literal that reads back as the same float32: Swift's shortest
    /// round-tripping digits, with the exponent's leading zero dropped ("0.1", "1e-5", "0.027777778").
    static func literal(_ value: Float) -> String {
        "\(value)".replacingOccurrences(of: "e-0", with: "e-")
    }
}
