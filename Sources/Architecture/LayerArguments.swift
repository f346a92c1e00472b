/// One argument of a layer's constructor, as the report's listings write it in Swift (the
/// engine's initialisers) and in Keras (`keras.layers.…`), and as the layer table shows it:
/// declared once per layer type (`LayerConfiguration.arguments`, beside its Keras class name),
/// written out by each listing in its language.
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
