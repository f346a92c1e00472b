import ArgumentParser
import Dispatch
import Foundation
import Results
import Pipeline
import Rendering
import Assignment
import Files

struct Bisect: ParsableCommand, ConsoleCommand {
    static let configuration = CommandConfiguration(
        abstract: "Finds the first commit between GOOD and BAD at which a training's result changed, building and training the probes itself.",
        discussion: """
            First, where GOOD's and BAD's committed results hold the training, it says what the \
            committed history already shows (as history does). Then it bisects along the first \
            parents of GOOD..BAD: each probe commit is checked out in a git worktree of its own, \
            built with a scratch path of its own (shared by the probes, in the workspace) and \
            trained on the quick profile (--profile full for the notebook's) with the shared \
            training cache. A commit is changed when the training's weights or metrics differ \
            from GOOD's (results are the same bits on every machine); its verdict against GOOD \
            (McNemar, Welch for a sweep point) says whether the change is a regression. A probe \
            that does not build or train is skipped, as git bisect skip would. The user's work \
            tree, index and .build are never touched; the worktrees are removed, even on an interrupt.

            Exit status: 0 when the first changed commit is found; 1 when it is not (skipped \
            probes, nothing changed); 2 for bad input.
            """)

    @Argument(help: "A commit where the training is as it should be.")
    var good: String

    @Argument(help: "A later commit where it changed.")
    var bad: String

    @Option(help: ArgumentHelp("The training's id (2.3, 3.1, 3.1b-all) or a sweep point's (\"2.4 sweep L2 0.0001\").", valueName: "id"))
    var training: String

    @Option(help: "quick (a few epochs, the default) or full (the notebook's settings).")
    var profile: String = "quick"

    @Option(help: ArgumentHelp("The section to build for the training (default: its section in the committed results, else its id's).", valueName: "section"))
    var section: String?

    @Option(help: ArgumentHelp("The shared cache of finished trainings (a relative path is taken from here, not from the probes' worktrees).", valueName: "dir"))
    var cacheDir: String = ".cache/trainings"

    @Option(help: ArgumentHelp("Where the worktrees, the scratch path and the probes' logs go (default: a new temporary folder, removed at the end).", valueName: "dir"))
    var workspace: String?

    @OptionGroup var committed: CommittedResultsOptions

    @OptionGroup var machine: MachineOptions

    var repository: String { committed.repository }
    var resultsPath: String { committed.resultsPath }
    var significance: Double { committed.significance }

    /// The longest range bisected, in commits.
    static let maximumCommits = 100_000

    func validate() throws {
        guard ["quick", "full"].contains(profile) else { throw ValidationError("--profile takes quick or full, got '\(profile)'") }
        guard !training.isEmpty, training.count <= 100, !training.contains("\n") else {
            throw ValidationError("--training takes a training's id of 1 to 100 characters, got '\(training)'")
        }
        if let section, section.isEmpty || section.hasPrefix("-") { throw ValidationError("--section takes a section such as 2.3, got '\(section)'") }
    }

