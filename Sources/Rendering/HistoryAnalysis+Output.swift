import Results
import Analysis
import Foundation
import Plotting

/// The history as a terminal table, a JSON document and the view model of an HTML page.
extension HistoryAnalysis {
    /// The short words of a verdict in a table cell: "" for the first point, "=" for identical.
    static func cell(_ step: Step?) -> String {
        guard let step else { return "" }
        var text: String
        switch step.verdict {
        case .identical: text = "="
        case .withinNoise: text = step.metric == .speed ? "noise" : "within noise"
        case .better: text = step.metric == .speed ? "FASTER" : "BETTER"
        case .worse: text = step.metric == .speed ? "SLOWER" : "WORSE"
        case .changed: text = "weights changed"
        case .untested: text = step.metric == .speed && step.test.hasPrefix("other") ? "other machine" : "not tested"
        }
        if step.acknowledged != nil { text += " (ack.)" }
        return text
    }

    /// The step of `series` and `metric` that ends at point `to`.
    func step(_ series: String, _ metric: Metric, to point: Int) -> Step? {
        steps.first { $0.series == series && $0.metric == metric && $0.to == point }
    }

    /// "8c45d07e  2026-11-25  v1.0  Full report …": a point's line, its subject cut to `width`.
    func pointLine(_ point: ResultsHistory.Point, width: Int = 72) -> String {
        let plain = UntrustedText.terminal
        let subject = plain(point.subject)
        let tags = point.tags.isEmpty ? "" : "[" + plain(point.tags.joined(separator: ", ")) + "] "
        let text = tags + (subject.count > width ? String(subject.prefix(width - 1)) + "…" : subject)
        return "\(plain(point.label))  \(point.date.prefix(10))  \(text)"
    }

    /// A plain-text account for the terminal: the points, each series commit by commit, the changes.
    public func table() -> String {
        let plain = UntrustedText.terminal
        var lines = ["Results, oldest first:"]
        lines += points.enumerated().map { "  #\($0.offset + 1)  " + pointLine($0.element) }
        for s in series {
            lines.append("")
            let former = s.formerIDs.isEmpty ? "" : " (earlier \(s.formerIDs.map(plain).joined(separator: ", then ")))"
            lines.append("\(plain(s.id))\(former) — \(s.accuracyName) and median seconds per epoch")
            var rows = [["", "commit", "accuracy", "step", "s/epoch", "step"]]
            for value in s.values {
                rows.append(["#\(value.point + 1)", plain(points[value.point].label), NumberFormat.accuracy(value.accuracy),
                             Self.cell(step(s.id, .accuracy, to: value.point)), NumberFormat.fixed(value.seconds, 3),
                             Self.cell(step(s.id, .speed, to: value.point))])
            }
            lines += TextTable.format(rows, rightAligned: [2, 4]).map { "  " + $0 }
        }
        lines.append("")
        let significant = self.significant
        lines.append(significant.isEmpty ? "No significant change. \(familySentence)." : "Significant changes (\(familySentence)):")
        var rows: [[String]] = []
        for c in significant {
            let (a, b) = c.metric == .speed ? (NumberFormat.fixed(c.a, 3) + " s", NumberFormat.fixed(c.b, 3) + " s")
                : (NumberFormat.accuracy(c.a), NumberFormat.accuracy(c.b))
            rows.append(["#\(c.to + 1)", plain(points[c.to].label), plain(c.series), c.metric.rawValue, c.verdict.rawValue,
                         "\(a) → \(b)", "p \(NumberFormat.pValue(c.p)), Holm \(NumberFormat.pValue(c.adjustedP))",
                         plain(c.test) + (c.acknowledged.map { " — acknowledged: " + plain($0) } ?? "")])
        }
        lines += TextTable.format(rows, rightAligned: []).map { "  " + $0 }
        let weights = weightsChangedByPoint
        if !weights.isEmpty {
            lines.append("")
            lines.append("Weights changed without a significant change of the metric:")
            lines += weights.map { "  #\($0.point + 1)  \(plain(points[$0.point].label))  \(plain($0.series.joined(separator: ", ")))" }
        }
        return lines.joined(separator: "\n")
    }

    /// The changes judged better or worse, in history order.
    public var significant: [Step] { changes.filter { $0.verdict != .changed } }

    /// The changes of weights alone, grouped by the point where they happened.
    public var weightsChangedByPoint: [(point: Int, series: [String])] {
        let changed = changes.filter { $0.verdict == .changed }
        return Set(changed.map(\.to)).sorted().map { point in (point, changed.filter { $0.to == point }.map(\.series)) }
    }

    /// "Holm over 45 tests of the history, α = 0.05; speed noise ±3.2 % per step (σ of 40 steps)".
    public var familySentence: String {
        var text = "Holm over the \(familySize) test\(familySize == 1 ? "" : "s") of the history, α = \(significance)"
        if let noise = speedNoise {
            text += String(format: "; speed noise ±%.1f %% per step (σ of %d steps on the same machine)", 100 * noise.sd, noise.steps)
        } else {
            text += "; speed not tested (fewer than \(SpeedNoise.minimumSteps) steps on the same machine)"
        }
        return text
    }

    // MARK: - JSON

