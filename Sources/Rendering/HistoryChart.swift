import Results
import Foundation
import Plotting

/// One series' accuracy or seconds per epoch along the history, as a small line chart: the
/// commits evenly spaced (numbered as in the page's list), the changes marked in their
/// verdict's colour, and over each commit's column an invisible band whose `<title>` names the
/// commit (number, short hash, tags, date, subject) and its value, shown on hover.
struct HistoryChart {
    var analysis: HistoryAnalysis
    var series: HistoryAnalysis.Series
    var metric: HistoryAnalysis.Metric

    static let size = Size(width: 420, height: 270)

    /// The marks of the changes: verdict, legend name and colour, in drawing order.
    static let marks: [(verdict: HistoryAnalysis.Verdict, acknowledged: Bool, name: String, color: Color)] = [
        (.changed, false, "weights changed", .orange),
        (.better, false, "better", .green),
        (.worse, false, "worse", .red),
        (.worse, true, "acknowledged", .gray),
    ]

    func value(_ v: (point: Int, accuracy: Double, seconds: Double)) -> Double { metric == .accuracy ? v.accuracy : v.seconds }

    var chart: LineChart {
        let name = metric == .accuracy ? series.accuracyName : "seconds per epoch"
        var lines: [LineChart.Series] = [
            .init(name: name, points: series.values.map { (Double($0.point + 1), value($0)) }, color: .blue, markers: true),
        ]
        let steps = analysis.steps.filter { $0.series == series.id && $0.metric == metric && $0.verdict.isChange }
        for mark in Self.marks {
            let marked = Set(steps.filter { step in
                mark.acknowledged ? step.acknowledged != nil : step.acknowledged == nil && step.verdict == mark.verdict
            }.map(\.to))
            guard !marked.isEmpty else { continue }
            // A non-finite value after each point breaks the line: each marked point stands alone.
            let points = series.values.filter { marked.contains($0.point) }.flatMap { v -> [(x: Double, y: Double)] in
                [(Double(v.point + 1), value(v)), (Double(v.point + 1) + 0.5, .nan)]
            }
            lines.append(.init(name: mark.name, points: points, color: mark.color, markers: true))
        }
        let count = Double(analysis.points.count)
        return LineChart(title: "\(series.id): \(name)", xLabel: "commit (oldest first)", yLabel: metric == .accuracy ? "accuracy" : "seconds",
                         series: lines, xDomain: 0.5...(count + 0.5), size: Self.size, integerX: true)
    }

    /// What the band over point `index` says on hover.
    func hoverText(_ index: Int) -> String {
        let point = analysis.points[index]
        var text = "#\(index + 1) \(point.label)"
        if !point.tags.isEmpty { text += " [\(point.tags.joined(separator: ", "))]" }
        text += " \(point.date.prefix(10)) \(point.subject)"
        if let v = series.values.first(where: { $0.point == index }) {
            text += " — " + (metric == .accuracy ? NumberFormat.accuracy(v.accuracy)
                : NumberFormat.fixed(v.seconds, 3) + " s on " + point.results.run.cpu)
            if let step = analysis.step(series.id, metric, to: index) {
                text += " (\(step.verdict.rawValue)\(step.acknowledged == nil ? "" : ", acknowledged"): \(step.test))"
            }
        } else {
            text += " — not in this run"
        }
        return UntrustedText.terminal(text)
    }

    /// The chart as accessible inline SVG, with the hover bands; ids prefixed with `id`.
    func svg(id: String) throws -> String {
        let chart = self.chart
        // The same text measurements as the drawing, so the bands fall on the commits' columns.
        let layout = chart.layout(on: try CairoRenderer(size: chart.size, destination: .svgInMemory))
        var svg = try svgString(chart, idPrefix: id + "-")
        let top = layout.plot.minY, height = layout.plot.height
        var bands = "<g class=\"hover\" fill=\"#000\" fill-opacity=\"0\" pointer-events=\"all\">"
        for index in analysis.points.indices {
            let (left, right) = (layout.x(Double(index) + 0.5), layout.x(Double(index) + 1.5))
            bands += String(format: "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\">", min(left, right), top, abs(right - left), height)
                + "<title>\(ReportViewModel.escaped(hoverText(index)))</title></rect>"
        }
        bands += "</g>"
        if let end = svg.range(of: "</svg>", options: .backwards) { svg.replaceSubrange(end, with: bands + "</svg>") }
        let name = metric == .accuracy ? series.accuracyName : "seconds per epoch"
        let changes = analysis.steps.filter { $0.series == series.id && $0.metric == metric && $0.verdict.isChange }
        let summary = "\(series.values.count) results of \(series.id) over \(analysis.points.count) commits; "
            + (changes.isEmpty ? "no change found." : "changes at " + changes.map { "#\($0.to + 1) (\($0.verdict.rawValue))" }.joined(separator: ", ") + ".")
        return ReportViewModel.accessibleSVG(svg, id: id, title: UntrustedText.terminal("\(series.id): \(name)"), summary: UntrustedText.terminal(summary))
    }
}
