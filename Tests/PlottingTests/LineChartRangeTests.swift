import Plotting
import Testing

/// The y range chosen from the points that matter, the clipping of the points outside it,
/// and the reference lines.
@Suite("Line chart range, clipping and reference lines")
struct LineChartRangeTests {
    /// Training accuracy starting far below the rest, as a first epoch does.
    let chart = LineChart(title: "Accuracy", xLabel: "epoch", yLabel: "accuracy", series: [
        .init(name: "training", points: [(1, 0.80), (2, 0.95), (3, 0.96), (4, 0.97)], color: .blue, markers: true, yFitFromX: 2),
        .init(name: "validation", points: [(1, 0.952), (2, 0.955), (3, 0.965), (4, 0.968)], color: .orange),
    ], referenceLines: [.init(value: 0.98, label: "target 0.98", color: .darkRed)], integerX: true)

    func record(_ chart: LineChart) -> RecordingRenderer {
        let renderer = RecordingRenderer(size: chart.size)
        chart.draw(on: renderer)
        return renderer
    }

    @Test func theRangeHoldsThePointsFromTheFocusOnAndTheLinesWithMargins() {
        // Training from x = 2: 0.95…0.97; validation, all of it: 0.952…0.968; the line: 0.98;
        // so 0.95…0.98, span 0.03, ± 5 % = 0.0015.
        let domain = chart.fittedYDomain
        #expect(close(domain.lowerBound, 0.9485, tolerance: 1e-12))
        #expect(close(domain.upperBound, 0.9815, tolerance: 1e-12))
        // Without a focus every point counts, the first epoch's 0.80 included.
        var all = chart
        all.series[0].yFitFromX = nil
        #expect(close(all.fittedYDomain.lowerBound, 0.80 - 0.18 * 0.05, tolerance: 1e-12))
        // The focus is the series' own: a low first validation point would count.
        var low = chart
        low.series[1].points[0].y = 0.90
        #expect(close(low.fittedYDomain.lowerBound, 0.90 - 0.08 * 0.05, tolerance: 1e-12))
        // A focus past every point falls back to all points rather than an empty range.
        all.referenceLines = []
        all.series[0].yFitFromX = 10
        all.series[1].yFitFromX = 10
        #expect(close(all.fittedYDomain.lowerBound, 0.80 - 0.17 * 0.05, tolerance: 1e-12))
    }

    @Test func aPointBelowTheRangeIsClippedAtTheEdgeNotDropped() throws {
        let domain = chart.fittedYDomain
        let runs = LineChart.clippedRuns(chart.series[0].points, to: domain)
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        // The first segment enters at the bottom edge, where 0.80 + t · 0.15 = 0.9485.
        let t = (0.9485 - 0.80) / 0.15
        #expect(close(run[0].y, domain.lowerBound, tolerance: 1e-12))
        #expect(close(run[0].x, 1 + t, tolerance: 1e-9))
        #expect(run.dropFirst().map(\.x) == [2, 3, 4])
        // A line that leaves and comes back is split in two, each cut at the edge.
        let dip = LineChart.clippedRuns([(0, 1), (1, -1), (2, 1)], to: 0...2)
        #expect(dip.count == 2)
        #expect(dip.map { $0.map(\.x) } == [[0, 0.5], [1.5, 2]])
        // Points inside come back unchanged.
        #expect(LineChart.clippedRuns([(0, 1), (1, 1.5)], to: 0...2).map { $0.map(\.y) } == [[1, 1.5]])
    }

    @Test func marksTheClippedPointAtTheBottomEdgeWithItsValue() throws {
        let clipped = chart.clippedPoints(outside: chart.fittedYDomain)
        #expect(clipped.count == 1)
        let point = try #require(clipped.first)
        #expect(point.series == 0 && point.x == 1 && point.y == 0.80 && point.below)
        #expect(chart.clipLabel(point) == "epoch 1: 0.8000")

        let renderer = record(chart)
        let layout = chart.layout(on: renderer)
        let label = try #require(renderer.placedTexts.first { $0.text == "epoch 1: 0.8000" })
        #expect(layout.plot.contains(label.point))
        // The range is lowered so that the label's box lies below the lowest point shown.
        #expect(layout.y.domain.lowerBound < chart.fittedYDomain.lowerBound)
        #expect(label.point.y >= layout.y(0.95))  // its top below the point (page y grows downwards)
        // A filled triangle in the series' colour with its tip on the bottom edge at x = 1.
        let tip = Point(x: layout.x(1), y: layout.plot.maxY)
        let triangles = renderer.paths.filter { $0.fill == Color.blue && $0.path.points.count == 3 }
        #expect(triangles.contains { $0.path.points.contains { close($0, tip) } })
        // No marker is drawn outside the plot for the clipped point.
        let markers = renderer.paths.filter { $0.fill == Color.blue && $0.path.elements.count == 6 }
        #expect(markers.allSatisfy { $0.path.points.allSatisfy { layout.plot.insetBy(-5).contains($0) } || $0.path.points.allSatisfy { $0.y > layout.plot.maxY } })
        #expect(markers.count == 3 + 1)  // epochs 2 to 4, and the legend's swatch
    }

