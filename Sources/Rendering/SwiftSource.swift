import Results
import Assignment
import Architecture

/// The Swift that builds and trains a model, written from its configuration, for the report's
/// code blocks (beside the same model in Keras, `KerasSource`).
public enum SwiftSource {
    /// The model, its optimiser and `fit` with the hyper-parameters of `spec`, on the data of
    /// section 1.1 (`PreparedData`), validating on the test split as the notebook does; `layers`
    /// and `optimizer` as a run recorded them, when they are not `spec`'s.
    public static func listing(_ spec: TrainingSpec, layers: [LayerConfiguration]? = nil, optimizer: OptimizerConfiguration? = nil) -> String {
        let h = spec.hyperparameters
        return model(layers ?? spec.layers, optimizer: optimizer ?? spec.optimizer) + "\n"
            + "let history = try model.fit(x: data.trainX, y: data.trainY, batchSize: \(h.batchSize), epochs: \(h.epochs),\n"
            + "                            optimizer: optimizer, validationData: (data.testX, data.testY), using: &generator)"
    }

    public static func model(_ layers: [LayerConfiguration], optimizer: OptimizerConfiguration) -> String {
        // The class and its arguments are the configuration's (`typeName`, `arguments`, declared
        // once); here only how Swift spells them.
        let lines = layers.map { layer -> String in
            let arguments = layer.arguments.filter { !$0.kerasOnly }.map { argument -> String in
                let value = switch argument.value {
                case let .integer(n): "\(n)"
                case let .number(x): "\(x)"
                case let .choice(name): ".\(name)"
                case let .l2(factor): "L2(\(NumberFormat.factor(factor)))"
                }
                return "\(argument.swiftLabel): \(value)"
            }
            return "\(layer.typeName)(\(arguments.joined(separator: ", "))),"
        }
        func rate(_ lr: Float, _ schedule: CosineDecay?) -> String {
            schedule.map { "CosineDecay(initialLearningRate: \($0.initialLearningRate), decaySteps: \($0.decaySteps), alpha: \($0.alpha))" } ?? "\(lr)"
        }
        let optimizerLine: String
        switch optimizer {
        case let .sgd(lr, schedule): optimizerLine = "let optimizer = SGD(learningRate: \(rate(lr, schedule)))"
        case let .adam(lr, _, _, _, schedule): optimizerLine = "let optimizer = Adam(learningRate: \(rate(lr, schedule)))"
        }
        return "let model = Sequential([\n" + lines.map { "    " + $0 }.joined(separator: "\n") + "\n])\n"
            + "try model.build(inputShape: \(TrainingSpec.inputShape), using: &generator)\n" + optimizerLine
    }
}
