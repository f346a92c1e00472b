/// Categorical cross-entropy on probabilities, as Keras computes it:
/// L(y, p) = −Σᵢ yᵢ log(clip(pᵢ, ε, 1 − ε)) with ε = 1e-7, averaged over the batch.
///
/// With a softmax output its gradient with respect to the logits is (p − y) / N, which is
/// what training uses (the fused form; Keras's TensorFlow backend does the same through the
/// logits). The clipping bounds the reported loss of a confidently wrong prediction at
/// −log(1e-7) ≈ 16.12.
public struct CategoricalCrossentropy: Sendable {
    /// Keras's `epsilon()`, the clipping margin.
    public static let epsilon: Float = CrossEntropyFacts.epsilon

    public init() {}

    /// Summed (not averaged) loss of a batch and its number of correct argmax predictions.
    public func sumAndCorrect(probabilities p: Tensor, labels y: Tensor) -> (loss: Double, correct: Int) {
        precondition(p.shape == y.shape, "probabilities \(p.shape) and labels \(y.shape) differ in shape")
        let (rows, classes) = (p.batchSize, p.itemSize)
        let lower = Self.epsilon, upper = 1 - Self.epsilon
        var total: Double = 0
        var correct = 0
        p.scalars.withUnsafeBufferPointer { p in
            y.scalars.withUnsafeBufferPointer { y in
                for row in 0..<rows {
                    let base = row * classes
                    var loss: Float = 0
                    var predicted = 0, truth = 0
                    for j in 0..<classes {
                        let yj = y[base + j]
                        if yj != 0 { loss -= yj * Elementary.log(min(max(p[base + j], lower), upper)) }
                        if p[base + j] > p[base + predicted] { predicted = j }
                        if yj > y[base + truth] { truth = j }
                    }
                    total += Double(loss)
                    if predicted == truth { correct += 1 }
                }
            }
        }
        return (total, correct)
    }

    /// The number of items whose true class gets a probability below ε, where the clipping
    /// raises the probability and so lowers the reported loss (a cross-entropy computed from the
    /// logits, as Keras's TensorFlow backend does after a softmax layer, would count them in full).
    public func clippedCount(probabilities p: Tensor, labels y: Tensor) -> Int {
        precondition(p.shape == y.shape, "probabilities \(p.shape) and labels \(y.shape) differ in shape")
        let lower = Self.epsilon
        var count = 0
        p.scalars.withUnsafeBufferPointer { p in
            y.scalars.withUnsafeBufferPointer { y in
                for i in 0..<p.count where y[i] != 0 && p[i] < lower { count += 1 }
            }
        }
        return count
    }

    /// The mean loss of a batch.
    public func callAsFunction(probabilities p: Tensor, labels y: Tensor) -> Float {
        Float(sumAndCorrect(probabilities: p, labels: y).loss / Double(max(p.batchSize, 1)))
    }

    /// The gradient of the mean loss with respect to softmax logits: (p − y) / N.
    public func logitGradient(probabilities p: Tensor, labels y: Tensor) -> Tensor {
        let scale = 1 / Float(p.batchSize)
        return Tensor(shape: p.shape) { g in
            p.scalars.withUnsafeBufferPointer { p in
                y.scalars.withUnsafeBufferPointer { y in
                    for i in g.indices { g[i] = (p[i] - y[i]) * scale }
                }
            }
        }
    }

    /// The gradient of the mean loss with respect to the probabilities themselves,
    /// −y / (N · clip(p)), zero where the clip is active (used when no softmax precedes).
    public func probabilityGradient(probabilities p: Tensor, labels y: Tensor) -> Tensor {
        let scale = 1 / Float(p.batchSize)
        let lower = Self.epsilon, upper = 1 - Self.epsilon
        return Tensor(shape: p.shape) { g in
            p.scalars.withUnsafeBufferPointer { p in
                y.scalars.withUnsafeBufferPointer { y in
                    for i in g.indices {
                        g[i] = (p[i] < lower || p[i] > upper) ? 0 : -y[i] / p[i] * scale
                    }
                }
            }
        }
    }
}