    @Test func drawsEachReferenceLineAcrossThePlotWithItsLabel() throws {
        let renderer = record(chart)
        let layout = chart.layout(on: renderer)
        let y = layout.y(0.98)
        let line = renderer.segments.first {
            close($0.start, Point(x: layout.plot.minX, y: y)) && close($0.end, Point(x: layout.plot.maxX, y: y)) && $0.stroke?.color == .darkRed
        }
        #expect(line?.stroke?.dash != nil)
        // The line is the highest value: the range is raised so that its label fits above it.
        #expect(layout.y.domain.upperBound > chart.fittedYDomain.upperBound)
        let label = try #require(renderer.placedTexts.first { $0.text == "target 0.98" })
        #expect(label.point.y < y && label.point.y >= layout.plot.minY)
        // A fixed range is kept, and a label with no room above goes below its line.
        var fixed = chart
        fixed.yDomain = 0.94...0.981
        let other = record(fixed)
        let fixedLayout = fixed.layout(on: other)
        #expect(fixedLayout.y.domain == 0.94...0.981)
        let below = try #require(other.placedTexts.first { $0.text == "target 0.98" })
        #expect(below.point.y > fixedLayout.y(0.98) && below.point.y < fixedLayout.plot.maxY)
    }

    @Test func headroomRaisesTheTopJustEnoughForTheLabel() {
        // Plot 100 high, label 14 + 6: the line must lie 20 % of the span below the top.
        let raised = ReferenceLine.headroom(for: [.init(value: 0.99, label: "", color: .gray)], in: 0.9...0.99,
                                            plotHeight: 100, labelHeight: 14)
        #expect(raised.lowerBound == 0.9)
        #expect(close((raised.upperBound - 0.99) / (raised.upperBound - 0.9), 0.2, tolerance: 1e-12))
        // With room already, nothing changes; without lines, neither.
        #expect(ReferenceLine.headroom(for: [.init(value: 0.95, label: "", color: .gray)], in: 0.9...0.99,
                                       plotHeight: 100, labelHeight: 14) == 0.9...0.99)
        #expect(ReferenceLine.headroom(for: [], in: 0.9...0.99, plotHeight: 100, labelHeight: 14) == 0.9...0.99)
    }

    @Test func twoCloseLinesGetOneLabelAboveAndOneBelow() {
        let lines = [ReferenceLine(value: 0.99, label: "target 0.99", color: .darkGray),
                     ReferenceLine(value: 0.9905, label: "LeNet-5 0.9905", color: .darkRed)]
        var chart = self.chart
        chart.referenceLines = lines
        let renderer = RecordingRenderer(size: chart.size)
        let layout = chart.layout(on: renderer)
        let frames = ReferenceLine.labelFrames(lines, in: layout, on: renderer, font: Font(size: 15))
        #expect(frames.count == 2)
        #expect(frames[1].maxY <= layout.y(0.9905))   // the higher line: label above
        #expect(frames[0].minY >= layout.y(0.99))     // the lower one: below, clear of the first
        #expect(!frames[0].intersects(frames[1]))
        #expect(frames.allSatisfy { $0.minY >= layout.plot.minY && $0.maxY <= layout.plot.maxY })
        // Far apart, both labels sit above their lines.
        let apart = [ReferenceLine(value: 0.95, label: "a", color: .darkGray), ReferenceLine(value: 0.98, label: "b", color: .darkRed)]
        let spread = ReferenceLine.labelFrames(apart, in: layout, on: renderer, font: Font(size: 15))
        #expect(spread[0].maxY <= layout.y(0.95) && spread[1].maxY <= layout.y(0.98))
    }
}