    func run() throws {
        let started = Date()
        let git = GitRepository(directory: repository)
        let commits: [Bisection.Commit]
        let labels: [UInt8]
        let section: String
        let folder = workspace ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("mnist-report-bisect-\(UUID().uuidString.prefix(8))")
        do {
            // Everything that can be wrong with the request is found before anything is built.
            commits = try Bisection.commits(from: good, to: bad, in: git, maximum: Self.maximumCommits)
            labels = try machine.prepare().test.labels
            let committedSection = committedHistory(commits, git: git, labels: labels)
            let planned = Bisection.trainings(of: ExperimentPlan(profile: Profile(rawValue: profile)!))
            guard let chosen = self.section ?? committedSection ?? planned.first(where: { $0.id == training })?.section else {
                throw ReportError("--training \(RawJSON.quote(training)) is neither a training of the \(profile) plan nor held by the committed results "
                                  + "at GOOD or BAD; the plan's: \(planned.map(\.id).joined(separator: ", "))")
            }
            section = chosen
            if let workspace { try Self.checkWorkspace(workspace) }
        } catch let error as ReportError {
            printError("Error: \(error)")
            throw ExitCode(2)
        }
        let temporary = workspace == nil
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            // A part of the path that is a file ($TMPDIR naming one) is named as such.
            let parent = PathText.parent(folder)
            let why = InputFile.kind(parent) == .directory ? FileProblem.describe(error) : FileProblem.whyMissing(folder)
            throw CommandError("cannot create the workspace \(folder): \(why)")
        }
        let cache = URL(fileURLWithPath: cacheDir).standardizedFileURL.path
        let probe = WorktreeProbe(repository: git, workspace: folder, cacheDirectory: cache, profile: profile, section: section,
                                  progress: { say("  … " + $0) })
        for tree in probe.reclaim() { say("Removed the worktree \(tree), left by an earlier bisection in this workspace.") }
        let finish: @Sendable () -> Void = { probe.cleanUp(); if temporary { try? FileManager.default.removeItem(atPath: folder) } }
        // A reader that leaves (| head, quitting less) ends the command through the checked
        // writer, with one line and exit 1, after the worktrees are removed.
        signal(SIGPIPE, SIG_IGN)
        ClosingActions.shared.add(finish)
        let interrupts = Self.cleanUpOnInterrupt(finish)
        defer { interrupts.forEach { $0.cancel() } }
        say("Bisecting \(commits.count - 1) commits after \(commits[0].hash.prefix(8)) for \(UntrustedText.terminal(training)) "
            + "(section \(section), \(profile) profile, workspace \(folder)); each probe builds and trains its commit.")
        let bisection = Bisection(commits: commits, training: training, labels: labels, significance: significance, probe: probe) { p in
            say("probe #\(p.index) \(p.commit.hash.prefix(8)) \(UntrustedText.terminal(String(p.commit.subject.prefix(70)))): \(UntrustedText.terminal(p.verdict))")
        }
        // An interrupt's handler removes the worktrees and exits; its probe is not a verdict.
        if probe.isInterrupted { while true { Thread.sleep(forTimeInterval: 1) } }
        finish()
        let seconds = Date().timeIntervalSince(started)
        let tally = "\(bisection.steps) step\(bisection.steps == 1 ? "" : "s") between GOOD and BAD (log2 of \(commits.count - 1) commits: about \(bisection.expectedSteps)), \(bisection.probes.count) probes, \(Int(seconds.rounded())) s"
        if let index = bisection.firstChanged {
            let commit = commits[index]
            say("First changed commit: \(commit.hash) \(UntrustedText.terminal(commit.subject))")
            if let p = bisection.probes.first(where: { $0.index == index }) { say("  its verdict: \(UntrustedText.terminal(p.verdict))") }
            say(tally + ".")
            return
        }
        if let failure = bisection.failure {
            printError("No first changed commit: \(failure) (\(tally)).")
        } else {
            let list = bisection.candidates.map { String(commits[$0].hash.prefix(8)) }.joined(separator: " ")
            printError("No single first changed commit: skipped probes leave these candidates: \(list) (\(tally)).")
        }
        throw ExitCode(1)
    }

    /// Refuses a workspace that another user could plant files in: one that exists and is not
    /// the user's own, or that others may write (a folder in /tmp made by someone else).
    /// - Throws: `ReportError` naming the folder.
    static func checkWorkspace(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw ReportError("--workspace \(path) is not a folder (a symbolic link is not followed); give a folder of yours, or a new path")
        }
        guard info.st_uid == geteuid(), info.st_mode & 0o002 == 0 else {
            throw ReportError("--workspace \(path) belongs to another user or can be written by others, who could plant files where the probes write; "
                              + "give a folder only you can write, or a new path")
        }
    }

    /// Says what the committed results already show between GOOD and BAD, when both hold the
    /// training; returns the training's section there, if found.
    func committedHistory(_ commits: [Bisection.Commit], git: GitRepository, labels: [UInt8]) -> String? {
        // GOOD's parent..BAD, so GOOD's results come first (a root GOOD: everything up to BAD).
        let (good, bad) = (commits[0].hash, commits.last!.hash)
        let range = (try? git.commit(good + "^")).map { "\($0)..\(bad)" } ?? bad
        guard var history = try? ResultsHistory.load(range: range, resultsPath: resultsPath, repository: git) else { return nil }
        history.dropInconsistent(labels: labels)
        let holding = history.points.filter { $0.results.training(training) != nil || HistoryAnalysis.seriesIDs(in: $0.results).contains(training) }
        let section = holding.first.flatMap { point in point.results.training(training)?.section }
        guard let first = history.points.first, first.commit == good, holding.first?.commit == first.commit,
              let (lastResults, _) = try? RunReference.load(bad, resultsPath: resultsPath, repository: repository),
              !HistoryAnalysis.records(training, in: lastResults).isEmpty else {
            say("The committed results do not hold \(UntrustedText.terminal(training)) at both GOOD and BAD: nothing to say from them.")
            return section
        }
        let analysis = HistoryAnalysis(history.points, labels: labels, significance: significance)
        let steps = analysis.steps.filter { $0.series == training && $0.metric == .accuracy && $0.verdict != .identical }
        say("The committed results (\(history.points.count) along GOOD..BAD) already show, for \(UntrustedText.terminal(training)):")
        if steps.isEmpty { say("  no change: identical at every commit that changed the results.") }
        for step in steps {
            let point = analysis.points[step.to]
            say("  \(point.label) \(UntrustedText.terminal(String(point.subject.prefix(70)))): \(step.verdict.rawValue) (\(UntrustedText.terminal(step.test)))")
        }
        say("  (the committed results change only where a commit rebuilt them; the probes find the commit that changed the code)")
        return section
    }

    /// Runs `cleanUp` then exits 130 on SIGINT, SIGTERM or SIGHUP; the sources, to cancel when done.
    static func cleanUpOnInterrupt(_ cleanUp: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                printError("Interrupted: removing the probes' worktrees.")
                cleanUp()
                Foundation.exit(130)
            }
            source.resume()
            return source
        }
    }
}
