import Results
import Assignment
import Foundation
import Architecture

/// The runnable side of `KerasSource`: one Python script per model of the catalogue and the
/// engine's count of each model's weights, which `scripts/check-keras-listings` compares with
/// what Keras counts (`mnist-report keras-listings --out DIR` writes them).
extension KerasSource {
    /// A model's script and what the engine counts for it.
    public struct Script: Sendable {
        /// The model's name (`lenet5`).
        public let model: String
        /// The script's file name (`lenet5.py`).
        public let file: String
        public let source: String
        /// The engine's weights of the model, trainable and not (batch normalisation's running
        /// statistics included, as in Keras's `count_params()`).
        public let engineParameters: Int
    }

    /// Every model of the catalogue, with the notebook's hyper-parameters (the counts depend on
    /// the layers only).
    /// - Parameter engineParameters: the engine's count of a spec's weights, trainable and not,
    ///   from the model it builds (the rendering stage builds none).
    /// - Throws: what `engineParameters` throws.
    public static func scripts(engineParameters: (TrainingSpec) throws -> Int) throws -> [Script] {
        try ModelKind.allCases.map { kind in
            let spec = TrainingSpec(model: kind)
            let count = try engineParameters(spec)
            let definition = kind.definition
            let section = Catalogue.experiment(training: kind).map { " (section \($0.id))" } ?? ""
            return Script(model: kind.rawValue, file: kind.rawValue + ".py",
                          source: parameterScript(spec, title: "\(kind.rawValue): \(definition.summary)\(section), in Keras 3."),
                          engineParameters: count)
        }
    }

    /// `parameters.json`: `{"models": [{"model": …, "file": …, "engine_parameters": …}, …]}`.
    public static func manifest(_ scripts: [Script]) throws -> [UInt8] {
        struct Entry: Encodable {
            let model: String, file: String, engineParameters: Int
            enum CodingKeys: String, CodingKey { case model, file, engineParameters = "engine_parameters" }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let entries = scripts.map { Entry(model: $0.model, file: $0.file, engineParameters: $0.engineParameters) }
        return Array(try encoder.encode(["models": entries])) + [UInt8(ascii: "\n")]
    }
}
