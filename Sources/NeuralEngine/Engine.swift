@_exported import Architecture

/// Facts about the engine itself.
public enum Engine {
    /// Bumped whenever a change alters the numbers a training produces, so cached trainings
    /// of an older engine are not reused.
    ///
    /// - 1: first release.
    /// - 2: direct convolution kernels (other summation order, fused multiply-adds) and
    ///   dropout masks drawn from a per-batch generator.
    /// - 3: the same bits on every CPU and thread count: the engine's own matrix product (one
    ///   chain of fused multiply-adds per element) instead of OpenBLAS, convolution gradients
    ///   summed in fixed shares of the batch, its own exp, log, sine, cosine and powers, one
    ///   convolution algorithm per shape on every CPU. Cache keys no longer hold the thread count.
    /// - 4: Winograd's F(2 × 2, 3 × 3) for 3 × 3 convolutions at stride 1 with 'same' padding
    ///   and channels in sixteens (the stronger CNN's layers after its first): other roundings
    ///   in those layers, forward and backward.
    /// - 5: Winograd's F(4 × 4, 3 × 3) instead: 36 products a 4 × 4 tile instead of 16 a 2 × 2
    ///   tile, other roundings in the same layers.
    public static let version = "5"
}
