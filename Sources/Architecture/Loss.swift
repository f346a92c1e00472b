/// The loss every model trains with, as data: Keras's categorical cross-entropy on
/// probabilities, whose probabilities are clipped to [ε, 1 − ε] (the engine's
/// `CategoricalCrossentropy` computes it; the report explains the clipping).
public enum CrossEntropyFacts {
    /// Keras's `epsilon()`, the clipping margin.
    public static let epsilon: Float = 1e-7
}
