import Architecture

/// One of the report's models, by the name the command line and results files use (`mlp64`,
/// `mlp500`, `lenet5`): a key into `Catalogue.models`, where each is defined. Encoded as that
/// name, so specs and results read the same as when this was an enum.
public struct ModelKind: CatalogueName, Hashable, Sendable, CustomStringConvertible {
    public static let kind = "a model of the report"
    public let rawValue: String

    /// Nil for a name the catalogue does not define.
    public init?(rawValue: String) {
        guard Catalogue.models.contains(where: { $0.name == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    public init(_ definition: ModelDefinition) { rawValue = definition.name }

    public static var allCases: [ModelKind] { Catalogue.models.map(ModelKind.init) }
    public static let mlp64 = ModelKind(Catalogue.mlp64)
    public static let mlp500 = ModelKind(Catalogue.mlp500)
    public static let lenet5 = ModelKind(Catalogue.lenet5)

    public var definition: ModelDefinition { Catalogue.models.first { $0.name == rawValue }! }
    public var description: String { rawValue }

    /// The section of the assignment that trains the model.
    public var section: String { Catalogue.experiment(training: self)?.id ?? "" }
    /// The notebook's default hyper-parameters for this model.
    public var defaults: Hyperparameters { definition.defaults }
    /// The layers, given the L2 factor where the model has one.
    public func layers(l2: Float?) -> [LayerConfiguration] { definition.layers(l2) }
    /// The model's optimiser for the given hyper-parameters.
    public func optimizer(_ hyperparameters: Hyperparameters) -> OptimizerConfiguration { definition.optimizer(hyperparameters) }
}

/// The knobs of one training.
public struct Hyperparameters: Codable, Hashable, Sendable {
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Float
    /// The L2 factor of the regularised layers, for models that have them.
    public var l2: Float?

    public init(epochs: Int, batchSize: Int, learningRate: Float, l2: Float?) {
        (self.epochs, self.batchSize, self.learningRate, self.l2) = (epochs, batchSize, learningRate, l2)
    }

    /// The values accepted on the command line (`train`, `build --set`): wide enough for any
    /// experiment on MNIST, narrow enough that a typo (`epochs=1e300`) is caught when parsed.
    public static let epochRange = 1...10_000
    public static let batchSizeRange = 1...60_000
    public static let learningRateRange: ClosedRange<Double> = 1e-7...10
    public static let l2Range: ClosedRange<Double> = 0...1

    enum CodingKeys: String, CodingKey {
        case epochs, l2
        case batchSize = "batch_size"
        case learningRate = "learning_rate"
    }
}

/// A name that must be one the catalogue declares (a model, a section), encoded as that name
/// alone, and refused with the list of known names when decoded otherwise.
public protocol CatalogueName: RawRepresentable, Codable, CaseIterable where RawValue == String {
    /// What a name of this kind is, for messages: "a model of the report".
    static var kind: String { get }
}

extension CatalogueName {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let value = Self(rawValue: name) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription:
                "\"\(name)\" is not \(Self.kind) (\(Self.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
