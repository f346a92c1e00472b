/// Flattens every item to one vector, keeping the batch (Keras's `Flatten`).
/// Channels-last, so an (H, W, C) item becomes H·W·C values in row-major order.
public final class Flatten: Layer {
    public var name = "flatten"
    public private(set) var outputShape: [Int] = []
    public var parameters: [Parameter] { [] }
    public var configuration: LayerConfiguration { .flatten }
    private var inputShape: [Int] = []

    public init() {}

    public func build(inputShape: [Int], using generator: inout some RandomNumberGenerator) throws -> [Int] {
        guard !inputShape.isEmpty else {
            throw EngineError.incompatibleShape(layer: name, expected: "at least one dimension", got: inputShape)
        }
        self.inputShape = inputShape
        outputShape = [inputShape.reduce(1, *)]
        return outputShape
    }

    public func forward(_ input: Tensor, training: Bool, using generator: inout some RandomNumberGenerator) -> Tensor {
        input.reshaped(to: [input.batchSize] + outputShape)
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        needsInputGradient ? outputGradient.reshaped(to: [outputGradient.batchSize] + inputShape) : nil
    }
}
