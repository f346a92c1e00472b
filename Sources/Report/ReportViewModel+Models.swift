import Assignment
import Foundation
import MNIST
import NeuralEngine

/// The models' code, summaries and layer tables.
extension ReportViewModel {
    static func models() -> [String: Any] {
        var result: [String: Any] = [:]
        for kind in ModelKind.allCases {
            let spec = TrainingSpec(model: kind)
            var generator = SeededGenerator(seed: 0)
            let model = try? spec.makeModel(using: &generator)
            var entry: [String: Any] = [
                "code": SwiftSource.model(spec.layers, optimizer: spec.optimizer),
                "summary": model?.summary() ?? "",
                "params": Sequential.grouped(model?.parameterCount ?? 0),
                "shape": model.map { m in
                    ([m.inputShape.reduce(1, *)] + m.layers.filter { $0.typeName == "Dense" }.map { $0.outputShape.reduce(1, *) })
                        .map(String.init).joined(separator: "-")
                } ?? "",
                "epochs": String(kind.defaults.epochs), "batch": String(kind.defaults.batchSize),
                "learning_rate": String(format: "%g", Double(kind.defaults.learningRate)),
            ]
            if case let .adam(_, beta1, beta2, epsilon, _) = spec.optimizer {
                entry["beta1"] = String(format: "%g", Double(beta1))
                entry["beta2"] = String(format: "%g", Double(beta2))
                entry["epsilon"] = String(format: "%g", Double(epsilon)).replacingOccurrences(of: "e-0", with: "e-")
            }
            if let model {
                let rows = layerRows(model, configurations: spec.layers)
                entry["layers"] = rows
                entry["dense"] = rows.filter { $0["type"] as? String == "Dense" }
                entry["by_name"] = Dictionary(uniqueKeysWithValues: rows.map { ($0["name"] as! String, $0 as Any) })
            }
            result[kind.rawValue] = entry
        }
        return result
    }

    /// One row per layer: name, type, output shape ("28 × 28 × 6"), input size, units or
    /// filters, activation, and the parameter count with the product it comes from.
    static func layerRows(_ model: Sequential, configurations: [LayerConfiguration]) -> [[String: Any]] {
        var inputShape = [28, 28, 1]
        var rows: [[String: Any]] = []
        for (layer, configuration) in zip(model.layers, configurations) {
            let inputs = inputShape.reduce(1, *)
            var row: [String: Any] = [
                "name": layer.name, "type": layer.typeName,
                "output": layer.outputShape.map(String.init).joined(separator: " × "),
                "input": inputShape.map(String.init).joined(separator: " × "),
                "inputs": Sequential.grouped(inputs),
                "params": Sequential.grouped(layer.parameterCount),
                "formula": "–", "activation": "–",
            ]
            switch configuration {
            case let .dense(units, activation, l2):
                row["units"] = String(units)
                row["activation"] = activation.rawValue
                row["formula"] = "\(Sequential.grouped(inputs)) × \(units) + \(units)"
                row["l2"] = l2.map { NumberFormat.factor($0) } ?? "–"
            case let .conv2D(filters, kernel, _, _, activation, _):
                let channels = inputShape.last ?? 1
                row["units"] = String(filters)
                row["kernel"] = "\(kernel) × \(kernel)"
                row["activation"] = activation.rawValue
                row["formula"] = "\(kernel) × \(kernel) × \(channels) × \(filters) + \(filters)"
            case let .averagePooling2D(pool, strides), let .maxPooling2D(pool, strides):
                row["pool"] = "\(pool) × \(pool)"
                row["strides"] = String(strides)
            case let .zeroPadding2D(padding):
                row["padding"] = String(padding)
            case let .dropout(rate):
                row["rate"] = String(format: "%g", Double(rate))
            case .flatten, .batchNormalization, .randomTranslation, .randomRotation:
                break
            }
            rows.append(row)
            inputShape = layer.outputShape
        }
        return rows
    }
}

/// The Swift that builds a model, written from its configuration, for the report's code blocks.
public enum SwiftSource {
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
            + "try model.build(inputShape: [28, 28, 1], using: &generator)\n" + optimizerLine
    }
}
