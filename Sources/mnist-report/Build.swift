import ArgumentParser
import Assignment
import Training
import CSystemCalls
import Files
import Foundation
import MNIST
import NeuralEngine
import Results
import Pipeline
import Rendering

struct Build: ParsableCommand, ConsoleCommand {
    static let configuration = CommandConfiguration(
        abstract: "Runs every section's experiments and renders the report into reports/<name>/.",
        discussion: """
            Sections \(Catalogue.sectionsHelp), then figures (Cairo, SVG and PNG) and the HTML \
            report from templates/. Finished trainings are cached by a hash of everything that \
            determines them, so a second build with nothing changed retrains nothing; --force \
            retrains. The full profile follows the notebook (\(ExperimentPlan.full.trainings.count) trainings); the quick one \
            runs a few epochs each, for CI, and the report says so.
            """)

    @Option(help: "full (the notebook's settings) or quick (a few epochs each, for CI).")
    var profile: Profile = .full

    @Option(name: .customLong("only"), parsing: .upToNextOption,
            help: ArgumentHelp("Sections to run: \(Section.allCases.map(\.rawValue).joined(separator: ", ")) (default: all).", valueName: "section"))
    var sections: [Section] = []

    @Option(help: "Base seed; every training derives its own from it.")
    var seed: UInt64 = 1

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Override a hyper-parameter of every training: epochs=N, batch-size=N or learning-rate=X (repeatable).",
        valueName: "key=value"))
    var overrides: [String] = []

    @Option(help: "Trainings run in parallel, each in its own process on its share of the cores.")
    var jobs: Int = 1

    @Option(help: ArgumentHelp("The report's folder name under reports/.", valueName: "name"))
    var name: String = "latest"

    @Option(help: ArgumentHelp("Where reports go.", valueName: "dir"))
    var reportsDir: String = "reports"

    @Option(help: ArgumentHelp("The Mustache templates.", valueName: "dir"))
    var templates: String = "templates"

    @Option(help: ArgumentHelp("The cache of finished trainings.", valueName: "dir"))
    var cacheDir: String = ".cache/trainings"

    @Flag(help: "Retrain everything, ignoring the cache.")
    var force = false

    // Unconditional: `--shard -1/3` reaches the check of the I/N form instead of reading as an option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Train only shard I of N of the plan into the cache, and render nothing (then `cache merge` the shards' caches and build again). Default: the scheduler's shard (Slurm job array, Kubernetes Indexed Job), else the whole plan.", valueName: "I/N"))
    var shard: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("The number of shards of a Kubernetes Indexed Job (default: $\(Shard.countVariable)); each pod's index is $JOB_COMPLETION_INDEX.", valueName: "N"))
    var shards: Int?

    @Option(help: ArgumentHelp("Add a section comparing this run with another: a report folder, a results file or a git revision.", valueName: "run"))
    var baseline: String?

    @Option(help: ArgumentHelp("For a git revision as --baseline: the results file's path in the repository.", valueName: "path"))
    var baselinePath: String = "reports/latest/results.json"

    @OptionGroup var machine: MachineOptions

    func validate() throws {
        try Bounds.check("--jobs", jobs, within: Bounds.threads)
        do { try ReportFolder.checkName(name) } catch let error as ReportError { throw ValidationError(error.description) }
        for text in overrides { _ = try parse(text) }
        do { _ = try selectedShard() } catch let error as ReportError { throw ValidationError(error.description) }
    }

    /// The shard this process builds: --shard, else the scheduler's, else nil (all of the plan).
    func selectedShard() throws -> Shard? {
        try Shard.resolve(flag: try shard.map(Shard.init(parsing:)), shards: shards,
                          environment: ProcessInfo.processInfo.environment)
    }

    func parse(_ text: String) throws -> Override {
        do { return try Override(parsing: text) } catch let error as PlanError { throw ValidationError(error.description) }
    }

    func run() throws { try execute() }   // each training sets its own threads (TrainingJob.threads)

    func execute() throws {
        let started = Date()
        try OutputFolder.prepare(reportsDir, option: "--reports-dir")
        try OutputFolder.prepare(cacheDir, option: "--cache-dir")
        let selected = try selectedShard()
        let folder = ReportFolder((reportsDir as NSString).appendingPathComponent(name))
        let plannedSections = sections.isEmpty ? Section.allCases : sections
        if selected == nil {
            // Before hours of training: a folder the tool did not make, a file of the user's that
            // the report would replace, a folder that cannot be written.
            let names = ReportFolder.fileNames(experiments: Set(plannedSections.map(\.rawValue)))
            for line in try folder.checkBeforeWork(writing: names) { say(line) }
        }
        for entry in TemporaryName.removeStale(in: cacheDir) { say("removed \(cacheDir)/\(entry), left by an interrupted process") }
        let templateSet = try StrictTemplates(directory: templates)   // fail early on a broken template
        let reference = try baseline.map { try RunReference.load($0, resultsPath: baselinePath) }   // and on a bad baseline
        let dataset = try machine.prepare()
        let data = PreparedData(dataset)
        let plan = ExperimentPlan(profile: profile, seed: seed, overrides: try overrides.map(parse),
                                  sections: plannedSections)
        let threadsPerJob = max(1, machine.threads / jobs)
        if let selected {
            let owned = selected.trainings(of: plan)
            let cost = owned.reduce(0.0) { $0 + BuildRunner.cost(plan.trainings[$1]) }
            let total = plan.trainings.reduce(0.0) { $0 + BuildRunner.cost($1) }
            say("Shard \(selected) (set by \(selected.source.rawValue)): \(owned.count) of \(plan.trainings.count) trainings, "
                + "estimated cost \(format(cost, 1)) of \(format(total, 1)) (ideal share \(format(total / Double(selected.count), 1))); "
                + "into \(cacheDir), no report")
            for index in owned {
                say("  \(plan.trainings[index].id)  cost \(format(BuildRunner.cost(plan.trainings[index]), 1))")
            }
        }
        if selected == nil { say("Build \"\(name)\": profile \(profile.rawValue), \(plan.trainings.count) trainings, \(plan.totalEpochs) epochs, "
            + "\(jobs) job\(jobs == 1 ? "" : "s") × \(threadsPerJob) thread\(threadsPerJob == 1 ? "" : "s")") }
        if profile == .quick { say("Quick profile: a few epochs per training; the numbers are NOT the notebook's settings.") }
        let runner = BuildRunner(plan: plan, data: data, cache: TrainingCache(directory: cacheDir), force: force,
                                 jobs: jobs, threads: threadsPerJob, shard: selected,
                                 childCommand: (Bundle.main.executablePath ?? CommandLine.arguments[0], machine.dataDir),
                                 log: { say($0) })
        let records = try runner.run()
        if let selected {
            let cached = records.filter(\.fromCache).count
            say("Shard \(selected) done: \(records.count) trainings in \(cacheDir) (\(cached) from the cache, \(records.count - cached) trained) "
                + "in \(format(Date().timeIntervalSince(started), 1)) s. Merge the shards' caches with `mnist-report cache merge`, then build.")
            return
        }
        let run = ReportAssembly.runInfo(plan: plan, records: records, threads: threadsPerJob, jobs: jobs,
                                         datasetChecksum: data.checksum, started: started)
        let results = ResultsDocument(run: run, trainings: records)
            .recordingFigureImages(labels: dataset.test.labels) { Array(dataset.test.image($0)) }
        var comparison: ComparisonView?
        if let (reference, referenceName) = reference {
            let against = try ReportAssembly.comparison(of: results, with: reference, named: referenceName, labels: dataset.test.labels)
            say(against.table())
            comparison = against.context()
        }
        let attachments = ReportAssembly.attachments(of: records, cache: TrainingCache(directory: cacheDir))
        let swap = try ReportWriter(templates: templateSet)
            .write(results, to: folder.shownPath, comparison: comparison, attachments: attachments)
        sayKept(swap, in: folder.shownPath)
        let cached = records.filter(\.fromCache).count
        say("Wrote \(folder.shownPath)/index.html (\(records.count) trainings: \(cached) from the cache, \(records.count - cached) trained) "
            + "in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}

struct Render: ParsableCommand, ConsoleCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-renders a report from its results.json alone (no training), e.g. after editing a template.")

    @Argument(help: ArgumentHelp("The report folder (holding results.json).", valueName: "folder"))
    var folder: String = "reports/latest"

    @Option(help: ArgumentHelp("The Mustache templates.", valueName: "dir"))
    var templates: String = "templates"

    @OptionGroup var machine: MachineOptions

    func run() throws { try withComputeThreads(machine.threads) { try execute() } }

    func execute() throws {
        let started = Date()
        guard !folder.isEmpty else { throw CommandError("the report folder is empty (\"\"); give the folder that holds results.json") }
        if let kind = InputFile.kind(folder), kind != .directory {
            throw CommandError("\(folder) is \(kind.phrase), not a report folder; give the folder that holds results.json")
        }
        let resultsPath = (folder as NSString).appendingPathComponent("results.json")
        var results = try ResultsDocument.read(path: resultsPath)
        let templateSet = try StrictTemplates(directory: templates)
        if results.testSet == nil {
            // Results of schema 1 and 2 hold no test images: they are taken from the data set
            // the build read, found by its checksum, and recorded in the rewritten results.json.
            let dataset = try machine.prepare()
            guard dataset.checksum == results.run.datasetChecksum else {
                throw CommandError("\(resultsPath) (schema \(results.schemaVersion)) records no test images, and the data set read "
                    + "(\(machine.dataDir ?? "the embedded copy"), checksum \(dataset.checksum.prefix(16))…) is not the one it was built from "
                    + "(\(results.run.datasetChecksum.prefix(16))…); give that MNIST folder with --data")
            }
            say("\(resultsPath) is of schema \(results.schemaVersion): its test labels and figure images are taken from the data set")
            results = results.recordingFigureImages(labels: dataset.test.labels) { Array(dataset.test.image($0)) }
        }
        // A hand-edited accuracy is refused here as compare refuses it: the page would show it.
        try results.checkPredictions(labels: results.testSet?.labelValues ?? [], source: resultsPath)
        if try ReportFolder(folder).adoptResultsAlone() {
            say("\(folder) holds only results.json: its report is rendered beside it")
        }
        // Files that are not rendered (the saved models) are copied into the new folder from the
        // old one, which the writer only moves aside after the new folder is complete; a file of
        // the user's under such a name is the user's, not a saved model.
        let users = Set(try ReportFolder(folder).foreignEntries() ?? [])
        let attachments = ReportAssembly.attachments(inFolder: folder).filter { !users.contains($0.key) }
        let swap = try ReportWriter(templates: templateSet).write(results, to: folder, attachments: attachments)
        sayKept(swap, in: folder)
        say("Re-rendered \(folder)/index.html in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}

extension ConsoleCommand {
    /// Says what a report's swap did with the user's files: moved into the new report, or kept
    /// beside it when they could not be (a file under a name the report writes, or one that kept
    /// arriving in the old folder through a handle on it).
    func sayKept(_ swap: ReportFolder.Swap, in folder: String) {
        func list(_ names: [String]) -> String {
            names.prefix(10).joined(separator: ", ") + (names.count > 10 ? " and \(names.count - 10) more" : "")
        }
        if !swap.kept.isEmpty { say("Kept files of yours in \(folder) (moved into the new report): \(list(swap.kept))") }
        if let leftIn = swap.leftIn {
            say("Files of yours that reached the old report during the swap could not be moved into \(folder) "
                + "(a file of that name is there, or they kept arriving); they are kept in \(leftIn): \(list(swap.left))")
        }
    }
}

/// One training of a build, run by a child process of `build --jobs N`.
struct TrainOne: ParsableCommand, ConsoleCommand {
    static let configuration = CommandConfiguration(commandName: ChildJob.command, shouldDisplay: false)

    /// The `ChildJob` the build encoded: the one description of the protocol.
    @Option var job: String

    func run() throws {
        let job: ChildJob
        do {
            job = try JSONDecoder().decode(ChildJob.self, from: Data(self.job.utf8))
        } catch {
            throw CommandError("\(ChildJob.command) --job: not a job a build wrote (\(error.localizedDescription))")
        }
        try Bounds.check("--job threads", job.threads, within: Bounds.threads)
        // SIGTERM when the build's process ends, however it ends; and if it already has, stop now.
        _ = system_calls_die_with_parent()
        guard getppid() == job.parentPid else { throw ExitCode(1) }
        try execute(job)
    }

    func execute(_ job: ChildJob) throws {
        let data = PreparedData(try MachineOptions.prepare(dataDir: job.dataDirectory))
        let progress = ProgressPrinter(console: console)
        let record = try job.trainingJob
            .run(on: data, cache: TrainingCache(directory: job.cacheDirectory), callbacks: progress.callbacks)
        say("test accuracy \(format(record.testAccuracy, 4))")
    }
}

extension Profile: ExpressibleByArgument {}
extension Section: ExpressibleByArgument {}
