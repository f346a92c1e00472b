/// A layer's type and hyper-parameters as data: enough to build the layer again, to describe a
/// model in a saved file's metadata, and to key a cache of trainings.
///
/// Each layer type's facts are declared here, beside its case: its Keras class name, its checks
/// with their messages, its constructor's arguments for the listings and the layer table, its
/// window, and its output shape and weights (`shapeAndWeights`, which `ArchitectureLimits.check`
/// calls within its bounds). `ModelDescription` derives the rest (names, counts, work, the
/// summary) from those; the engine's `makeLayer` builds the layer.
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

    /// The layer's output shape and weights for one item of `input` (already within bounds),
    /// its sizes held to `limits`; `label` names the layer in the messages ("layer 3 (Conv2D)").
    func shapeAndWeights(input: [Int], limits: ArchitectureLimits, label: String) throws -> ([Int], [ArchitectureLimits.Weight]) {
        typealias Weight = ArchitectureLimits.Weight
        func trainable(_ kernel: [Int], _ bias: [Int]) -> [Weight] {
            [Weight(name: "kernel", shape: kernel, trainable: true), Weight(name: "bias", shape: bias, trainable: true)]
        }
        func image() throws -> (Int, Int, Int) {
            guard input.count == 3 else {
                throw ArchitectureError("\(label) expects (height, width, channels) items, got shape \(input)")
            }
            return (input[0], input[1], input[2])
        }
        func withinWindowBound(_ name: String, _ value: Int) throws {
            guard value <= limits.window else {
                throw ArchitectureError("\(label): \(name) is \(value), more than the \(limits.window) accepted")
            }
        }
        switch self {
        case .flatten:
            return ([try limits.product(input, what: "\(label): output", bound: limits.valuesPerItem, unit: "values per item")], [])
        case .dropout:
            return (input, [])
        case let .dense(units, _, _):
            guard input.count == 1 else {
                throw ArchitectureError("\(label) expects a flat vector (add Flatten first), got shape \(input)")
            }
            guard units <= limits.dimension else {
                throw ArchitectureError("\(label): units is \(units), more than the \(limits.dimension) accepted")
            }
            return ([units], trainable([input[0], units], [units]))
        case let .conv2D(filters, kernelSize, strides, padding, _, _):
            let (height, width, channels) = try image()
            try withinWindowBound("kernel size", kernelSize)
            try withinWindowBound("strides", strides)
            guard filters <= limits.dimension else {
                throw ArchitectureError("\(label): filters is \(filters), more than the \(limits.dimension) accepted")
            }
            let rows = padding.geometry(input: height, kernel: kernelSize, stride: strides)
            let columns = padding.geometry(input: width, kernel: kernelSize, stride: strides)
            guard rows.output > 0, columns.output > 0 else {
                throw ArchitectureError(
                    "\(label): a \(kernelSize) × \(kernelSize) kernel with '\(padding.rawValue)' padding leaves no output for \(height) × \(width) items")
            }
            return ([rows.output, columns.output, filters], trainable([kernelSize, kernelSize, channels, filters], [filters]))
        case let .zeroPadding2D(padding):
            let (height, width, channels) = try image()
            try withinWindowBound("padding", padding)
            return ([height + 2 * padding, width + 2 * padding, channels], [])
        case let .averagePooling2D(poolSize, strides), let .maxPooling2D(poolSize, strides):
            let (height, width, channels) = try image()
            try withinWindowBound("pool size", poolSize)
            try withinWindowBound("strides", strides)
            guard height >= poolSize, width >= poolSize else {
                throw ArchitectureError("\(label): a \(poolSize) × \(poolSize) pool does not fit \(height) × \(width) items")
            }
            let rows = Padding.valid.geometry(input: height, kernel: poolSize, stride: strides)
            let columns = Padding.valid.geometry(input: width, kernel: poolSize, stride: strides)
            return ([rows.output, columns.output, channels], [])
        case .batchNormalization:
            // Any item shape: the channels are its last axis (Conv2D's filters, Dense's units).
            let channels = [input.last!]
            return (input, [Weight(name: "gamma", shape: channels, trainable: true),
                            Weight(name: "beta", shape: channels, trainable: true),
                            Weight(name: "moving_mean", shape: channels, trainable: false),
                            Weight(name: "moving_variance", shape: channels, trainable: false)])
        case .randomTranslation, .randomRotation:
            _ = try image()
            return (input, [])
        }
    }
}
