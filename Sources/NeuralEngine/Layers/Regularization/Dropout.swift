/// Inverted dropout (Keras's `Dropout`): in training, each value is zeroed with probability
/// `rate` and the survivors are scaled by 1 / (1 − rate), so inference needs no change; at
/// inference the layer is the identity. The mask comes from the generator passed to `forward`.
public final class Dropout: Layer {
    public let rate: Float
    public var name = "dropout"
    public private(set) var outputShape: [Int] = []
    public var parameters: [Parameter] { [] }
    public var configuration: LayerConfiguration { .dropout(rate: rate) }
    /// The last training forward's multipliers (0 or 1 / (1 − rate)); empty after inference.
    private var mask: [Float] = []

    /// - Parameter rate: the fraction of values dropped, in [0, 1).
    public init(rate: Float) {
        precondition(rate >= 0 && rate < 1, "Dropout rate must lie in [0, 1), got rate: \(rate)")
        self.rate = rate
    }

    public func build(inputShape: [Int], using generator: inout some RandomNumberGenerator) throws -> [Int] {
        outputShape = inputShape
        return outputShape
    }

    public func forward(_ x: Tensor, training: Bool, using generator: inout some RandomNumberGenerator) -> Tensor {
        guard training, rate > 0 else {
            mask = []
            return x
        }
        let keep = 1 - rate, scale = 1 / (1 - rate)
        // One draw of the injected generator seeds this batch's own generator: the mask then comes
        // from concrete, inlined calls instead of one call through the generic generator a value.
        var batchGenerator = SeededGenerator(seed: generator.next())
        mask = [Float](unsafeUninitializedCapacity: x.count) { mask, initialized in
            for i in 0..<mask.count { mask[i] = batchGenerator.nextUnitFloat() < keep ? scale : 0 }
            initialized = mask.count
        }
        var y = x
        y.scalars.withUnsafeMutableBufferPointer { y in
            mask.withUnsafeBufferPointer { mask in for i in y.indices { y[i] *= mask[i] } }
        }
        return y
    }

    public func backward(_ g: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        guard !mask.isEmpty else { return g }
        var dx = g
        dx.scalars.withUnsafeMutableBufferPointer { dx in
            mask.withUnsafeBufferPointer { mask in for i in dx.indices { dx[i] *= mask[i] } }
        }
        return dx
    }
}
