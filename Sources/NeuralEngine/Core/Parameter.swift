/// A tensor of a layer with its gradient and, optionally, its regulariser.
///
/// Layers list their parameters explicitly; optimisers walk that list. A layer's non-trainable
/// weights (moving statistics) are `Parameter`s too, for their name and value, but are listed
/// apart (`Layer.nonTrainableWeights`), so no optimiser ever sees them.
public final class Parameter {
    /// The Keras weight name within its layer (`kernel`, `bias`, `moving_mean`).
    public let name: String
    /// The current value.
    public var value: Tensor
    /// The gradient of the loss with respect to `value`, written by the layer's backward pass.
    public var gradient: Tensor
    /// A penalty added to the loss, whose gradient is added to `gradient` before each update.
    public let regularizer: L2?

    /// A parameter holding `value`, with a zero gradient of the same shape.
    public init(name: String, value: Tensor, regularizer: L2? = nil) {
        self.name = name
        self.value = value
        self.gradient = Tensor(shape: value.shape, scalars: [Float](repeating: 0, count: value.count))
        self.regularizer = regularizer
    }

    /// The number of values.
    public var count: Int { value.count }
}
