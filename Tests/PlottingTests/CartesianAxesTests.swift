import Plotting
import Testing

@Suite("Axes: wrapped titles and staggered tick labels")
struct CartesianAxesTests {
    func axes(ticks: [String], title: String = "T") -> CartesianAxes {
        CartesianAxes(title: title, xLabel: "x", yLabel: "y", xDomain: -0.5...(Double(ticks.count) - 0.5), yDomain: 0...1,
                      xTicks: ticks.enumerated().map { Tick(value: Double($0.offset), label: $0.element) })
    }

    @Test func staggersTickLabelsOnlyWhenNeighboursWouldTouch() {
        let renderer = RecordingRenderer(size: .chart)
        // Five 9-character labels (81 points each at 15 points, 0.6 em per character) in about
        // 400 points of plot: 80 points apart, they would touch.
        let crowded = axes(ticks: ["2.5075e-4", "2.5075e-4", "2.5075e-4", "2.5075e-4", "2.5075e-4"])
        let layout = crowded.layout(size: .chart, on: renderer)
        #expect(layout.staggeredXTicks)
        crowded.drawLabels(layout, size: .chart, on: renderer)
        let ys = renderer.placedTexts.filter { $0.text == "2.5075e-4" }.map(\.point.y)
        #expect(ys.count == 5)
        #expect(ys[0] == ys[2] && ys[2] == ys[4] && ys[1] == ys[3] && ys[1] > ys[0])
        // Short labels stay on one row.
        let roomy = axes(ticks: ["1", "2", "3", "4", "5"])
        #expect(!roomy.layout(size: .chart, on: renderer).staggeredXTicks)
        // The second row costs plot height.
        #expect(roomy.layout(size: .chart, on: renderer).plot.height > layout.plot.height)
    }

    @Test func wrapsALongTitleToTheFiguresWidth() {
        let renderer = RecordingRenderer(size: .chart)
        let title = "2.4 — dense 500-300, L2 1e-5: accuracy per epoch of a long title"
        let lines = CartesianAxes.wrap(title, width: 300, font: Font(size: 16), on: renderer)
        #expect(lines.count > 1)
        #expect(lines.joined(separator: " ") == title)
        #expect(lines.allSatisfy { renderer.measureText($0, font: Font(size: 16)).width <= 300 })
        #expect(CartesianAxes.wrap("", width: 300, font: Font(size: 16), on: renderer).isEmpty)
        // The layout makes room for every line above the plot.
        let one = axes(ticks: ["1"], title: "Short").layout(size: .chart, on: renderer)
        let many = axes(ticks: ["1"], title: title + " " + title).layout(size: .chart, on: renderer)
        #expect(many.titleLines.count > 1)
        let lineHeight = renderer.measureText("Ag", font: Theme.darkgrid.titleFont).height
        #expect(lineHeight > 16 && lineHeight < 24, "a 16-point line measured \(lineHeight) high")
        #expect(close(many.plot.minY - one.plot.minY, Double(many.titleLines.count - 1) * lineHeight, tolerance: 1e-9))
    }
}
