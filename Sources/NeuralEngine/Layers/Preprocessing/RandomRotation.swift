/// Random rotation of images in training (Keras's `RandomRotation`), the identity at
/// inference. Each image of a training batch is turned about its centre by an angle drawn
/// uniformly in [−factor · 2π, factor · 2π] from the generator passed to `forward`, and
/// resampled bilinearly: output(x, y) = input(R(x, y)), with R Keras's transform
/// x′ = cos θ (x − cx) − sin θ (y − cy) + cx,  y′ = sin θ (x − cx) + cos θ (y − cy) + cy,
/// (cx, cy) = ((W − 1) / 2, (H − 1) / 2).
///
/// Fill: constant 0, where Keras's default is 'reflect'. MNIST digits lie on a black (zero)
/// background, so the corners uncovered by the turn are filled with that background.
///
/// Items are (H, W, C) images; there are no parameters and labels are untouched. Backward is
/// the exact adjoint of the last training forward's resampling (the same draws), so the layer
/// passes the finite-difference harness and may sit after trainable layers; as the first layer
/// of a model it is never asked for a gradient (`Sequential.backward` stops before it).
public final class RandomRotation: RandomAffineLayer, Layer {
    public let factor: Float
    public var configuration: LayerConfiguration { .randomRotation(factor: factor) }

    /// - Parameter factor: the largest angle as a fraction of a full turn, in [0, 1]
    ///   (0.05 is ±18°).
    public init(factor: Float) {
        precondition((0...1).contains(factor), "RandomRotation factor must lie in [0, 1], got factor: \(factor)")
        self.factor = factor
        super.init(name: "random_rotation")
    }

    override func draw(height: Int, width: Int, uniform: () -> Float) -> AffineTransform {
        .rotation(angle: (2 * uniform() - 1) * (factor * 2 * Float.pi), height: height, width: width)
    }
}
