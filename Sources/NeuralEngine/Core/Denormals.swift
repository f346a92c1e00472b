import CFloatingPoint

/// Denormal floats (magnitudes below 2⁻¹²⁶) are flushed to zero while the engine trains or
/// predicts, as TensorFlow does on CPUs. Late in a training, softmax probabilities of wrong
/// classes fall below that bound; on Intel CPUs every product touching such a value then takes
/// a microcode assist, and LeNet-5's epochs grew from 2 s to 7 s over ten epochs.
enum Denormals {
    /// Flushes denormals on the calling thread; returns the state for `restore`.
    static func flush() -> UInt { floating_point_flush_denormals() }

    /// Puts back the calling thread's state saved by `flush`.
    static func restore(_ saved: UInt) { floating_point_restore(saved) }
}
