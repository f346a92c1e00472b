import ArgumentParser
import Files
import Foundation
import MNIST
import Plotting
import Results
import Pipeline
import Rendering

struct Compare: ParsableCommand, ConsoleCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compares two runs, training by training, with verdicts that know the noise.",
        discussion: """
            A run is a report folder, a results.json file, or a git revision (HEAD~1, a branch, \
            a commit) whose committed results are read with git. For each training in both \
            runs: the metric of each, B − A, and a verdict: identical (same weights and metrics), within \
            noise, or significantly better or worse — McNemar's test on the paired test \
            predictions for single trainings, Welch's t-test on the replicates for sweep points. \
            Configuration differences are listed first.

            Gate: --fail-on worse fails on a significantly worse result, --tolerance on a drop \
            beyond it. Either also fails when a training of A is missing from B, or when a row \
            cannot be tested (a side without paired test predictions, a sweep point with fewer \
            than 2 replicates on a side): a regression could hide there. --accept-missing and \
            --accept-untested let those pass, and the output then lists exactly which trainings \
            were accepted.

            Exit status: 0, or 1 when the gate fails (the message names the rows and the option \
            that would accept them); 2 for bad input.
            """)

    @Argument(help: ArgumentHelp("The reference run (A).", valueName: "A"))
    var a: String

    @Argument(help: ArgumentHelp("The run under test (B).", valueName: "B"))
    var b: String = "reports/latest"

    @Option(help: ArgumentHelp("For git revisions: the results file's path in the repository.", valueName: "path"))
    var resultsPath: String = "reports/latest/results.json"

    @Option(help: ArgumentHelp("Also write a self-contained HTML page (- for standard output).", valueName: "file"))
    var html: String?

    @Option(help: ArgumentHelp("Also write a compact Markdown summary, for a pull-request comment (- for standard output).", valueName: "file"))
    var markdown: String?

    @Option(help: ArgumentHelp("Exit 1 when a result is significantly worse: 'worse'.", valueName: "worse"))
    var failOn: String?

    @Option(help: ArgumentHelp("Exit 1 when a metric drops by more than this (e.g. 0.002).", valueName: "x"))
    var tolerance: Double?

    @Flag(help: "With --fail-on or --tolerance: pass even though trainings of A are missing from B; the output lists them as accepted.")
    var acceptMissing = false

    @Flag(help: "With --fail-on or --tolerance: pass even though some rows cannot be tested (no paired test predictions, fewer than 2 replicates on a side); the output lists them as accepted.")
    var acceptUntested = false

    @Flag(help: "Exit 1 when a training kept its cache key (the same inputs and engine numerics) but is not identical; trainings whose key changed are judged by the tests and listed.")
    var requireIdentical = false

    @Option(help: "Significance level of the tests.")
    var significance: Double = 0.05

    @Option(help: ArgumentHelp("The Mustache templates (for --html).", valueName: "dir"))
    var templates: String = "templates"

    @OptionGroup var machine: MachineOptions

    func validate() throws {
        if let failOn, failOn != "worse" { throw ValidationError("--fail-on takes 'worse', got '\(failOn)'") }
        if let tolerance, !(0...1).contains(tolerance) {
            throw ValidationError("--tolerance must be from 0 to 1 (a drop in accuracy), got \(tolerance)")
        }
        guard significance > 0 && significance < 1 else { throw ValidationError("--significance must lie in (0, 1)") }
        try CommittedResultsOptions.checkResultsPath(resultsPath)
        try checkDistinctOutputs([("--markdown", markdown), ("--html", html)])
        // An output must not replace a run being compared (compare A B --markdown A/results.json).
        let runs = [a, b].flatMap { run in
            [run, (run as NSString).appendingPathComponent("results.json")].map { (path: $0, name: "the run \(run) being compared") }
        }
        try checkOutputsSpare(runs, outputs: [("--markdown", markdown), ("--html", html)])
        if (acceptMissing || acceptUntested), failOn == nil, tolerance == nil {
            throw ValidationError("--accept-missing and --accept-untested apply to the gate: give --fail-on worse or --tolerance too")
        }
    }

    /// The gate's checks and what the options accept.
    var policy: GateDecision.Policy {
        GateDecision.Policy(failOnWorse: failOn == "worse", tolerance: tolerance,
                            acceptMissing: acceptMissing, acceptUntested: acceptUntested, requireIdentical: requireIdentical)
    }

    /// Messages move to standard error when a file is written to standard output.
    var console: Console { Console(keepingStandardOutputFor: markdown, html) }

    func run() throws {
        for output in [markdown, html].compactMap({ $0 }) { try OutputFile.checkWritable(output) }
        let comparison: RunComparison
        let (runA, runB): (ResultsDocument, ResultsDocument)
        do {
            let (ra, nameA) = try RunReference.load(a, resultsPath: resultsPath)
            let (rb, nameB) = try RunReference.load(b, resultsPath: resultsPath)
            (runA, runB) = (ra, rb)
            let dataset = try machine.prepare()
            try ra.checkPredictions(labels: dataset.test.labels, source: nameA)
            try rb.checkPredictions(labels: dataset.test.labels, source: nameB)
            comparison = try RunComparison(ra, rb, nameA: nameA, nameB: nameB, labels: dataset.test.labels,
                                           significance: significance)
        } catch let error as ReportError {
            printError("Error: \(error)")
            throw ExitCode(2)
        }
        let gate = GateDecision(comparison, policy: policy)
        say(comparison.table())
        if let markdown {
            var text = comparison.markdown(gate: gate)
            if text.utf8.count > 60_000 { text = String(text.prefix(59_000)) + "\n\n(truncated)\n" }
            try OutputFile.write(Data(text.utf8), to: markdown)
            say("Wrote \(markdown)")
        }
        if let html {
            let page = try StrictTemplates(directory: templates)
            let list = try ReportViewModel.inlineFigures(RunComparison.figures(runA, runB))
            let context: TemplateValue = ["title": "Comparison of two runs", "comparison": TemplateValue(comparison.context(figures: list))]
            try OutputFile.write(Data(try page.render("compare", context).utf8), to: html)
            say("Wrote \(html)")
        }
        // An inactive gate has no lines; an active one says whether it passed, then what it accepted.
        guard gate.passes else {
            for line in gate.lines.dropFirst() { say(line) }
            printError(gate.lines[0])
            throw ExitCode(1)
        }
        for line in gate.lines { say(line) }
    }
}
