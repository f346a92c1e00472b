/// One argument of a layer's constructor, as the report's listings write it in Swift (the
/// engine's initialisers) and in Keras (`keras.layers.…`): declared here once per layer type,
/// beside its Keras class name (`typeName`), and written out by each listing in its language.
public struct LayerArgument: Sendable, Equatable {
    /// The engine's argument label (`units`, `kernelSize`).
    public let swiftLabel: String
    /// Keras's keyword (`kernel_size`), or nil where Keras takes the value by position.
    public let kerasKeyword: String?
    public let value: Value
    /// An argument only Keras is given (the engine has no such choice): the fill mode of the
    /// augmentation layers, whose Keras default ("reflect") is not what the engine does.
    public let kerasOnly: Bool

    public enum Value: Sendable, Equatable {
        case integer(Int)
        case number(Float)
        /// A named choice: an enum case in Swift (`.relu`), a string in Keras (`"relu"`).
        case choice(String)
        /// An L2 kernel regulariser's factor.
        case l2(Float)
    }

    init(_ swiftLabel: String, keras kerasKeyword: String?, _ value: Value, kerasOnly: Bool = false) {
        (self.swiftLabel, self.kerasKeyword, self.value, self.kerasOnly) = (swiftLabel, kerasKeyword, value, kerasOnly)
    }
}

extension LayerConfiguration {
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
}

extension LayerConfiguration {
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
