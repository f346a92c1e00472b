import Results
import Training
import Assignment
import Foundation
import NeuralEngine

/// What a build puts together once its trainings are done, besides the report itself: the
/// run's facts, the comparison with a baseline run, and the files copied beside the report.
/// The command line only gathers options and calls these.
public enum ReportAssembly {
    /// The facts of a build that ran `plan` on this machine, started at `started`.
    /// - Parameter git: the checkout's commit and state when the build started (`MachineFacts.git()`
    ///   then): a build of an hour may end after the user has committed again.
    public static func runInfo(plan: ExperimentPlan, records: [TrainingRecord], threads: Int, jobs: Int,
                               datasetChecksum: String, started: Date, git: (commit: String, dirty: Bool)?) -> RunInfo {
        var run = RunInfo(
            gitCommit: git?.commit, gitDirty: git?.dirty, toolchain: MachineFacts.toolchain, cpu: MachineFacts.cpu,
            cores: ProcessInfo.processInfo.activeProcessorCount, threads: threads, jobs: jobs, profile: plan.profile,
            seed: plan.seed, overrides: plan.overrides.map(\.description), sections: plan.sections.map(\.rawValue),
            engineVersion: Engine.version, datasetChecksum: datasetChecksum,
            totalSeconds: Date().timeIntervalSince(started), created: ISO8601DateFormatter().string(from: started))
        run.shards = RunInfo.shardLayout(records)
        (run.os, run.kernels) = (MachineFacts.os, MachineFacts.kernels)
        return run
    }

    /// The comparison of `results` with a baseline run named `name`, after checking the
    /// baseline's predictions against the test labels.
    /// - Throws: `ReportError` when the baseline's recorded accuracies disagree with its own
    ///   predictions, or the two runs have nothing in common.
    public static func comparison(of results: ResultsDocument, with baseline: ResultsDocument, named name: String,
                                  labels: [UInt8]) throws -> RunComparison {
        try baseline.checkPredictions(labels: labels, source: name)
        return try RunComparison(baseline, results, nameA: name, nameB: "this run", labels: labels)
    }

    /// The saved models a build copies beside its report: for each experiment of the catalogue
    /// that saves one, its single training's weights in `cache`, under the catalogue's file name.
    public static func attachments(of records: [TrainingRecord], cache: TrainingCache) -> [String: String] {
        var files: [String: String] = [:]
        for experiment in Catalogue.experiments {
            guard let name = experiment.savedModel, let record = records.first(where: { $0.id == experiment.id }) else { continue }
            files[name] = cache.weightsPath(record.cacheKey)
        }
        return files
    }

    /// The saved models already in a report `folder`, which a re-render copies into the new one.
    public static func attachments(inFolder folder: String) -> [String: String] {
        var files: [String: String] = [:]
        for name in Catalogue.experiments.compactMap(\.savedModel) {
            let path = (folder as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: path) { files[name] = path }
        }
        return files
    }
}