    /// The `--json` document: the commits with their values and the changes.
    public struct Document: Codable, Sendable {
        public struct Commit: Codable, Sendable {
            public var hash: String?
            public var folder: String?
            public var date: String
            public var subject: String
            public var tags: [String]
            public var trainings: [String: Values]
        }
        public struct Values: Codable, Sendable {
            public var accuracy: Double
            public var secondsPerEpoch: Double
            enum CodingKeys: String, CodingKey { case accuracy, secondsPerEpoch = "seconds_per_epoch" }
        }
        public struct Change: Codable, Sendable {
            public var commit: String?
            public var folder: String?
            public var training: String
            public var metric: String
            public var verdict: String
            public var from: Double
            public var to: Double
            public var test: String
            public var statistic: Double?
            public var p: Double?
            public var adjustedP: Double?
            public var acknowledged: String?
            enum CodingKeys: String, CodingKey {
                case commit, folder, training, metric, verdict, from, to, test, statistic, p, acknowledged
                case adjustedP = "adjusted_p"
            }
        }
        public var significance: Double
        public var familySize: Int
        public var commits: [Commit]
        public var changes: [Change]
        enum CodingKeys: String, CodingKey { case significance, familySize = "family_size", commits, changes }
    }

    /// The history as the `--json` document (non-finite numbers left out).
    public var document: Document {
        func finite(_ x: Double?) -> Double? { x.flatMap { $0.isFinite ? $0 : nil } }
        var commits = points.map { point in
            Document.Commit(hash: point.commit, folder: point.commit == nil ? point.label : nil, date: point.date,
                            subject: point.subject, tags: point.tags, trainings: [:])
        }
        for s in series {
            for value in s.values where value.accuracy.isFinite && value.seconds.isFinite {
                commits[value.point].trainings[s.id] = Document.Values(accuracy: value.accuracy, secondsPerEpoch: value.seconds)
            }
        }
        let changes = self.changes.map { c in
            let point = points[c.to]
            return Document.Change(commit: point.commit, folder: point.commit == nil ? point.label : nil, training: c.series,
                                   metric: c.metric.rawValue, verdict: c.verdict.rawValue, from: c.a, to: c.b, test: c.test,
                                   statistic: finite(c.statistic), p: finite(c.p), adjustedP: finite(c.adjustedP), acknowledged: c.acknowledged)
        }
        return Document(significance: significance, familySize: familySize, commits: commits, changes: changes)
    }

    // MARK: - HTML

    /// The view model of `templates/history.mustache`: the points, one pair of charts per
    /// series (accuracy and seconds per epoch, commits evenly spaced, each described on hover),
    /// and the changes.
    /// - Throws: `PlotError` when a chart cannot be drawn.
    public func context(title: String, summary: String) throws -> HistoryPage {
        let changes = self.changes
        var charts: [HistoryPage.Chart] = []
        for (index, s) in series.enumerated() {
            let id = "history-\(index + 1)"
            let accuracy = HistoryChart(analysis: self, series: s, metric: .accuracy)
            let speed = HistoryChart(analysis: self, series: s, metric: .speed)
            charts.append(.init(id: id, name: s.id, accuracySVG: try accuracy.svg(id: id + "-accuracy"),
                                speedSVG: try speed.svg(id: id + "-speed"),
                                changes: String(changes.filter { $0.series == s.id }.count)))
        }
        return HistoryPage(
            title: title, summary: summary, family: familySentence,
            points: points.enumerated().map { index, point in
                .init(number: String(index + 1), label: point.label, date: String(point.date.prefix(10)),
                      tags: point.tags.joined(separator: ", "), subject: point.subject)
            },
            charts: charts,
            hasChanges: !significant.isEmpty,
            weightsChanged: weightsChangedByPoint.map { .init(number: String($0.point + 1), label: points[$0.point].label,
                                                               series: $0.series.joined(separator: ", ")) },
            hasWeightsChanged: !weightsChangedByPoint.isEmpty,
            changes: significant.map { c in
                let speed = c.metric == .speed
                return .init(number: String(c.to + 1), label: points[c.to].label, series: c.series, metric: c.metric.rawValue,
                             verdict: c.verdict.rawValue, worse: c.verdict == .worse && c.acknowledged == nil,
                             better: c.verdict == .better,
                             from: speed ? NumberFormat.fixed(c.a, 3) : NumberFormat.accuracy(c.a),
                             to: speed ? NumberFormat.fixed(c.b, 3) : NumberFormat.accuracy(c.b),
                             p: NumberFormat.pValue(c.p), adjustedP: NumberFormat.pValue(c.adjustedP), test: c.test,
                             acknowledged: c.acknowledged)
            })
    }
}

/// The view model of `templates/history.mustache`.
public struct HistoryPage: Sendable {
    var title, summary, family: String
    var points: [Point]
    var charts: [Chart]
    var hasChanges: Bool
    var weightsChanged: [WeightsChanged]
    var hasWeightsChanged: Bool
    var changes: [Change]

    /// A commit or folder of the history, numbered as the charts number them.
    struct Point: Sendable {
        var number, label, date, tags, subject: String
    }

    /// One training's pair of charts, and how many changes it has.
    struct Chart: Sendable {
        var id, name, accuracySVG, speedSVG, changes: String
    }

    /// A point at which trainings got new weights.
    struct WeightsChanged: Sendable {
        var number, label, series: String
    }

    /// A significant change, with its test; `acknowledged` gives the reason when one was recorded.
    struct Change: Sendable {
        var number, label, series, metric, verdict: String
        var worse, better: Bool
        var from, to, p, adjustedP, test: String
        var acknowledged: String?
    }
}

/// Rows of cells in aligned columns, two spaces apart.
enum TextTable {
    static func format(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { cells in
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
    }
}
