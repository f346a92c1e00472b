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
        weights.scalars.withUnsafeBufferPointer { w in
            factor * Products.dot(count: w.count, x: w.baseAddress!, y: w.baseAddress!)
        }
    }

    /// Adds 2 · factor · w to `gradient`.
    public func addGradient(of weights: Tensor, to gradient: inout Tensor) {
        weights.scalars.withUnsafeBufferPointer { w in
            gradient.scalars.withUnsafeMutableBufferPointer { g in
                Products.axpy(count: w.count, alpha: 2 * factor, x: w.baseAddress!, y: g.baseAddress!)
            }
        }
    }
}
