import Plotting
import Testing

@Suite("Line chart layout")
struct LineChartTests {
    let chart = LineChart(title: "Accuracy per epoch", xLabel: "epoch", yLabel: "accuracy", series: [
        .init(name: "train", points: [(1, 0.90), (2, 0.94), (3, 0.96), (4, 0.97)], color: .blue),
        .init(name: "validation", points: [(1, 0.92), (2, 0.95), (3, 0.955)], color: .orange,
              dashed: true, markers: true),
    ])

    func record() -> RecordingRenderer {
        let renderer = RecordingRenderer(size: chart.size)
        chart.draw(on: renderer)
        return renderer
    }

    @Test func drawsTheTitleAndTheAxisLabels() {
        let texts = record().texts
        #expect(texts.filter { $0 == "Accuracy per epoch" }.count == 1)
        #expect(texts.contains("epoch"))
        let yLabel = record().placedTexts.first { $0.text == "accuracy" }
        #expect(yLabel.map { close($0.rotation, -.pi / 2) } == true)
    }

    @Test func listsEachSeriesOnceInTheLegend() {
        let texts = record().texts
        #expect(texts.filter { $0 == "train" }.count == 1)
        #expect(texts.filter { $0 == "validation" }.count == 1)
        #expect(chart.legend.entries.map(\.label) == ["train", "validation"])
    }

    @Test func drawsOnePolylineWithAPointPerDatum() {
        let renderer = record()
        let layout = chart.layout(on: renderer)
        for series in chart.series {
            let expected = series.points.map { layout.point($0.x, $0.y) }
            let lines = renderer.paths.filter { $0.stroke?.color == series.color && $0.path.points.count == expected.count }
            #expect(lines.count == 1, "\(series.name)")
            guard let line = lines.first else { continue }
            #expect(zip(line.path.points, expected).allSatisfy { close($0, $1) })
            #expect((line.stroke?.dash != nil) == series.dashed)
        }
        // Markers: one filled circle per point of the marked series (its legend swatch adds one).
        let markers = renderer.paths.filter { $0.fill == Color.orange && $0.path.elements.count == 6 }
        #expect(markers.count == 3 + 1)
    }

    @Test func labelsTheTicksOnBothAxes() {
        let renderer = record()
        let layout = chart.layout(on: renderer)
        #expect(layout.yTicks.count >= 3)
        #expect(layout.xTicks.count >= 3)
        let texts = Set(renderer.texts)
        for tick in layout.xTicks + layout.yTicks { #expect(texts.contains(tick.label), "\(tick.label)") }
        // Data with 5 % margins: the y domain holds all values, the ticks lie inside it.
        #expect(layout.y.domain.lowerBound < 0.90 && layout.y.domain.upperBound > 0.97)
        #expect(layout.yTicks.allSatisfy { layout.y.domain.contains($0.value) })
    }

    @Test func keepsTheLegendOffTheLines() {
        var chart = self.chart
        chart.legendPosition = .best
        let renderer = RecordingRenderer(size: chart.size)
        chart.draw(on: renderer)
        let layout = chart.layout(on: renderer)
        let legendBox = renderer.paths.first { $0.fill == Color.white.withAlpha(0.85) }
        let box = try! #require(legendBox).path.points
        let (minX, maxX) = (box.map(\.x).min()!, box.map(\.x).max()!)
        let (minY, maxY) = (box.map(\.y).min()!, box.map(\.y).max()!)
        // The top right corner, matplotlib's first choice, is taken by the rising curve.
        #expect(maxX < layout.plot.midX)
        for series in chart.series {
            for p in series.points.map({ layout.point($0.x, $0.y) }) {
                #expect(!(p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY))
            }
        }
    }

    @Test func putsTheLegendBelowThePlotByDefault() throws {
        let renderer = record()
        let layout = chart.layout(on: renderer)
        let label = try #require(renderer.placedTexts.first { $0.text == "validation" })
        #expect(label.point.y > layout.plot.maxY)
        #expect(label.point.y < chart.size.height)
        // The x axis label sits between the tick labels and the legend.
        let xLabel = try #require(renderer.placedTexts.first { $0.text == "epoch" })
        #expect(xLabel.point.y > layout.plot.maxY && xLabel.point.y < label.point.y)
    }
}
