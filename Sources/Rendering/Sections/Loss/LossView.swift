import Results
import Assignment
import Foundation
import Architecture

/// Section 2.2's constants, from the engine, and what its clipping changed in this run.
///
/// The engine clips probabilities to [ε, 1 − ε] before the logarithm, as Keras does when it
/// computes the cross-entropy from probabilities. Keras's TensorFlow backend computes it from
/// the logits instead when softmax is the model's last layer (all models here), and clips
/// nothing. The two differ only for an image whose true class gets a probability below ε:
/// the engine counts −log ε for it, Keras the larger true value. In Float32 a probability that
/// does not underflow to zero is at least the smallest subnormal, so the true loss of such an
/// image is at most −log(that) ≈ 103.3, which bounds what the clipping can hide.
struct LossView {
    var epsilon: String
    var epsilonExponent: String
    var maxLoss: String
    /// −log of Float32's smallest positive value, to one decimal: "103.3".
    var largestUnclipped: String
    var uniformLoss: String
    var clipping: Clipping?

    struct Clipping {
        /// Trainings whose test evaluation recorded the count.
        var trainings: String
        var none: Bool
        var images: String
        /// The largest amount by which a recorded test loss can understate Keras's, over the trainings.
        var bound: String
        var rows: [Row]
    }

    struct Row {
        var name: String
        var images: String
        var bound: String
    }

    /// −log of Float32's smallest positive value: the largest cross-entropy of a probability that did not underflow.
    static let largestUnclippedLoss = -log(Double(Float.leastNonzeroMagnitude))

    init(_ results: ResultsDocument) {
        let epsilon = Double(CrossEntropyFacts.epsilon)
        self.epsilon = String(format: "%.0e", epsilon).replacingOccurrences(of: "e-0", with: "e-")
        epsilonExponent = String(Int(log10(epsilon).rounded())).replacingOccurrences(of: "-", with: "−")
        maxLoss = NumberFormat.decimal(-log(epsilon), 2)
        largestUnclipped = NumberFormat.decimal(Self.largestUnclippedLoss, 1)
        uniformLoss = NumberFormat.decimal(log(Double(Dataset.classes)), 3)
        let recorded = results.trainings.filter { $0.testClipped != nil && $0.sweepIndex == nil }
        let all = results.trainings.filter { $0.testClipped != nil }
        guard !all.isEmpty else { clipping = nil; return }
        func bound(_ r: TrainingRecord) -> Double {
            Double(r.testClipped ?? 0) * (Self.largestUnclippedLoss + log(epsilon)) / Double(max(r.testPredictions.count, 1))
        }
        let total = all.reduce(0) { $0 + ($1.testClipped ?? 0) }
        clipping = Clipping(
            trainings: String(all.count), none: total == 0, images: NumberFormat.count(total),
            bound: NumberFormat.accuracy(all.map(bound).max() ?? 0),
            rows: recorded.map { Row(name: "\($0.section) (\($0.model.rawValue))", images: NumberFormat.count($0.testClipped ?? 0),
                                     bound: NumberFormat.accuracy(bound($0))) })
    }
}
