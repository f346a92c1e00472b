import Assignment
import Foundation
import MNIST
import NeuralEngine

/// The run's facts, the contents and the table of trainings.
extension ReportViewModel {
    static func run(_ r: ResultsDocument) -> [String: Any] {
        let run = r.run
        let cached = r.trainings.filter(\.fromCache).count
        return [
            "profile": run.profile.rawValue,
            "is_quick": run.profile == .quick,
            "commit": run.gitCommit.map { String($0.prefix(12)) } ?? "not a git checkout",
            "dirty": run.gitDirty == true,
            "toolchain": run.toolchain, "cpu": run.cpu, "cores": String(run.cores),
            "threads": String(run.threads), "jobs": String(run.jobs),
            "total_time": duration(run.totalSeconds), "created": run.created, "seed": String(run.seed),
            "overrides": run.overrides.isEmpty ? "none" : run.overrides.joined(separator: ", "),
            "has_overrides": !run.overrides.isEmpty,
            "engine_version": run.engineVersion, "dataset": String(run.datasetChecksum.prefix(16)),
            "trainings": String(r.trainings.count), "cached": String(cached), "trained": String(r.trainings.count - cached),
            "epoch_plan": epochPlan(r),
        ]
    }

    /// The epochs of each kind of training in the run beside the notebook's (for the quick-profile warning).
    static func epochPlan(_ r: ResultsDocument) -> [[String: Any]] {
        var seen = Set<String>()
        var rows: [[String: Any]] = []
        for t in r.trainings {
            let label = t.sweepIndex == nil ? t.section : t.section + " sweep"
            guard seen.insert(label).inserted else { continue }
            rows.append(["label": label, "epochs": String(t.hyperparameters.epochs),
                         "notebook_epochs": String(t.model.defaults.epochs),
                         "matches": t.hyperparameters.epochs == t.model.defaults.epochs])
        }
        return rows
    }

    /// Every section in reading order; `present` is false for a section whose training the run left out.
    static func toc(_ r: ResultsDocument) -> [[String: Any]] {
        let has = Set(r.trainings.map(\.section))
        let entries: [(String, String, String, Bool)] = [
            ("s1-1", "1.1", "Loading and preprocessing", true),
            ("s2-1", "2.1", "The dense network", true),
            ("s2-2", "2.2", "The loss", true),
            ("s2-3", "2.3", "Training the small network", has.contains("2.3")),
            ("s2-4", "2.4", "A wider network with weight decay", has.contains("2.4")),
            ("s3-1", "3.1", "A convolutional network", has.contains("3.1")),
            ("s3-2", "3.2", "Convolutional against dense layers", true),
            ("references", "", "References", true),
            ("run", "", "About this run", true),
        ]
        return entries.map { ["anchor": $0.0, "number": $0.1, "title": $0.2, "present": $0.3] }
    }

    static func trainingRow(_ r: TrainingRecord) -> [String: Any] {
        [
            "id": r.id, "model": r.model.rawValue, "epochs": String(r.hyperparameters.epochs),
            "l2": r.hyperparameters.l2.map(factor) ?? "–", "seed": String(r.seed),
            "test_accuracy": accuracy(r.testAccuracy), "seconds_per_epoch": seconds(r.medianSecondsPerEpoch),
            "source": r.fromCache ? "cache" : "trained", "weights": String(r.weightsSHA256.prefix(12)),
        ]
    }
}
