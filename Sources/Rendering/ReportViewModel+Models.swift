import Results
import Assignment
import Foundation
import Architecture

/// The models' code, summaries and layer tables.
extension ReportViewModel {
    /// Each model's listings (Swift and Keras, highlighted) show the hyper-parameters of its
    /// training in `results` (`trainedSpec`); the other values are the notebook's defaults.
    static func models(_ results: ResultsDocument) -> [String: ModelView] {
        var result: [String: ModelView] = [:]
        for kind in ModelKind.allCases {
            let (trained, record) = trainedSpec(kind, in: results)
            // The model as the run trained it (schema 2), else as this version defines it.
            let (layers, optimizer) = (record?.layers ?? trained.layers, record?.optimizer ?? trained.optimizer)
            let model = try? ModelDescription(layers, inputShape: TrainingSpec.inputShape)
            var view = ModelView(
                listingID: kind.rawValue,
                swiftHTML: SyntaxHighlighter.html(SwiftSource.listing(trained, layers: layers, optimizer: optimizer), language: .swift),
                kerasHTML: SyntaxHighlighter.html(KerasSource.listing(trained, layers: layers, optimizer: optimizer), language: .python),
                // Results from before schema 2 do not say which model they trained.
                unrecorded: record != nil && record?.layers == nil,
                summary: model?.summary() ?? "",
                params: ModelDescription.grouped(model?.parameters ?? 0),
                shape: model.map { m in
                    ([m.inputShape.reduce(1, *)] + m.layers.compactMap { if case let .dense(units, _, _) = $0.configuration { units } else { nil } })
                        .map(String.init).joined(separator: "-")
                } ?? "",
                epochs: String(kind.defaults.epochs), batch: String(kind.defaults.batchSize),
                learningRate: String(format: "%g", Double(kind.defaults.learningRate)))
            if case let .adam(_, beta1, beta2, epsilon, _) = optimizer {
                view.beta1 = String(format: "%g", Double(beta1))
                view.beta2 = String(format: "%g", Double(beta2))
                view.epsilon = String(format: "%g", Double(epsilon)).replacingOccurrences(of: "e-0", with: "e-")
            }
            if let model {
                let rows = model.layers.map(LayerRow.init)
                view.layers = rows
                view.dense = zip(model.layers, rows).filter { layer, _ in if case .dense = layer.configuration { true } else { false } }.map(\.1)
                view.byName = Dictionary(uniqueKeysWithValues: rows.map { ($0.name, $0) })
            }
            result[kind.rawValue] = view
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
}

/// A model as the report shows it: its listings, summary, counts and training settings, and
/// its layers (nil when the layers recorded do not describe a model).
struct ModelView {
    var listingID, swiftHTML, kerasHTML: String
    var unrecorded: Bool
    var summary, params: String
    /// The dense layers' widths from the input: "784-64-64-10".
    var shape, epochs, batch, learningRate: String
    /// Adam's constants; nil for plain SGD.
    var beta1: String?
    var beta2: String?
    var epsilon: String?
    var layers: [LayerRow]?
    var dense: [LayerRow]?
    var byName: [String: LayerRow]?
}

/// One layer of a model's table: name, type, output and input shapes ("28 × 28 × 6"), input
/// size, the parameter count with the product it comes from, and the constructor's arguments
/// that the tables show, as the layer type declares them (`LayerConfiguration.arguments`).
struct LayerRow {
    var name, type, output, input, inputs, params, formula, activation: String
    /// A dense layer's units, a convolution's filters.
    var units: String?
    var kernel: String?
    var pool: String?
    var strides: String?
    var padding: String?
    var rate: String?
    var l2: String?

    init(_ layer: ModelDescription.Layer) {
        name = layer.name
        type = layer.type
        output = layer.outputShape.map(String.init).joined(separator: " × ")
        input = layer.inputShape.map(String.init).joined(separator: " × ")
        inputs = ModelDescription.grouped(layer.inputShape.reduce(1, *))
        params = ModelDescription.grouped(layer.parameters)
        formula = layer.parameterFormula ?? "–"
        activation = "–"
        for argument in layer.configuration.arguments where !argument.kerasOnly {
            let text: String
            switch argument.value {
            case let .integer(value): text = String(value)
            case let .number(value): text = String(format: "%g", Double(value))
            case let .choice(name): text = name
            case let .l2(factor): text = NumberFormat.factor(factor)
            }
            switch argument.swiftLabel {
            case "units", "filters": units = text
            case "kernelSize": kernel = "\(text) × \(text)"
            case "poolSize": pool = "\(text) × \(text)"
            case "strides": strides = text
            case "padding": padding = text
            case "rate": rate = text
            case "activation": activation = text
            case "kernelRegularizer": l2 = text
            default: break
            }
        }
    }
}
