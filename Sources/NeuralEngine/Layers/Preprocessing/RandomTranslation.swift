/// Random translation of images in training (Keras's `RandomTranslation`), the identity at
/// inference. Each image of a training batch is moved by dy = u · heightFactor · H rows and
/// dx = v · widthFactor · W columns, with u and v drawn uniformly in [−1, 1] from the generator
/// passed to `forward`, and resampled bilinearly: output(x, y) = input(x − dx, y − dy).
///
/// Fill: constant 0, where Keras's default is 'reflect'. MNIST digits lie on a black (zero)
/// background, so the uncovered border is filled with that background rather than with a
/// mirror image of the digit's strokes.
///
/// Items are (H, W, C) images; there are no parameters and labels are untouched. Backward is
/// the exact adjoint of the last training forward's resampling (the same draws), so the layer
/// passes the finite-difference harness and may sit after trainable layers; as the first layer
/// of a model it is never asked for a gradient (`Sequential.backward` stops before it).
public final class RandomTranslation: Layer {
    public let heightFactor: Float
    public let widthFactor: Float
    public var name = "random_translation"
    public var typeName: String { "RandomTranslation" }
    public private(set) var outputShape: [Int] = []
    public var parameters: [Parameter] { [] }
    public var configuration: LayerConfiguration { .randomTranslation(height: heightFactor, width: widthFactor) }
    /// The last training forward's transforms, one per image; empty after inference.
    private var transforms: [AffineTransform] = []

    /// - Parameters:
    ///   - heightFactor: the largest vertical shift as a fraction of the height, in [0, 1].
    ///   - widthFactor: the largest horizontal shift as a fraction of the width, in [0, 1].
    public init(heightFactor: Float, widthFactor: Float) {
        precondition((0...1).contains(heightFactor), "RandomTranslation height factor must lie in [0, 1], got heightFactor: \(heightFactor)")
        precondition((0...1).contains(widthFactor), "RandomTranslation width factor must lie in [0, 1], got widthFactor: \(widthFactor)")
        (self.heightFactor, self.widthFactor) = (heightFactor, widthFactor)
    }

    public func build(inputShape: [Int], using generator: inout some RandomNumberGenerator) throws -> [Int] {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw EngineError.incompatibleShape(layer: name, expected: "(height, width, channels) images", got: inputShape)
        }
        outputShape = inputShape
        return outputShape
    }

    public func forward(_ x: Tensor, training: Bool, using generator: inout some RandomNumberGenerator) -> Tensor {
        guard training else {
            transforms = []
            return x
        }
        let (height, width) = (Float(x.shape[1]), Float(x.shape[2]))
        transforms = (0..<x.batchSize).map { _ in
            let dy = (2 * generator.nextUnitFloat() - 1) * heightFactor * height
            let dx = (2 * generator.nextUnitFloat() - 1) * widthFactor * width
            return .translation(dx: dx, dy: dy)
        }
        return AffineResampling.forward(x, transforms: transforms)
    }

    public func backward(_ g: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        return transforms.isEmpty ? g : AffineResampling.backward(g, transforms: transforms)
    }
}
