/// Facts about the engine itself.
public enum Engine {
    /// Bumped whenever a change alters the numbers a training produces, so cached trainings
    /// of an older engine are not reused.
    ///
    /// - 1: first release.
    /// - 2: direct convolution kernels (other summation order, fused multiply-adds) and
    ///   dropout masks drawn from a per-batch generator.
    public static let version = "2"
}
