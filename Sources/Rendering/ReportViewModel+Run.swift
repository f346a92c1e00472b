import Results
import Assignment
import Foundation
import Architecture

/// The run's facts, the contents, the run's files and the table of trainings.
extension ReportViewModel {
    /// What the report shows for a fact that results written before it was recorded lack.
    static let notRecorded = "not recorded"

    static func run(_ r: ResultsDocument) -> RunView {
        let run = r.run
        let cached = r.trainings.filter(\.fromCache).count
        let cpu = cpuParts(run.cpu)
        return RunView(
            cpuModel: cpu.model, kernels: kernelsText(run, cpuKernels: cpu.kernels),
            os: run.os ?? notRecorded,
            workingTree: workingTree(run),
            profile: run.profile.rawValue,
            isQuick: run.profile == .quick,
            commit: run.gitCommit.map { String($0.prefix(12)) } ?? "not a git checkout",
            dirty: run.gitDirty == true,
            toolchain: run.toolchain, cpu: run.cpu, cores: String(run.cores),
            threads: String(run.threads), jobs: String(run.jobs),
            parallelism: "\(run.threads) \(run.threads == 1 ? "thread" : "threads") per training, "
                + "\(run.jobs) \(run.jobs == 1 ? "training" : "trainings") at a time",
            totalTime: NumberFormat.duration(run.totalSeconds),
            trainingTime: NumberFormat.duration(r.trainings.reduce(0) { $0 + $1.secondsPerEpoch.reduce(0, +) }),
            created: run.created, seed: String(run.seed),
            overrides: run.overrides.isEmpty ? "none" : run.overrides.joined(separator: ", "),
            hasOverrides: !run.overrides.isEmpty,
            engineVersion: run.engineVersion, dataset: String(run.datasetChecksum.prefix(16)),
            trainings: String(r.trainings.count), cached: String(cached), trained: String(r.trainings.count - cached),
            epochPlan: epochPlan(r))
    }

