/// One layer of a `Sequential` model.
///
/// A layer is built once for an input shape (without the batch dimension), which creates its
/// parameters; then `forward` maps a batch and `backward` maps the gradient of the loss with
/// respect to the output back to the input, writing its parameters' gradients on the way.
/// `backward` uses what the last `forward` kept, so the two alternate.
public protocol Layer: AnyObject {
    /// Keras's class name, shown by `summary()` (`Dense`, `Conv2D`).
    var typeName: String { get }
    /// The layer's name in its model (`dense`, `dense_1`); `Sequential` assigns it.
    var name: String { get set }
    /// The shape of one output item, known after `build`.
    var outputShape: [Int] { get }
    /// The trainable parameters, in Keras's order (kernel, then bias): what optimisers update.
    var parameters: [Parameter] { get }
    /// The weights no optimiser touches (BatchNormalization's moving statistics), which the
    /// layer updates itself in its training forward; saved with the parameters, after them.
    var nonTrainableWeights: [Parameter] { get }
    /// A description of the layer's configuration, enough to build it again.
    var configuration: LayerConfiguration { get }
    /// Multiply-accumulates of the forward matrix products for one item (for FLOP counts).
    var multiplyAccumulatesPerItem: Int { get }

    /// Creates the parameters for items of `inputShape` and returns the output shape.
    /// - Throws: `EngineError.incompatibleShape` when the layer cannot take that input.
    func build(inputShape: [Int], using generator: inout some RandomNumberGenerator) throws -> [Int]

    /// The output for a batch `input` of shape [N] + inputShape.
    func forward(_ input: Tensor, training: Bool, using generator: inout some RandomNumberGenerator) -> Tensor

    /// The gradient with respect to the last forward's input, given the gradient with respect
    /// to its output; writes (overwrites) the gradients of `parameters`. When
    /// `needsInputGradient` is false (the first layer) it may skip that product and return nil.
    func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor?
}

extension Layer {
    /// Keras's class name, as the configuration declares it (`LayerConfiguration.typeName`).
    public var typeName: String { configuration.typeName }

    public var multiplyAccumulatesPerItem: Int { 0 }

    public var nonTrainableWeights: [Parameter] { [] }

    /// Every weight in Keras's order (`layer.weights`): the parameters, then the non-trainable ones.
    public var weights: [Parameter] { parameters + nonTrainableWeights }

    /// The number of trainable values.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// The number of non-trainable values.
    public var nonTrainableCount: Int { nonTrainableWeights.reduce(0) { $0 + $1.count } }
}

/// A layer that ends in an activation, and can take the gradient with respect to its
/// pre-activation directly: this is how softmax and cross-entropy fuse into p − y.
public protocol ActivatedLayer: Layer {
    var activation: Activation { get }
    /// Like `backward`, but `gradient` is with respect to the pre-activation values.
    func backward(preActivationGradient gradient: Tensor, needsInputGradient: Bool) -> Tensor?
}

/// Errors of model construction and use.
public enum EngineError: Error, CustomStringConvertible, Equatable {
    case incompatibleShape(layer: String, expected: String, got: [Int])
    case notBuilt
    case invalidArgument(String)
    case diverged(epoch: Int, batch: Int, loss: Double)

    public var description: String {
        switch self {
        case let .incompatibleShape(layer, expected, got):
            return "layer \(layer) expects an input of \(expected), got shape \(got)"
        case .notBuilt:
            return "the model is not built: call build(inputShape:using:) first"
        case let .invalidArgument(message):
            return message
        case let .diverged(epoch, batch, loss):
            return "the training diverged in epoch \(epoch), batch \(batch): the loss became \(loss); a smaller learning rate may help"
        }
    }
}
