import Analysis
import Architecture
import Assignment
import Foundation
import Results

/// The seconds an epoch of each model takes, for weighing trainings against one another: how a
/// plan splits into shards, which trainings a build starts first, and its ETA for a model it has
/// not yet timed.
///
/// Measured, not set by hand: a model's cost is the median over a run's trainings of that model
/// of each training's median seconds per epoch. The run is the committed full report by default
/// (`reports/latest/results.json`), so every process of one checkout weighs the same and
/// computes the same shards. A model that run did not train (a new one) is estimated from its
/// floating-point operations per epoch at the measured models' median seconds per operation;
/// with nothing measured (no readable run), every model is, at 10 GFLOP/s.
public struct EpochCosts: Sendable, Equatable {
    /// Seconds per epoch, per model of the catalogue.
    public let seconds: [ModelKind: Double]
    /// Where the figures come from, for the build's log.
    public let source: String

    /// The seconds per operation assumed when no model has been measured.
    static let unmeasuredSecondsPerFLOP = 1e-10

    /// Costs from `document`'s trainings (nil: estimated from the operations alone), described
    /// as coming from `source`.
    public init(measuredIn document: ResultsDocument?, source: String) {
        var measured: [ModelKind: Double] = [:]
        for model in ModelKind.allCases {
            let perTraining = (document?.trainings ?? []).filter { $0.model == model }
                .compactMap { Statistics.median($0.secondsPerEpoch.filter { $0.isFinite && $0 > 0 }) }
            if let median = Statistics.median(perTraining) { measured[model] = median }
        }
        let rates = measured.compactMap { model, seconds in Self.flops(model).map { seconds / $0 } }
        let rate = Statistics.median(rates) ?? Self.unmeasuredSecondsPerFLOP
        var seconds = measured
        for model in ModelKind.allCases where seconds[model] == nil {
            seconds[model] = (Self.flops(model) ?? 1e9) * rate
        }
        self.seconds = seconds
        let estimated = ModelKind.allCases.filter { measured[$0] == nil }.map(\.rawValue)
        self.source = measured.isEmpty ? "estimated from each model's operations (\(source) gave no timings)"
            : estimated.isEmpty ? "measured in \(source)"
            : "measured in \(source); \(estimated.joined(separator: ", ")) estimated from their operations"
    }

    /// The costs measured in the results file at `path`, or estimated when it cannot be read
    /// (it need not exist: a fresh clone of a fork may have no full report yet).
    public static func load(resultsPath path: String) -> EpochCosts {
        guard FileManager.default.fileExists(atPath: path) else {
            return EpochCosts(measuredIn: nil, source: "\(path) (absent)")
        }
        do {
            return EpochCosts(measuredIn: try ResultsDocument.read(path: path), source: path)
        } catch {
            return EpochCosts(measuredIn: nil, source: "\(path) (unreadable)")
        }
    }

    /// Seconds per epoch of `model`.
    public func perEpoch(_ model: ModelKind) -> Double { seconds[model] ?? 1 }

    /// The estimated seconds of a training: its epochs at its model's cost.
    public func cost(_ training: PlannedTraining) -> Double {
        perEpoch(training.spec.model) * Double(training.spec.hyperparameters.epochs)
    }

    /// The operations of one epoch of `model` (training on MNIST's 60,000 images, validating on
    /// its 10,000), or nil when its layers do not describe a model.
    static func flops(_ model: ModelKind) -> Double? {
        guard let description = try? ModelDescription(model.layers(l2: model.defaults.l2), inputShape: TrainingSpec.inputShape)
        else { return nil }
        return description.epochFLOPs(trainItems: Dataset.trainingCount, testItems: Dataset.testCount)
    }
}
