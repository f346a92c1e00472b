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
        func l2(_ f: Float?) -> String { f.map { ", kernelRegularizer: L2(\(NumberFormat.factor($0)))" } ?? "" }
        // The engine's layer classes carry Keras's names (`typeName`, declared once); here only the arguments.
        let lines = layers.map { layer -> String in
            let arguments: String
            switch layer {
            case .flatten: arguments = ""
            case let .dense(units, activation, f): arguments = "units: \(units), activation: .\(activation.rawValue)\(l2(f))"
            case let .conv2D(filters, kernel, strides, padding, activation, f):
                arguments = "filters: \(filters), kernelSize: \(kernel)\(strides == 1 ? "" : ", strides: \(strides)")\(padding == .valid ? "" : ", padding: .\(padding.rawValue)"), activation: .\(activation.rawValue)\(l2(f))"
            case let .zeroPadding2D(p): arguments = "padding: \(p)"
            case let .averagePooling2D(p, s): arguments = "poolSize: \(p), strides: \(s)"
            case let .maxPooling2D(p, s): arguments = "poolSize: \(p), strides: \(s)"
            case let .dropout(rate): arguments = "rate: \(rate)"
            case let .batchNormalization(m, e): arguments = "momentum: \(m), epsilon: \(e)"
            case let .randomTranslation(h, w): arguments = "heightFactor: \(h), widthFactor: \(w)"
            case let .randomRotation(f): arguments = "factor: \(f)"
            }
            return "\(layer.typeName)(\(arguments)),"
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
