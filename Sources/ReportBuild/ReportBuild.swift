import Assignment
import Files
import Foundation
import MNIST
import Pipeline
import Rendering
import Results
import Training

/// A report built end to end: the folder and the cache checked before any work, the plan's
/// trainings run (or taken from the cache), the run's results assembled, compared with a
/// baseline when one is given, and rendered into the report folder. With a shard, only that
/// shard's trainings run, into the cache, and nothing is rendered.
///
/// `mnist-report build` parses its options into this value and calls `run`; everything it says
/// goes through `log`, one line at a time.
public struct ReportBuild {
    public var plan: ExperimentPlan
    /// The report's folder name under `reportsDirectory`, already checked (`ReportFolder.checkName`).
    public var name: String
    public var reportsDirectory: String
    public var templatesDirectory: String
    public var cacheDirectory: String
    /// The MNIST folder; nil for `$MNIST_DATA_DIR`, else the embedded copy.
    public var dataDirectory: String?
    /// Trainings in parallel, each in its own process, and the threads of each.
    public var jobs: Int
    public var threadsPerJob: Int
    public var force: Bool
    public var shard: Shard?
    /// A report folder, results file or git revision to compare the run with, and for a revision
    /// the results file's path in the repository.
    public var baseline: String?
    public var baselinePath: String
    /// The executable a child job runs (`mnist-report`, this process's own binary).
    public var childExecutable: String

    public init(plan: ExperimentPlan, name: String, reportsDirectory: String, templatesDirectory: String,
                cacheDirectory: String, dataDirectory: String?, jobs: Int, threadsPerJob: Int, force: Bool,
                shard: Shard?, baseline: String?, baselinePath: String, childExecutable: String) {
        (self.plan, self.name, self.reportsDirectory, self.templatesDirectory) = (plan, name, reportsDirectory, templatesDirectory)
        (self.cacheDirectory, self.dataDirectory, self.jobs, self.threadsPerJob) = (cacheDirectory, dataDirectory, jobs, threadsPerJob)
        (self.force, self.shard, self.baseline, self.baselinePath) = (force, shard, baseline, baselinePath)
        self.childExecutable = childExecutable
    }

    /// Runs the build, saying what it does through `log`.
    /// - Throws: `ReportError` (or a file error) naming what stopped it; the report folder is
    ///   then as it was.
    public func run(log: @escaping @Sendable (String) -> Void) throws {
        let started = Date()
        // The code that trains is the checkout's as the build starts, not as it ends.
        let git = MachineFacts.git()
        try OutputFolder.prepare(reportsDirectory, option: "--reports-dir")
        try OutputFolder.prepare(cacheDirectory, option: "--cache-dir")
        let folder = ReportFolder((reportsDirectory as NSString).appendingPathComponent(name))
        if shard == nil {
            // Before hours of training: a folder the tool did not make, a file of the user's that
            // the report would replace, a folder that cannot be written.
            let names = ReportFolder.fileNames(experiments: Set(plan.sections.map(\.rawValue)))
            for line in try folder.checkBeforeWork(writing: names) { log(line) }
        }
        for entry in TemporaryName.removeStale(in: cacheDirectory) {
            log("removed \(cacheDirectory)/\(entry), left by an interrupted process")
        }
        let templates = try StrictTemplates(directory: templatesDirectory)   // fail early on a broken template
        let reference = try baseline.map { try RunReference.load($0, resultsPath: baselinePath) }   // and on a bad baseline
        let dataset = try Self.loadData(dataDirectory)
        let data = PreparedData(dataset)
        // What each model's epoch costs, as the committed full report measured it: the shards'
        // weights and the trainings' order, the same in every process of one checkout.
        let costs = EpochCosts.load(resultsPath: (reportsDirectory as NSString).appendingPathComponent("latest/results.json"))
        if let shard {
            let owned = shard.trainings(of: plan, costs: costs)
            let cost = owned.reduce(0.0) { $0 + costs.cost(plan.trainings[$1]) }
            let total = plan.trainings.reduce(0.0) { $0 + costs.cost($1) }
            log("Shard \(shard) (set by \(shard.source.rawValue)): \(owned.count) of \(plan.trainings.count) trainings, "
                + "estimated \(BuildRunner.minutes(cost)) of \(BuildRunner.minutes(total)) (ideal share \(BuildRunner.minutes(total / Double(shard.count)))); "
                + "into \(cacheDirectory), no report")
            log("  epoch costs \(costs.source)")
            for index in owned {
                log("  \(plan.trainings[index].id)  estimated \(BuildRunner.minutes(costs.cost(plan.trainings[index])))")
            }
        } else {
            log("Build \"\(name)\": profile \(plan.profile.rawValue), \(Self.count(plan.trainings.count, "training")), "
                + "\(Self.count(plan.totalEpochs, "epoch")), \(Self.count(jobs, "job")) × \(Self.count(threadsPerJob, "thread"))")
        }
        if plan.profile == .quick { log("Quick profile: a few epochs per training; the numbers are NOT the notebook's settings.") }
        let cache = TrainingCache(directory: cacheDirectory)
        let runner = BuildRunner(plan: plan, data: data, cache: cache, force: force, jobs: jobs, threads: threadsPerJob,
                                 shard: shard, costs: costs, childCommand: (childExecutable, dataDirectory), log: log)
        let records = try runner.run()
        let cached = records.filter(\.fromCache).count
        if let shard {
            log("Shard \(shard) done: \(Self.count(records.count, "training")) in \(cacheDirectory) (\(cached) from the cache, \(records.count - cached) trained) "
                + "in \(Self.decimal(Date().timeIntervalSince(started))) s. Merge the shards' caches with `mnist-report cache merge`, then build.")
            return
        }
        let run = ReportAssembly.runInfo(plan: plan, records: records, threads: threadsPerJob, jobs: jobs,
                                         datasetChecksum: data.checksum, started: started, git: git)
        if let git, let now = MachineFacts.git()?.commit, now != git.commit {
            log("The checkout moved from \(git.commit.prefix(12)) to \(now.prefix(12)) during the build; "
                + "the report records \(git.commit.prefix(12)), the commit the build started from.")
        }
        let results = ResultsDocument(run: run, trainings: records)
            .recordingFigureImages(labels: dataset.test.labels) { Array(dataset.test.image($0)) }
        var comparison: ComparisonView?
        if let (reference, referenceName) = reference {
            let against = try ReportAssembly.comparison(of: results, with: reference, named: referenceName, labels: dataset.test.labels)
            log(against.table())
            comparison = against.context()
        }
        let swap = try ReportWriter(templates: templates)
            .write(results, to: folder.shownPath, comparison: comparison, attachments: ReportAssembly.attachments(of: records, cache: cache))
        for line in swap.lines(in: folder.shownPath) { log(line) }
        log("Wrote \(folder.shownPath)/index.html (\(Self.count(records.count, "training")): \(cached) from the cache, \(records.count - cached) trained) "
            + "in \(Self.decimal(Date().timeIntervalSince(started))) s")
    }

    /// The verified data set of `directory` (nil: the default), its failures as one clear line.
    public static func loadData(_ directory: String?) throws -> MNISTDataset {
        do {
            return try MNISTDataset.load(directory: directory)
        } catch let error as MNISTError {
            throw ReportError(String(describing: error))
        }
    }

    /// "1 training", "2 trainings".
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// One decimal: "12.3".
    static func decimal(_ value: Double) -> String { String(format: "%.1f", value) }
}
