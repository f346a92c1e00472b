import ArgumentParser
import Files
import Foundation
import Results
import Pipeline
import Rendering

struct History: ParsableCommand, ConsoleCommand {
    static let configuration = CommandConfiguration(
        abstract: "Finds the commits where a result really changed, across the committed history of the results.",
        discussion: """
            Reads the results committed along the first parents of REVISION-RANGE (every commit \
            of the current branch by default; a revision, or A..B): each commit whose results file \
            differs from its parent's, oldest first; report folders named after the range are added \
            at the end. Commits without results, or whose results do not read, are skipped and counted.

            For each training: its test accuracy (a sweep point's mean validation accuracy) and \
            median seconds per epoch, commit by commit. Each step between consecutive results is \
            judged as compare judges a pair: identical (same weights), McNemar's test on the paired \
            test predictions, Welch's t-test on the replicates of a sweep point. Seconds per epoch \
            are judged only between runs on the same kind of machine (CPU and threads), against the \
            noise the history's own steps show. Holm's correction runs over every test of the \
            history, so a history of pure noise flags nothing at the significance level. A step \
            whose weights changed without a significant change is listed as "changed".

            Acknowledged changes (--acknowledged, a TOML file of [[change]] tables with commit, \
            training (or *), optional metric "accuracy" or "speed", and reason) are shown as such \
            and do not fail the gate.

            Exit status: 0; 1 with --fail-on worse when an unacknowledged change is worse; 2 for bad input \
            (with --fail-on worse, newest results or a folder that do not read or validate).
            """)

    @Argument(help: ArgumentHelp("A revision range (HEAD, main, A..B; default: the current branch), then report folders to add at the end.",
                                 valueName: "revision-range-or-folder"))
    var sources: [String] = []

    // What to read.
    @OptionGroup var committed: CommittedResultsOptions

    @Option(help: ArgumentHelp("Acknowledged changes (TOML); default reports/acknowledged.toml in the repository, if it exists.", valueName: "file"))
    var acknowledged: String?

    // How to judge.
    @Option(help: ArgumentHelp("Exit 1 when an unacknowledged change is worse: 'worse'.", valueName: "worse"))
    var failOn: String?

    @Flag(help: "With --fail-on worse: let trainings of the results before the newest that the newest lacks pass the gate.")
    var acceptMissing = false

    @Flag(help: "With --fail-on worse: let the newest step's rows that could not be tested (fewer than 2 replicates on a side) pass the gate.")
    var acceptUntested = false

