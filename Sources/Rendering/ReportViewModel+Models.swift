import Results
import Assignment
import Foundation
import Architecture

/// The models' code, summaries and layer tables.
extension ReportViewModel {
    /// Each model's listings (Swift and Keras, highlighted) show the hyper-parameters of its
    /// training in `results` (`trainedSpec`); the other values are the notebook's defaults.
    static func models(_ results: ResultsDocument) -> [String: Any] {
        var result: [String: Any] = [:]
        for kind in ModelKind.allCases {
            let spec = TrainingSpec(model: kind)
            let (trained, record) = trainedSpec(kind, in: results)
            // The model as the run trained it (schema 2), else as this version defines it.
            let (layers, optimizer) = (record?.layers ?? trained.layers, record?.optimizer ?? trained.optimizer)
            let model = try? ModelDescription(layers, inputShape: TrainingSpec.inputShape)
            var entry: [String: Any] = [
                "listing_id": kind.rawValue,
                "swift_html": SyntaxHighlighter.html(SwiftSource.listing(trained, layers: layers, optimizer: optimizer), language: .swift),
                "keras_html": SyntaxHighlighter.html(KerasSource.listing(trained, layers: layers, optimizer: optimizer), language: .python),
                // Results from before schema 2 do not say which model they trained.
                "unrecorded": record != nil && record?.layers == nil,
                "summary": model?.summary() ?? "",
                "params": ModelDescription.grouped(model?.parameters ?? 0),
                "shape": model.map { m in
                    ([m.inputShape.reduce(1, *)] + m.layers.compactMap { if case let .dense(units, _, _) = $0.configuration { units } else { nil } })
                        .map(String.init).joined(separator: "-")
                } ?? "",
                "epochs": String(kind.defaults.epochs), "batch": String(kind.defaults.batchSize),
                "learning_rate": String(format: "%g", Double(kind.defaults.learningRate)),
            ]
            if case let .adam(_, beta1, beta2, epsilon, _) = optimizer {
                entry["beta1"] = String(format: "%g", Double(beta1))
                entry["beta2"] = String(format: "%g", Double(beta2))
                entry["epsilon"] = String(format: "%g", Double(epsilon)).replacingOccurrences(of: "e-0", with: "e-")
            }
            if let model {
                let rows = layerRows(model)
                entry["layers"] = rows
                entry["dense"] = rows.filter { $0["type"] as? String == "Dense" }
                entry["by_name"] = Dictionary(uniqueKeysWithValues: rows.map { ($0["name"] as! String, $0 as Any) })
            }
            result[kind.rawValue] = entry
        }
        return result
    }

    /// The layers of `kind` as `results` trained them (schema 2), else as this version defines them.
    static func layers(_ kind: ModelKind, in results: ResultsDocument) -> [LayerConfiguration] {
        let (spec, record) = trainedSpec(kind, in: results)
        return record?.layers ?? spec.layers
    }

    /// The spec `results` trained `kind` with: its own training (`3.1`) or its variant's
    /// (`3.1b-no-augmentation`), else the notebook's defaults when the run did not train it.
    static func trainedSpec(_ kind: ModelKind, in results: ResultsDocument) -> (spec: TrainingSpec, record: TrainingRecord?) {
        guard let experiment = Catalogue.experiment(training: kind) else { return (TrainingSpec(model: kind), nil) }
        let variant = experiment.variants.first { $0.model.name == kind.rawValue }
        let id: String? = experiment.model.name == kind.rawValue ? experiment.id : variant.map { experiment.trainingID($0) }
        guard let record = results.trainings.first(where: { $0.id == id && $0.model == kind }) else { return (TrainingSpec(model: kind), nil) }
        return (TrainingSpec(model: kind, hyperparameters: record.hyperparameters, seed: record.seed), record)
    }

    /// One row per layer: name, type, output shape ("28 × 28 × 6"), input size, units or
    /// filters, activation, and the parameter count with the product it comes from.
    static func layerRows(_ model: ModelDescription) -> [[String: Any]] {
        var rows: [[String: Any]] = []
        for layer in model.layers {
            let (inputShape, configuration) = (layer.inputShape, layer.configuration)
            let inputs = inputShape.reduce(1, *)
            var row: [String: Any] = [
                "name": layer.name, "type": layer.type,
                "output": layer.outputShape.map(String.init).joined(separator: " × "),
                "input": inputShape.map(String.init).joined(separator: " × "),
                "inputs": ModelDescription.grouped(inputs),
                "params": ModelDescription.grouped(layer.parameters),
                "formula": "–", "activation": "–",
            ]
            switch configuration {
            case let .dense(units, activation, l2):
                row["units"] = String(units)
                row["activation"] = activation.rawValue
                row["formula"] = "\(ModelDescription.grouped(inputs)) × \(units) + \(units)"
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
        }
        return rows
    }
}
