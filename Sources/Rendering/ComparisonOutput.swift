import Results
import Assignment
import Foundation
import Plotting

/// The comparison as a terminal table, as Markdown for a pull-request comment, and as the
/// context of the HTML page (and of the report's "compared with" section).
extension RunComparison {
    static func number(_ x: Double) -> String { NumberFormat.accuracy(x) }
    static func signed(_ x: Double) -> String { NumberFormat.signed(x) }
    static func pValue(_ p: Double?) -> String { NumberFormat.pValue(p) }

    /// A plain-text table for the terminal.
    public func table() -> String {
        let plain = UntrustedText.terminal
        var lines = ["A: \(plain(nameA))", "B: \(plain(nameB))", ""]
        if configuration.isEmpty {
            lines.append("Configuration: the same in both runs.")
        } else {
            lines.append("Configuration differences (the runs were not meant to be equal here):")
            for d in configuration { lines.append("  \(plain(d.field)): \(plain(d.a)) → \(plain(d.b))") }
        }
        lines.append("")
        let header = ["training", "metric", "A", "B", "B − A", "verdict", "p", "test"]
        let body = rows.map { [plain($0.id), plain($0.metric), Self.number($0.a), Self.number($0.b), Self.signed($0.difference),
                               $0.verdict.rawValue, Self.pValue($0.p), plain($0.test)] }
        let widths = header.indices.map { column in ([header] + body).map { $0[column].count }.max()! }
        func format(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i >= 2 && i <= 4 ? String(repeating: " ", count: widths[i] - cell.count) + cell
                    : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        lines.append(format(header))
        lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        lines += body.map(format)
        if !onlyInA.isEmpty { lines.append("\nOnly in A: \(plain(onlyInA.joined(separator: ", ")))") }
        if !onlyInB.isEmpty { lines.append("Only in B: \(plain(onlyInB.joined(separator: ", ")))") }
        lines.append("\n" + plain(summary))
        return lines.joined(separator: "\n")
    }

    /// One sentence: how many rows of each verdict, and how many have the same weights but
    /// different metrics.
    public var summary: String {
        let counts = Dictionary(grouping: rows, by: \.verdict).mapValues(\.count)
        let order: [Verdict] = [.identical, .withinNoise, .better, .worse, .untested]
        let parts = order.compactMap { v in counts[v].map { "\($0) \(v.rawValue)" } }
        let mismatched = rows.filter(\.sameWeightsDifferentMetrics).map(\.id)
        let warning = mismatched.isEmpty ? ""
            : " Same weights (SHA-256) but different metrics: \(mismatched.joined(separator: ", ")) (tested like the others)."
        return "\(rows.count) compared (significance level \(significance)): " + parts.joined(separator: ", ") + "." + warning
    }

    /// A compact Markdown summary, no images, for a pull-request comment; with `gate`, its
    /// decision and what it accepted.
    public func markdown(gate: GateDecision? = nil) -> String {
        // Every string from the results files (names, ids, fields, values, tests) is escaped.
        let cell = UntrustedText.markdownCell
        var text = "### MNIST report: \(cell(nameB)) compared with \(cell(nameA))\n\n\(cell(summary))\n\n"
        if let lines = gate?.lines, !lines.isEmpty {
            text += lines.map { "**\(cell($0))**" }.joined(separator: "\n\n") + "\n\n"
        }
        if !configuration.isEmpty {
            text += "**Configuration differences**\n\n| | A | B |\n|---|---|---|\n"
            for d in configuration.prefix(40) { text += "| \(cell(d.field)) | \(cell(d.a)) | \(cell(d.b)) |\n" }
            text += "\n"
        }
        text += "| training | metric | A | B | B − A | verdict | p | test |\n|---|---|--:|--:|--:|---|--:|---|\n"
        for r in rows {
            let mark = r.verdict == .worse ? "🔻 " : r.verdict == .better ? "🔺 " : ""
            text += "| \(cell(r.id)) | \(cell(r.metric)) | \(Self.number(r.a)) | \(Self.number(r.b)) | \(Self.signed(r.difference)) | \(mark)\(r.verdict.rawValue) | \(Self.pValue(r.p)) | \(cell(r.test)) |\n"
        }
        if !onlyInA.isEmpty || !onlyInB.isEmpty {
            text += "\nOnly in A: \(cell(onlyInA.joined(separator: ", ")).ifEmpty("–")); only in B: \(cell(onlyInB.joined(separator: ", ")).ifEmpty("–"))\n"
        }
        return text
    }

    /// Values for the comparison templates; `figures` are the page's figure entries
    /// (number, caption, svg, anchor), none for the report's comparison section. Its tables
    /// (the configuration's, when the runs differ in it, and the results') are numbered from
    /// `firstTable`: the report renumbers them in its own sequence (`ReportViewModel.make`).
    public func context(figures: [InlineFigure] = [], firstTable: Int = 1) -> ComparisonView {
        ComparisonView(
            present: true, nameA: nameA, nameB: nameB, summary: summary,
            shownTables: shownTables,
            comparisonTables: Self.tableContext(shownTables, first: firstTable),
            sameConfiguration: configuration.isEmpty,
            configuration: configuration.map { .init(field: $0.field, a: $0.a, b: $0.b) },
            rows: rows.map { r in
                .init(id: r.id, metric: r.metric, a: Self.number(r.a), b: Self.number(r.b), diff: Self.signed(r.difference),
                      verdict: r.verdict.rawValue, p: Self.pValue(r.p), test: r.test,
                      worse: r.verdict == .worse, better: r.verdict == .better, identical: r.verdict == .identical)
            },
            hasRows: !rows.isEmpty,
            onlyA: onlyInA.joined(separator: ", "), onlyB: onlyInB.joined(separator: ", "),
            hasOnly: !onlyInA.isEmpty || !onlyInB.isEmpty,
            figures: figures)
    }

    /// The comparison's tables in reading order.
    var shownTables: [String] { (configuration.isEmpty ? [] : ["configuration"]) + ["results"] }

    /// Each table's `number` and `anchor` (`table-comparison-results`), numbered from `first`;
    /// a table not shown is nil (`false` to the templates' sections).
    static func tableContext(_ ids: [String], first: Int) -> ComparisonView.Tables {
        func table(_ id: String) -> TableReference? {
            ids.firstIndex(of: id).map { TableReference(number: String(first + $0), anchor: "table-comparison-" + id) }
        }
        return .init(configuration: table("configuration"), results: table("results"))
    }

    /// Figures of the two runs together: accuracy curves overlaid and the sweeps side by side.
    public static func figures(_ a: ResultsDocument, _ b: ResultsDocument) -> [ReportFigure] {
        var result: [ReportFigure] = []
        for (id, name) in Catalogue.experiments.map({ ($0.id, $0.model.label) }) {
            guard let ra = a.training(id), let rb = b.training(id) else { continue }
            func points(_ v: [Double]) -> [(x: Double, y: Double)] { v.enumerated().map { (Double($0.offset + 1), $0.element) } }
            let l2 = ra.hyperparameters.l2.map { ", L2 \(NumberFormat.factor($0))" } ?? ""
            let chart = LineChart(title: "\(id) — \(name)\(l2): accuracy per epoch, A and B", xLabel: "epoch", yLabel: "accuracy", series: [
                .init(name: "A training", points: points(ra.history.accuracy), color: .blue, dashed: true),
                .init(name: "A validation", points: points(ra.history.valAccuracy), color: .blue),
                .init(name: "B training", points: points(rb.history.accuracy), color: .orange, dashed: true),
                .init(name: "B validation", points: points(rb.history.valAccuracy), color: .orange),
            ], legendPosition: .below, integerX: true)
            let summary = "Validation accuracy of run A ends at \(NumberFormat.accuracy(ra.history.valAccuracy.last ?? 0)) after "
                + "\(ra.history.valAccuracy.count) epochs, of run B at \(NumberFormat.accuracy(rb.history.valAccuracy.last ?? 0)) after "
                + "\(rb.history.valAccuracy.count); training accuracy ends at \(NumberFormat.accuracy(ra.history.accuracy.last ?? 0)) "
                + "and \(NumberFormat.accuracy(rb.history.accuracy.last ?? 0))."
            result.append(ReportFigure(id: "cmp-\(id.replacingOccurrences(of: ".", with: "-"))", number: result.count + 1,
                                       caption: "Section \(id): training (dashed) and validation (solid) accuracy per epoch of run A (blue) and run B (orange).",
                                       figure: chart, summary: summary))
        }
        let sa = a.sweepTrainings, sb = b.sweepTrainings
        if !sa.isEmpty, !sb.isEmpty {
            func means(_ records: [TrainingRecord]) -> String {
                Set(records.compactMap(\.sweepIndex)).sorted().map { index in
                    let values = records.filter { $0.sweepIndex == index }.map(\.finalValidationAccuracy)
                    return NumberFormat.factor(Notebook.sweepFactors.indices.contains(index) ? Notebook.sweepFactors[index] : 0)
                        + " " + NumberFormat.accuracy5(values.reduce(0, +) / Double(max(values.count, 1)))
                }.joined(separator: ", ")
            }
            result.append(ReportFigure(id: "cmp-sweep", number: result.count + 1,
                                       caption: "Section 2.4: the L2 sweep of run A (blue) and run B (orange), mean ± sample standard deviation with each replicate as a dot; diamonds are the notebook's means.",
                                       figure: ReportFigures.sweepChart(sa, comparison: sb),
                                       summary: "Mean final validation accuracy per L2 factor, run A: \(means(sa)); run B: \(means(sb))."))
        }
        return result
    }
}

/// A comparison of two runs as the templates read it: its tables (the configuration's, when the
/// runs differ in it, and the results'), their numbers, and the figures of the page.
public struct ComparisonView: Sendable {
    var present: Bool
    var nameA, nameB, summary: String
    var shownTables: [String]
    var comparisonTables: Tables
    var sameConfiguration: Bool
    var configuration: [Difference]
    var rows: [Row]
    var hasRows: Bool
    var onlyA, onlyB: String
    var hasOnly: Bool
    var figures: [InlineFigure]

    struct Tables: Sendable {
        var configuration: TableReference?
        var results: TableReference?
    }

    struct Difference: Sendable {
        var field, a, b: String
    }

    struct Row: Sendable {
        var id, metric, a, b, diff, verdict, p, test: String
        var worse, better, identical: Bool
    }

    /// The same comparison with its tables numbered from `first`, as the report numbers them.
    func numbered(from first: Int) -> ComparisonView {
        var copy = self
        copy.comparisonTables = RunComparison.tableContext(shownTables, first: first)
        return copy
    }
}

/// A table's number in the page ("4") and its anchor.
struct TableReference: Sendable {
    var number, anchor: String
}
