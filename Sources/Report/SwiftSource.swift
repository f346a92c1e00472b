import Assignment
import NeuralEngine

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
        let lines = layers.map { layer -> String in
            switch layer {
            case .flatten: return "Flatten(),"
            case let .dense(units, activation, f): return "Dense(units: \(units), activation: .\(activation.rawValue)\(l2(f))),"
            case let .conv2D(filters, kernel, strides, padding, activation, f):
                return "Conv2D(filters: \(filters), kernelSize: \(kernel)\(strides == 1 ? "" : ", strides: \(strides)")\(padding == .valid ? "" : ", padding: .\(padding.rawValue)"), activation: .\(activation.rawValue)\(l2(f))),"
            case let .zeroPadding2D(p): return "ZeroPadding2D(padding: \(p)),"
            case let .averagePooling2D(p, s): return "AveragePooling2D(poolSize: \(p), strides: \(s)),"
            case let .maxPooling2D(p, s): return "MaxPooling2D(poolSize: \(p), strides: \(s)),"
            case let .dropout(rate): return "Dropout(rate: \(rate)),"
            case let .batchNormalization(m, e): return "BatchNormalization(momentum: \(m), epsilon: \(e)),"
            case let .randomTranslation(h, w): return "RandomTranslation(heightFactor: \(h), widthFactor: \(w)),"
            case let .randomRotation(f): return "RandomRotation(factor: \(f)),"
            }
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
