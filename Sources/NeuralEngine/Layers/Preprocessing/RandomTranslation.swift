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
public final class RandomTranslation: RandomAffineLayer, Layer {
    public let heightFactor: Float
    public let widthFactor: Float
    public var configuration: LayerConfiguration { .randomTranslation(height: heightFactor, width: widthFactor) }

    /// - Parameters:
    ///   - heightFactor: the largest vertical shift as a fraction of the height, in [0, 1].
    ///   - widthFactor: the largest horizontal shift as a fraction of the width, in [0, 1].
    public init(heightFactor: Float, widthFactor: Float) {
        precondition((0...1).contains(heightFactor), "RandomTranslation height factor must lie in [0, 1], got heightFactor: \(heightFactor)")
        precondition((0...1).contains(widthFactor), "RandomTranslation width factor must lie in [0, 1], got widthFactor: \(widthFactor)")
        (self.heightFactor, self.widthFactor) = (heightFactor, widthFactor)
        super.init(name: "random_translation")
    }

    /// dy is drawn before dx.
    override func draw(height: Int, width: Int, uniform: () -> Float) -> AffineTransform {
        let dy = (2 * uniform() - 1) * heightFactor * Float(height)
        let dx = (2 * uniform() - 1) * widthFactor * Float(width)
        return .translation(dx: dx, dy: dy)
    }
}
