/// A layer's type and hyper-parameters as data: enough to build the layer again, to describe a
/// model in a saved file's metadata, and to key a cache of trainings.
///
/// Each layer type's facts are declared here, beside its case: its Keras class name, its checks
/// with their messages, its constructor's arguments for the listings and the layer table, and
/// its window. `ArchitectureLimits.check` gives its output shape and weights within bounds;
/// `ModelDescription` derives the rest (names, counts, work, the summary) from those; the
/// engine's `makeLayer` builds it.
public enum LayerConfiguration: Codable, Equatable, Hashable, Sendable {
    case flatten
    case dense(units: Int, activation: Activation, l2: Float?)
    case conv2D(filters: Int, kernelSize: Int, strides: Int, padding: Padding, activation: Activation, l2: Float?)
    case zeroPadding2D(padding: Int)
    case averagePooling2D(poolSize: Int, strides: Int)
    case maxPooling2D(poolSize: Int, strides: Int)
    case dropout(rate: Float)
    case batchNormalization(momentum: Float, epsilon: Float)
    case randomTranslation(height: Float, width: Float)
    case randomRotation(factor: Float)

    /// What is wrong with this configuration, or nil when a layer can be made from it
    /// (for configurations read from files, before `makeLayer` would stop on them).
    public var problem: String? {
        func positive(_ name: String, _ value: Int) -> String? { value > 0 ? nil : "\(name) must be positive, got \(value)" }
        func fraction(_ name: String, _ value: Float) -> String? { (0...1).contains(value) ? nil : "\(name) must lie in [0, 1], got \(value)" }
        func l2(_ f: Float?) -> String? { f.map { $0.isFinite && $0 >= 0 ? nil : "L2 factor must be finite and ≥ 0, got \($0)" } ?? nil }
        switch self {
        case .flatten: return nil
        case let .dense(units, _, f): return positive("Dense units", units) ?? l2(f)
        case let .conv2D(filters, kernel, strides, _, activation, f):
            return positive("Conv2D filters", filters) ?? positive("Conv2D kernel size", kernel) ?? positive("Conv2D strides", strides)
                ?? (activation == .softmax ? "Conv2D does not take a softmax activation" : nil) ?? l2(f)
        case let .zeroPadding2D(padding): return padding >= 0 ? nil : "ZeroPadding2D padding must be ≥ 0, got \(padding)"
        case let .averagePooling2D(pool, strides), let .maxPooling2D(pool, strides):
            return positive("pool size", pool) ?? positive("pooling strides", strides)
        case let .dropout(rate): return rate >= 0 && rate < 1 ? nil : "Dropout rate must lie in [0, 1), got \(rate)"
        case let .batchNormalization(momentum, epsilon):
            return fraction("BatchNormalization momentum", momentum)
                ?? (epsilon > 0 && epsilon.isFinite ? nil : "BatchNormalization epsilon must be positive, got \(epsilon)")
        case let .randomTranslation(height, width):
            return fraction("RandomTranslation height factor", height) ?? fraction("RandomTranslation width factor", width)
        case let .randomRotation(factor): return fraction("RandomRotation factor", factor)
        }
    }

    var isConvolution: Bool { if case .conv2D = self { true } else { false } }

    /// Keras's class name of the layer this configuration makes.
    public var typeName: String {
        switch self {
        case .flatten: return "Flatten"
        case .dense: return "Dense"
        case .conv2D: return "Conv2D"
        case .zeroPadding2D: return "ZeroPadding2D"
        case .averagePooling2D: return "AveragePooling2D"
        case .maxPooling2D: return "MaxPooling2D"
        case .dropout: return "Dropout"
        case .batchNormalization: return "BatchNormalization"
        case .randomTranslation: return "RandomTranslation"
        case .randomRotation: return "RandomRotation"
        }
    }

    /// The constructor's arguments in order, leaving out those at the default both libraries
    /// share (strides 1, 'valid' padding, no regulariser).
    public var arguments: [LayerArgument] {
        func regularizer(_ factor: Float?) -> [LayerArgument] {
            factor.map { [LayerArgument("kernelRegularizer", keras: "kernel_regularizer", .l2($0))] } ?? []
        }
        switch self {
        case .flatten:
            return []
        case let .dense(units, activation, l2):
            return [.init("units", keras: nil, .integer(units)), .init("activation", keras: "activation", .choice(activation.rawValue))]
                + regularizer(l2)
        case let .conv2D(filters, kernel, strides, padding, activation, l2):
            return [.init("filters", keras: nil, .integer(filters)), .init("kernelSize", keras: "kernel_size", .integer(kernel))]
                + (strides == 1 ? [] : [.init("strides", keras: "strides", .integer(strides))])
                + (padding == .valid ? [] : [.init("padding", keras: "padding", .choice(padding.rawValue))])
                + [.init("activation", keras: "activation", .choice(activation.rawValue))] + regularizer(l2)
        case let .zeroPadding2D(padding):
            return [.init("padding", keras: "padding", .integer(padding))]
        case let .averagePooling2D(pool, strides), let .maxPooling2D(pool, strides):
            return [.init("poolSize", keras: "pool_size", .integer(pool)), .init("strides", keras: "strides", .integer(strides))]
        case let .dropout(rate):
            return [.init("rate", keras: nil, .number(rate))]
        case let .batchNormalization(momentum, epsilon):
            return [.init("momentum", keras: "momentum", .number(momentum)), .init("epsilon", keras: "epsilon", .number(epsilon))]
        case let .randomTranslation(height, width):
            return [.init("heightFactor", keras: "height_factor", .number(height)), .init("widthFactor", keras: "width_factor", .number(width)),
                    .init("fillMode", keras: "fill_mode", .choice("constant"), kerasOnly: true)]
        case let .randomRotation(factor):
            return [.init("factor", keras: "factor", .number(factor)), .init("fillMode", keras: "fill_mode", .choice("constant"), kerasOnly: true)]
        }
    }

    /// The square window the layer slides over its input, and the step between two of its
    /// positions: a convolution's kernel, a pooling layer's pool; nil for the layers that see
    /// one position at a time. `ModelDescription.receptiveField` follows from these alone.
    public var window: (side: Int, strides: Int)? {
        switch self {
        case let .conv2D(_, kernel, strides, _, _, _): return (kernel, strides)
        case let .averagePooling2D(pool, strides), let .maxPooling2D(pool, strides): return (pool, strides)
        case .flatten, .dense, .zeroPadding2D, .dropout, .batchNormalization, .randomTranslation, .randomRotation: return nil
        }
    }
}
