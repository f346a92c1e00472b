import Assignment
import Foundation
import MNIST
import NeuralEngine

/// The run's facts, the contents, the run's files and the table of trainings.
extension ReportViewModel {
    /// What the report shows for a fact that results written before it was recorded lack.
    static let notRecorded = "not recorded"

    static func run(_ r: ResultsDocument) -> [String: Any] {
        let run = r.run
        let cached = r.trainings.filter(\.fromCache).count
        let cpu = cpuParts(run.cpu)
        return [
            "cpu_model": cpu.model, "core_type": run.coreType ?? cpu.kernels ?? notRecorded,
            "os": run.os ?? notRecorded, "openblas": run.openblas ?? notRecorded,
            "working_tree": workingTree(run),
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

    /// The state of the working tree the build ran from, in words.
    static func workingTree(_ run: RunInfo) -> String {
        guard run.gitCommit != nil else { return "not a git checkout" }
        switch run.gitDirty {
        case true?: return "with uncommitted changes"
        case false?: return "clean"
        case nil: return notRecorded
        }
    }

    /// `RunInfo.cpu` ("MODEL (OpenBLAS Haswell kernels)") split into the model and the kernel
    /// set; `kernels` is nil when the text does not end that way.
    static func cpuParts(_ cpu: String) -> (model: String, kernels: String?) {
        let prefix = " (OpenBLAS ", suffix = " kernels)"
        guard cpu.hasSuffix(suffix), let start = cpu.range(of: prefix, options: .backwards),
              start.upperBound <= cpu.index(cpu.endIndex, offsetBy: -suffix.count) else { return (cpu, nil) }
        let kernels = String(cpu[start.upperBound..<cpu.index(cpu.endIndex, offsetBy: -suffix.count)])
        return kernels.isEmpty ? (cpu, nil) : (String(cpu[..<start.lowerBound]), kernels)
    }

    /// The report folder's own files for "About this run": `results.json`, the saved model when
    /// the folder has it (`attachments`, the names `ReportWriter` copies in), and each figure's
    /// SVG and PNG in reading order.
    static func files(_ figures: [ReportFigure], attachments: [String]) -> [String: Any] {
        let model = "lenet5.safetensors"
        return [
            "results": "results.json",
            "has_model": attachments.contains(model), "model": model,
            "figures": figures.map { ["number": String($0.number), "id": $0.id, "svg": "\($0.id).svg", "png": "\($0.id).png"] },
        ]
    }

    /// A heading of the contents: its anchor, number, title, whether the run has what it shows,
    /// and the headings under it.
    struct ContentsEntry {
        var anchor: String
        var number: String
        var title: String
        var present: Bool
        var children: [ContentsEntry] = []

        var context: [String: Any] {
            ["anchor": anchor, "number": number, "title": title, "present": present,
             "children": children.map(\.context), "has_children": !children.isEmpty]
        }
    }

    /// Every section in reading order, with its subsections; `present` is false for a heading
    /// whose training the run left out.
    static func toc(_ r: ResultsDocument) -> [[String: Any]] { contents(r).map(\.context) }

    static func contents(_ r: ResultsDocument) -> [ContentsEntry] {
        let has = Set(r.trainings.map(\.section))
        let single = Set(r.trainings.filter { $0.sweepIndex == nil }.map(\.section))
        let sweep = !r.sweepTrainings.isEmpty
        typealias Entry = ContentsEntry
        return [
            Entry(anchor: "s1-1", number: "1.1", title: "Loading and preprocessing", present: true),
            Entry(anchor: "s2-1", number: "2.1", title: "The dense network", present: true),
            Entry(anchor: "s2-2", number: "2.2", title: "The loss", present: true),
            Entry(anchor: "s2-3", number: "2.3", title: "Training the small network", present: has.contains("2.3"), children: [
                Entry(anchor: "s2-3-overfitting", number: "", title: "Overfitting or not?", present: single.contains("2.3")),
            ]),
            Entry(anchor: "s2-4", number: "2.4", title: "A wider network with weight decay", present: has.contains("2.4"), children: [
                Entry(anchor: "s2-4-single", number: "", title: "One training", present: single.contains("2.4")),
                Entry(anchor: "s2-4-sweep", number: "", title: "The decay factor, swept", present: sweep),
                Entry(anchor: "s2-4-best", number: "", title: "The best validation accuracy", present: sweep || single.contains("2.4")),
                Entry(anchor: "s2-4-hinton", number: "", title: "Why Hinton's \(NumberFormat.accuracy(Notebook.hinton500300)) may not be reached", present: true),
            ]),
            Entry(anchor: "s3-1", number: "3.1", title: "A convolutional network", present: has.contains("3.1"), children: [
                Entry(anchor: "s3-1-layers", number: "", title: "The new layer types", present: true),
                Entry(anchor: "s3-1-curves", number: "", title: "Result", present: single.contains("3.1")),
                Entry(anchor: "s3-1-errors", number: "", title: "What the errors have in common", present: single.contains("3.1")),
            ]),
            Entry(anchor: "s3-2", number: "3.2", title: "Convolutional against dense layers", present: true),
            Entry(anchor: "references", number: "", title: "References", present: true),
            Entry(anchor: "run", number: "", title: "About this run", present: true),
        ]
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
