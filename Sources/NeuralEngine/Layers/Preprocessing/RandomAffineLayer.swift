/// What the augmentation layers share: (H, W, C) images in and out, no parameters, a random
/// affine transform drawn per image in training and applied by bilinear resampling
/// (`AffineResampling`), the identity at inference, and a backward that is the exact adjoint
/// of the last training forward (the same draws). A subclass says only how a transform is drawn.
public class RandomAffineLayer {
    public var name: String
    public private(set) var outputShape: [Int] = []
    public var parameters: [Parameter] { [] }
    /// The last training forward's transforms, one per image; empty after inference.
    private var transforms: [AffineTransform] = []

    init(name: String) { self.name = name }

    /// One image's transform; `uniform()` draws from [0, 1) with the generator given to `forward`.
    func draw(height: Int, width: Int, uniform: () -> Float) -> AffineTransform {
        preconditionFailure("\(Self.self) must say how it draws a transform")
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
        let (height, width) = (x.shape[1], x.shape[2])
        transforms = (0..<x.batchSize).map { _ in draw(height: height, width: width) { generator.nextUnitFloat() } }
        return AffineResampling.forward(x, transforms: transforms)
    }

    public func backward(_ g: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        return transforms.isEmpty ? g : AffineResampling.backward(g, transforms: transforms)
    }
}
