/// The L2 weight penalty of Keras (`regularizers.L2`): adds `factor · Σ w²` to the loss,
/// so its gradient is `2 · factor · w`.
public struct L2: Sendable, Equatable, Codable {
    /// The penalty factor (Keras's `l2`).
    public var factor: Float

    /// A penalty of `factor`, which must be finite and non-negative.
    public init(_ factor: Float) {
        precondition(factor.isFinite && factor >= 0, "L2 factor must be finite and ≥ 0, got \(factor)")
        self.factor = factor
    }

    /// The penalty of `weights`: factor · Σ w².
    public func loss(_ weights: Tensor) -> Float {
        var sum: Float = 0
        weights.scalars.withUnsafeBufferPointer { w in
            for x in w { sum += x * x }
        }
        return factor * sum
    }

    /// Adds 2 · factor · w to `gradient`.
    public func addGradient(of weights: Tensor, to gradient: inout Tensor) {
        weights.scalars.withUnsafeBufferPointer { w in
            gradient.scalars.withUnsafeMutableBufferPointer { g in
                BLAS.axpy(count: w.count, alpha: 2 * factor, x: w.baseAddress!, y: g.baseAddress!)
            }
        }
    }
}
