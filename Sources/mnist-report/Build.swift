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
import ReportBuild

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

    /// One training per thread by default: independent trainings side by side on one thread each
    /// beat the same trainings in turn on every thread (two single-thread trainings took 0.67 × the
    /// time of two 2-thread trainings in turn for the 500-300 dense network, 0.93 × for the CNN of
    /// 3.1b: medians of three interleaved pairs on a 2-core Xeon with AVX-512), since a training's
    /// serial stretches (batching, loss, optimiser) and its threads' hand-offs cost more than the
    /// one core's share of the memory bandwidth.
    @Option(help: "Trainings run in parallel, each in its own process on its share of --threads (default: as many as --threads, one thread each).")
    var jobs: Int?

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
        if let jobs { try Bounds.check("--jobs", jobs, within: Bounds.threads) }
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

    func run() throws {   // each training sets its own threads (TrainingJob.threads)
        let jobs = self.jobs ?? machine.threads
        let plan = ExperimentPlan(profile: profile, seed: seed, overrides: try overrides.map(parse),
                                  sections: sections.isEmpty ? Section.allCases : sections)
        try ReportBuild(plan: plan, name: name, reportsDirectory: reportsDir, templatesDirectory: templates,
                        cacheDirectory: cacheDir, dataDirectory: machine.dataDir, jobs: jobs,
                        threadsPerJob: max(1, machine.threads / jobs), force: force, shard: try selectedShard(),
                        baseline: baseline, baselinePath: baselinePath,
                        childExecutable: Bundle.main.executablePath ?? CommandLine.arguments[0])
            .run(log: { say($0) })
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

    func run() throws {
        try withComputeThreads(machine.threads) {
            try ReportRender(folder: folder, templatesDirectory: templates, dataDirectory: machine.dataDir).run(log: { say($0) })
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

    /// Trains, telling the build each epoch and the test accuracy as `ChildEvent` lines.
    func execute(_ job: ChildJob) throws {
        let data = PreparedData(try MachineOptions.prepare(dataDir: job.dataDirectory))
        let events = FitCallbacks(epochEnded: { say(ChildEvent(epoch: $0).encoded) })
        let record = try job.trainingJob.run(on: data, cache: TrainingCache(directory: job.cacheDirectory), callbacks: events)
        say(ChildEvent(testAccuracy: record.testAccuracy).encoded)
    }
}

extension Profile: ExpressibleByArgument {}
extension Section: ExpressibleByArgument {}
