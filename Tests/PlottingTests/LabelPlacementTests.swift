import Plotting
import Testing

/// Labels placed where the data is not: the ink a frame covers, the choice among candidate
/// frames, reference-line labels beside a curve, and the marks of points below the range.
@Suite("Label placement and off-range marks")
struct LabelPlacementTests {
    @Test func aSegmentCoversTheLengthOfItsPartInsideARectangle() {
        let box = Rect(x: 2, y: -1, width: 3, height: 2)
        #expect(close(Segment(Point(x: 0, y: 0), Point(x: 10, y: 0)).length(inside: box), 3))
        // Reversed, the same length.
        #expect(close(Segment(Point(x: 10, y: 0), Point(x: 0, y: 0)).length(inside: box), 3))
        // A diagonal through a 5 × 5 square from its corner: 5 √2.
        let square = Rect(x: 0, y: 0, width: 5, height: 5)
        #expect(close(Segment(Point(x: 0, y: 0), Point(x: 10, y: 10)).length(inside: square), 5 * 2.0.squareRoot(), tolerance: 1e-12))
        // Entering through the bottom and leaving through the right: from (1, 5) to (5, 3) of (−1, 6) → (9, 1).
        #expect(close(Segment(Point(x: -1, y: 6), Point(x: 9, y: 1)).length(inside: square), (16.0 + 4).squareRoot(), tolerance: 1e-12))
        // Outside, parallel outside, and a point: nothing.
        #expect(Segment(Point(x: 6, y: 6), Point(x: 9, y: 9)).length(inside: square) == 0)
        #expect(Segment(Point(x: -3, y: 7), Point(x: 8, y: 7)).length(inside: square) == 0)
        #expect(Segment(Point(x: 1, y: 1), Point(x: 1, y: 1)).length(inside: square) == 0)
    }

    @Test func theFirstCandidateThatCoversTheLeastWins() throws {
        let bounds = Rect(x: 0, y: 0, width: 100, height: 100)
        let ink = [Segment(Point(x: 0, y: 10), Point(x: 100, y: 10))]   // a line across at y = 10
        let onTheLine = Rect(x: 10, y: 5, width: 20, height: 10)
        let clear = Rect(x: 10, y: 40, width: 20, height: 10)
        let alsoClear = Rect(x: 60, y: 40, width: 20, height: 10)
        #expect(LabelPlacement.coverage(of: onTheLine, by: ink) == 24)   // 20 wide, grown by 2 on each side
        #expect(LabelPlacement.best([onTheLine, clear, alsoClear], inside: bounds, apartFrom: [], ink: ink) == clear)
        // A frame already taken, or leaving the bounds, is never chosen.
        #expect(LabelPlacement.best([onTheLine, clear, alsoClear], inside: bounds, apartFrom: [clear], ink: ink) == alsoClear)
        let outside = Rect(x: 90, y: 40, width: 20, height: 10)
        #expect(LabelPlacement.best([outside, onTheLine], inside: bounds, apartFrom: [], ink: ink) == onTheLine)
        #expect(LabelPlacement.best([outside], inside: bounds, apartFrom: [], ink: ink) == nil)
        // When every place covers something, the one covering least.
        let corner = Rect(x: 90, y: 0, width: 10, height: 20)
        #expect(LabelPlacement.best([onTheLine, corner], inside: bounds, apartFrom: [], ink: ink) == corner)
    }

    /// LeNet-5's figure in small: two reference lines 0.0005 apart, and a validation curve that
    /// climbs into the band just under them at once, runs there on the left, and just above them
    /// on the right.
    let nearLines = LineChart(title: "Accuracy", xLabel: "epoch", yLabel: "accuracy", series: [
        .init(name: "validation", points: [(1, 0.95), (2, 0.9884), (3, 0.9885), (4, 0.9885), (5, 0.989),
                                           (6, 0.9915), (7, 0.992), (8, 0.9918), (9, 0.992), (10, 0.9921)], color: .orange),
    ], referenceLines: [
        .init(value: 0.99, label: "target 0.99", color: .darkGray, dashed: false, labelAnchor: .start),
        .init(value: 0.9905, label: "LeNet-5 0.9905", color: .darkRed, labelAnchor: .start),
    ], integerX: true)