    /// The epochs of each kind of training in the run beside the notebook's (for the quick-profile warning).
    static func epochPlan(_ r: ResultsDocument) -> [RunView.EpochPlanRow] {
        let full = Dictionary(ExperimentPlan.full.trainings.map { ($0.id, $0.spec.hyperparameters.epochs) },
                              uniquingKeysWith: { a, _ in a })
        var seen = Set<String>()
        var rows: [RunView.EpochPlanRow] = []
        for t in r.trainings {
            let label = t.sweepIndex != nil ? t.section + " sweep" : t.id == t.section ? t.section : t.section + " ablation"
            guard seen.insert(label).inserted, let planned = full[t.id] else { continue }
            rows.append(.init(label: label, epochs: String(t.hyperparameters.epochs), notebookEpochs: String(planned),
                              matches: t.hyperparameters.epochs == planned))
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
        let suffix = " kernels)"
        guard cpu.hasSuffix(suffix), let start = cpu.range(of: " (", options: .backwards),
              start.upperBound <= cpu.index(cpu.endIndex, offsetBy: -suffix.count) else { return (cpu, nil) }
        // "(avx512 kernels)" since engine 3, "(OpenBLAS Haswell kernels)" before.
        var kernels = Substring(cpu[start.upperBound..<cpu.index(cpu.endIndex, offsetBy: -suffix.count)])
        if kernels.hasPrefix("OpenBLAS ") { kernels = kernels.dropFirst(9) }
        let name = kernels.trimmingCharacters(in: .whitespaces)
        return name.isEmpty || name != kernels ? (cpu, nil) : (String(cpu[..<start.lowerBound]), name)
    }

    /// Which kernels computed the run's products: the engine's level (engine 3 on, with the note
    /// that it changes speed only), or, in older results, OpenBLAS's kernel set and library.
    static func kernelsText(_ run: RunInfo, cpuKernels: String?) -> String {
        if let level = run.kernels {
            return "the engine's \(level) kernels (every level computes the same bits; only the speed differs)"
        }
        guard let core = run.coreType ?? cpuKernels else { return notRecorded }
        return "OpenBLAS's \(core) kernels" + (run.openblas.map { " (\($0))" } ?? "")
    }

    /// The report folder's own files for "About this run": `results.json`, the saved models the
    /// folder has (`attachments`, the names `ReportWriter` copies in; the catalogue says which
    /// experiment saves which), and each figure's SVG and PNG in reading order.
    static func files(_ figures: [ReportFigure], attachments: [String]) -> FilesView {
        let models = Catalogue.experiments.compactMap { experiment -> FilesView.SavedModel? in
            guard let file = experiment.savedModel, attachments.contains(file) else { return nil }
            return .init(file: file, section: experiment.id, anchor: experiment.anchor, what: experiment.model.summary)
        }
        return FilesView(results: "results.json", hasModel: !models.isEmpty, models: models,
                         figures: figures.map { .init(number: String($0.number), id: $0.id, svg: "\($0.id).svg", png: "\($0.id).png") })
    }

    /// A heading of the contents: its anchor, number, title, whether the run has what it shows,
    /// and the headings under it.
    struct ContentsEntry {
        var anchor: String
        var number: String
        var title: String
        var present: Bool
        var children: [ContentsEntry]
        var hasChildren: Bool

        init(anchor: String, number: String, title: String, present: Bool, children: [ContentsEntry] = []) {
            (self.anchor, self.number, self.title, self.present) = (anchor, number, title, present)
            (self.children, hasChildren) = (children, !children.isEmpty)
        }
    }

    /// Every section in reading order, with its subsections; `present` is false for a heading
    /// whose training the run left out.
    static func contents(_ r: ResultsDocument) -> [ContentsEntry] {
        Catalogue.chapters.map { chapter in
            guard let experiment = chapter.experiment else {
                return ContentsEntry(anchor: chapter.anchor, number: chapter.number, title: chapter.title, present: true)
            }
            return ContentsEntry(
                anchor: chapter.anchor, number: chapter.number, title: chapter.title,
                present: r.trainings.contains { $0.section == experiment.id },
                children: experiment.subsections.map {
                    ContentsEntry(anchor: $0.anchor, number: "", title: $0.title, present: shows($0.needs, of: experiment, in: r))
                })
        }
    }

    /// Whether the run holds what a part of `experiment` needs.
    static func shows(_ needs: Experiment.Needs, of experiment: Experiment, in r: ResultsDocument, labels: [UInt8]? = nil) -> Bool {
        let single = r.trainings.first { $0.id == experiment.id }
        let sweep = r.trainings.contains { $0.section == experiment.id && $0.sweepIndex != nil }
        switch needs {
        case .always: return true
        case .single: return single != nil
        case .sweep: return sweep
        case .any: return single != nil || sweep
        case .variants:
            return experiment.variants.contains { variant in r.trainings.contains { $0.id == experiment.trainingID(variant) } }
        case .errors:
            // The single training's predictions, one per test image, and at least one mistake.
            guard let single, labels.map({ single.testPredictions.count == $0.count }) ?? true else { return false }
            return TrainingView.errors(single) > 0
        }
    }

    static func trainingRow(_ r: TrainingRecord) -> TrainingRow {
        TrainingRow(id: r.id, model: r.model.rawValue, epochs: String(r.hyperparameters.epochs),
                    l2: r.hyperparameters.l2.map { NumberFormat.factor($0) } ?? "–", seed: String(r.seed),
                    testAccuracy: NumberFormat.accuracy(r.testAccuracy), secondsPerEpoch: NumberFormat.seconds(r.medianSecondsPerEpoch),
                    source: r.fromCache ? "cache" : "trained", weights: r.weightsSHA256)
    }
}

/// The facts of the run the report tells in "About this run", as text.
struct RunView {
    var cpuModel, kernels, os, workingTree, profile: String
    var isQuick: Bool
    var commit: String
    var dirty: Bool
    var toolchain, cpu, cores, threads, jobs: String
    /// Threads per training and trainings at a time, in words ("1 thread per training, 2 trainings at a time").
    var parallelism: String
    /// The build's own time (seconds when every training came from the cache), and the time the
    /// trainings took when they ran, summed over their epochs.
    var totalTime, trainingTime: String
    var created, seed, overrides: String
    var hasOverrides: Bool
    var engineVersion, dataset, trainings, cached, trained: String
    var epochPlan: [EpochPlanRow]

    /// One kind of training's epochs in the run and in the notebook.
    struct EpochPlanRow {
        var label, epochs, notebookEpochs: String
        var matches: Bool
    }
}

/// The report folder's own files: the results, the saved models and the figures' files.
struct FilesView {
    var results: String
    var hasModel: Bool
    var models: [SavedModel]
    var figures: [FigureFiles]

    struct SavedModel {
        var file, section, anchor, what: String
    }

    struct FigureFiles {
        var number, id, svg, png: String
    }
}

/// One row of the table of every training of the run.
struct TrainingRow {
    var id, model, epochs, l2, seed, testAccuracy, secondsPerEpoch, source, weights: String
}