    // What to write.
    @Option(help: ArgumentHelp("Also write the commits and the changes as JSON (- for standard output).", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Also write a self-contained HTML page with one pair of charts per training (- for standard output).", valueName: "file"))
    var html: String?

    @Option(help: ArgumentHelp("The Mustache templates (for --html).", valueName: "dir"))
    var templates: String = "templates"

    @OptionGroup var machine: MachineOptions

    var repository: String { committed.repository }
    var resultsPath: String { committed.resultsPath }
    var significance: Double { committed.significance }

    func validate() throws {
        if let failOn, failOn != "worse" { throw ValidationError("--fail-on takes 'worse', got '\(failOn)'") }
        if (acceptMissing || acceptUntested), failOn == nil {
            throw ValidationError("--accept-missing and --accept-untested apply to the gate: give --fail-on worse too")
        }
        try checkDistinctOutputs([("--json", json), ("--html", html)])
        let (range, folders) = split
        if range.count > 1 {
            throw ValidationError("one revision range at most, got \(range.map { "'\($0)'" }.joined(separator: " and ")) (a folder must exist)")
        }
        // An output must not replace an input: a folder's results, the acknowledgements, nor the
        // working tree's copy of the results file whose history is read (the next to commit).
        let inputs = folders.flatMap { [$0, ($0 as NSString).appendingPathComponent("results.json")] } + [acknowledgementsPath].compactMap { $0 }
        let current = (repository as NSString).appendingPathComponent(resultsPath)
        try checkOutputsSpare(inputs.map { (path: $0, name: "an input of the history") }
                              + [(path: current, name: "the working tree's \(resultsPath), whose history this reads")],
                              outputs: [("--json", json), ("--html", html)])
    }

    /// The arguments split into the revision range (those that are not existing paths) and the folders.
    var split: (range: [String], folders: [String]) {
        let exists = { (path: String) in FileManager.default.fileExists(atPath: path) }
        return (sources.filter { !exists($0) }, sources.filter(exists))
    }

    /// The acknowledgements file to read, if any: the one given, or the repository's default if present.
    var acknowledgementsPath: String? {
        if let acknowledged { return acknowledged }
        let path = (repository as NSString).appendingPathComponent("reports/acknowledged.toml")
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Messages move to standard error when a file is written to standard output.
    var console: Console { Console(keepingStandardOutputFor: json, html) }

    func run() throws {
        for output in [json, html].compactMap({ $0 }) { try OutputFile.checkWritable(output) }
        let analysis: HistoryAnalysis
        let summary: String
        var stepFailures: [String] = []
        do {
            let (range, folders) = split
            let git = GitRepository(directory: repository)
            say("Reading \(resultsPath) along \(UntrustedText.terminal(range.first ?? "HEAD")) in \(repository)…")
            var history = try ResultsHistory.load(range: range.first, resultsPath: resultsPath, repository: git)
            for folder in folders { try history.addFolder(folder) }
            let labels = try machine.prepare().test.labels
            history.dropInconsistent(labels: labels)
            summary = history.summary(resultsPath: resultsPath)
            say(summary)
            // A gate passes only what it judged: the newest results and the folders must read.
            if failOn == "worse", let unjudged = history.unjudged.first {
                throw ReportError("the gate cannot judge results it could not read: \(UntrustedText.terminal(unjudged.reason))")
            }
            for (label, reason) in history.unreadable { say("Skipped \(UntrustedText.terminal(label)): \(UntrustedText.terminal(reason))") }
            guard !history.points.isEmpty else { throw ReportError("no results to show along \(range.first ?? "HEAD") (\(resultsPath))") }
            let acknowledgements = try acknowledgementsPath.map(Acknowledgement.read(path:)) ?? []
            say("Judging \(history.points.count) results…")
            analysis = HistoryAnalysis(history.points, labels: labels, significance: significance, acknowledgements: acknowledgements)
            // The newest step is judged as `compare` judges two runs: a training the newest
            // results lack, or a row no test could judge, fails the gate unless accepted.
            if failOn == "worse", history.points.count >= 2 {
                let (before, newest) = (history.points[history.points.count - 2], history.points[history.points.count - 1])
                let step = try RunComparison(before.results, newest.results, nameA: before.label, nameB: newest.label,
                                             labels: labels, significance: significance)
                // Worse rows are judged below, with the acknowledgements.
                stepFailures = GateDecision(step, policy: .init(acceptMissing: acceptMissing, acceptUntested: acceptUntested,
                                                               requireComplete: true)).failures
            }
        } catch let error as ReportError {
            printError("Error: \(error)")
            throw ExitCode(2)
        } catch let problem as FileProblem {
            printError("Error: \(problem)")
            throw ExitCode(2)
        }
        say()
        say(analysis.table())
        if let json {
            try OutputFile.write(try JSONEncoder.pretty.encode(analysis.document) + Data("\n".utf8), to: json)
            say("Wrote \(json)")
        }
        if let html {
            let page = try StrictTemplates(directory: templates)
            let context = try analysis.context(title: "History of the results", summary: summary)
            try OutputFile.write(Data(try page.render("history", viewModel: context).utf8), to: html)
            say("Wrote \(html)")
        }
        if failOn == "worse" {
            guard stepFailures.isEmpty else {
                printError("Gate failed at the newest step: " + UntrustedText.terminal(stepFailures.joined(separator: "; ")) + ".")
                throw ExitCode(1)
            }
            let worse = analysis.unacknowledgedWorse
            guard worse.isEmpty else {
                printError("Gate failed: worse without acknowledgement: "
                           + worse.map { "\(UntrustedText.terminal($0.series)) \($0.metric.rawValue) at \(analysis.points[$0.to].label)" }.joined(separator: ", ") + ".")
                throw ExitCode(1)
            }
            say("Gate passed: no unacknowledged worse change.")
        }
    }
}