    /// The box of each label drawn, by its text (the labels are drawn from their top-left corner).
    func frames(_ renderer: RecordingRenderer, font: Font = Theme.darkgrid.annotationFont) -> [String: Rect] {
        Dictionary(renderer.placedTexts.map { ($0.text, Rect(origin: $0.point, size: renderer.measureText($0.text, font: font))) },
                   uniquingKeysWith: { first, _ in first })
    }

    /// The segments of the lines drawn in `color` inside the plot (the legend's swatch lies below it).
    func segments(_ renderer: RecordingRenderer, color: Color, in plot: Rect) -> [Segment] {
        renderer.paths.filter { $0.stroke?.color == color && $0.fill == nil }
            .flatMap { Segment.polyline($0.path.points) }
            .filter { plot.insetBy(-1).contains($0.start) && plot.insetBy(-1).contains($0.end) }
    }

    @Test func referenceLabelsGoWhereTheCurveIsNot() throws {
        let renderer = RecordingRenderer(size: nearLines.size)
        nearLines.draw(on: renderer)
        let layout = nearLines.layout(on: renderer)
        let curve = segments(renderer, color: .orange, in: layout.plot)
        #expect(curve.count == 9)
        let labels = frames(renderer)
        let target = try #require(labels["target 0.99"])
        let lenet = try #require(labels["LeNet-5 0.9905"])
        // Where the old rule put the lower label (at its anchor, below its line), the curve passes…
        let anchored = Rect(x: layout.plot.minX + 6, y: layout.y(0.99) + 3, width: target.width, height: target.height)
        #expect(LabelPlacement.coverage(of: anchored, by: curve) > 5)
        // …so it moves along its line to a place the curve leaves free, still beside its line.
        #expect(LabelPlacement.coverage(of: target, by: curve) == 0)
        #expect(LabelPlacement.coverage(of: lenet, by: curve) == 0)
        #expect(close(target.minY, layout.y(0.99) + 3) || close(target.maxY, layout.y(0.99) - 3))
        // The higher line keeps its place, above its line at the start, and the two labels stay apart and on the plot.
        #expect(close(lenet.minX, layout.plot.minX + 6) && close(lenet.maxY, layout.y(0.9905) - 3))
        #expect(!target.insetBy(-1).intersects(lenet))
        #expect([target, lenet].allSatisfy { $0.minX >= layout.plot.minX && $0.maxX <= layout.plot.maxX
            && $0.minY >= layout.plot.minY && $0.maxY <= layout.plot.maxY })
        // Neither label covers the other line.
        let lines = [0.99, 0.9905].map { Segment(Point(x: layout.plot.minX, y: layout.y($0)), Point(x: layout.plot.maxX, y: layout.y($0))) }
        #expect(LabelPlacement.coverage(of: target, by: [lines[1]]) == 0 && LabelPlacement.coverage(of: lenet, by: [lines[0]]) == 0)
        // The labels are drawn after the curve, so where one must cross data it stays legible.
        let curveIndex = try #require(renderer.primitives.firstIndex { if case let .path(_, stroke, _) = $0 { stroke?.color == .orange } else { false } })
        let labelIndex = try #require(renderer.primitives.firstIndex { if case let .text(text, _, _, _, _, _, _) = $0 { text == "target 0.99" } else { false } })
        #expect(labelIndex > curveIndex)
    }

    /// Three series whose first epoch lies below the range, as in the 3.1b figure.
    let low = LineChart(title: "Accuracy", xLabel: "epoch", yLabel: "accuracy", series: [
        .init(name: "training", points: [(1, 0.9317), (2, 0.978), (3, 0.985), (4, 0.99)], color: .blue, yFitFromX: 2),
        .init(name: "validation", points: [(1, 0.9675), (2, 0.985), (3, 0.99), (4, 0.992)], color: .orange, yFitFromX: 2),
        .init(name: "LeNet-5 validation", points: [(1, 0.9571), (2, 0.977), (3, 0.982), (4, 0.986)], color: .gray,
              dashed: true, yFitFromX: 2),
    ], integerX: true)

    @Test func pointsBelowTheRangeAtOneEpochGetATriangleEachAndOneLabel() throws {
        let renderer = RecordingRenderer(size: low.size)
        low.draw(on: renderer)
        let layout = low.layout(on: renderer)
        let clipped = low.clippedPoints(outside: layout.y.domain)
        #expect(clipped.map(\.y) == [0.9317, 0.9675, 0.9571])
        #expect(LineChart.clipGroups(clipped).map { $0.map(\.series) } == [[0, 1, 2]])
        // One triangle per point, in its series' colour, in legend order, tips on the bottom edge 14 points apart.
        let colors = [Color.blue, .orange, .gray]
        let tips = try colors.map { color in
            let triangles = renderer.paths.filter { $0.fill == color && $0.path.points.count == 3 }
            #expect(triangles.count == 1, "\(color)")
            let triangle = try #require(triangles.first)
            return try #require(triangle.path.points.max { $0.y < $1.y })   // the tip points down
        }
        #expect(tips.allSatisfy { close($0.y, layout.plot.maxY) })
        #expect(close(tips[1].x - tips[0].x, 14) && close(tips[2].x - tips[1].x, 14))
        #expect(tips.allSatisfy { $0.x - 6 >= layout.plot.minX && $0.x + 6 <= layout.plot.maxX })
        // Centred on the epoch unless the edge of the plot pushes the row inwards.
        #expect(tips[0].x <= layout.x(1) + 1e-9 && tips[2].x >= layout.x(1) - 1e-9
            || close(tips[0].x, layout.plot.minX + 6))
        // One label: the epoch once, then each value in its series' colour, left to right in the triangles' order.
        let texts = renderer.primitives.compactMap { primitive -> (String, Point, Color)? in
            if case let .text(text, point, _, color, _, _, _) = primitive { (text, point, color) } else { nil }
        }
        let prefix = try #require(texts.first { $0.0 == "epoch 1:" })
        let values = ["0.9317", "0.9675", "0.9571"].compactMap { value in texts.first { $0.0 == value } }
        #expect(values.map { $0.2 } == colors)
        #expect(prefix.1.x < values[0].1.x && values[0].1.x < values[1].1.x && values[1].1.x < values[2].1.x)
        #expect(values.allSatisfy { close($0.1.y, prefix.1.y) })
        // The label sits on the plot beside the triangles, clear of them.
        let font = Theme.darkgrid.annotationFont
        let right = values[2].1.x + renderer.measureText("0.9571", font: font).width
        #expect(prefix.1.x >= tips[2].x + 6 || right <= tips[0].x - 6)
        #expect(prefix.1.y + renderer.measureText("epoch 1:", font: font).height <= layout.plot.maxY)
    }

    @Test func marksSideBySideStayInsideTheRange() {
        #expect(LineChart.markPositions(count: 3, at: 50, spacing: 14, inset: 6, within: 0...100) == [36, 50, 64])
        // Near an edge the row moves inwards as a whole.
        #expect(LineChart.markPositions(count: 3, at: 10, spacing: 14, inset: 6, within: 0...100) == [6, 20, 34])
        #expect(LineChart.markPositions(count: 3, at: 98, spacing: 14, inset: 6, within: 0...100) == [66, 80, 94])
        #expect(LineChart.markPositions(count: 1, at: 2, spacing: 14, inset: 6, within: 0...100) == [6])
        #expect(LineChart.markPositions(count: 0, at: 50, spacing: 14, inset: 6, within: 0...100).isEmpty)
    }

    @Test func pointsOutsideTheRangeAreGroupedByEpochAndSide() {
        typealias P = LineChart.ClippedPoint
        let points = [P(series: 1, x: 1, y: 0.5, below: true), P(series: 0, x: 2, y: 0.4, below: true),
                      P(series: 0, x: 1, y: 0.3, below: true), P(series: 2, x: 1, y: 1.2, below: false)]
        let groups = LineChart.clipGroups(points)
        #expect(groups.map { $0.map(\.series) } == [[0, 1], [2], [0]])
        #expect(groups.map { $0.map(\.x) } == [[1, 1], [1], [2]])
    }
}
