/// The schedule's rate, from the engine's own cosine (the same bits on every CPU).
extension CosineDecay {
    /// The rate of the update that follows `step` updates.
    public func learningRate(atStep step: Int) -> Float {
        let progress = Double(min(max(step, 0), decaySteps)) / Double(decaySteps)
        let cosine = 0.5 * (1 + Elementary.sineCosine(Double.pi * progress).cos)
        return Float(Double(initialLearningRate) * ((1 - Double(alpha)) * cosine + Double(alpha)))
    }
}
