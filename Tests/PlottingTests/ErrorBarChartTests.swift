import Plotting
import Testing

@Suite("Error bar chart layout")
struct ErrorBarChartTests {
    static let runs = [0.951, 0.962, 0.957]
    let chart = ErrorBarChart(
        title: "Test accuracy", xLabel: "model", yLabel: "accuracy",
        xAxis: .categories(["MLP 64", "MLP 500"]),
        groups: [.init(name: "this run", color: .blue, measurements: [
            .init(x: 0, mean: 0.95, sd: 0.01, replicates: [0.94, 0.95, 0.96]),
            .init(x: 1, replicates: runs),
        ])],
        references: [.init(name: "notebook", color: .darkGray, points: [(0, 0.955), (1, 0.97)])])

    func record(_ chart: ErrorBarChart) -> RecordingRenderer {
        let renderer = RecordingRenderer(size: chart.size)
        chart.draw(on: renderer)
        return renderer
    }

    @Test func measurementOfReplicatesUsesTheSampleStandardDeviation() {
        let m = ErrorBarChart.Measurement(x: 0, replicates: Self.runs)
        #expect(close(m.mean, 0.9566666666666667, tolerance: 1e-12))
        // Deviations −5.67e-3, 5.33e-3, 0.33e-3: squares sum to 6.0667e-5; / 2; √ → 5.5076e-3.
        #expect(close(m.sd, 0.005507570547286, tolerance: 1e-12))
        #expect(ErrorBarChart.Measurement(x: 0, replicates: [0.9]).sd == 0)
    }

    @Test func barSpansOneStandardDeviationWithEqualCaps() throws {
        let renderer = record(chart)
        let layout = chart.layout(on: renderer)
        for measurement in chart.groups[0].measurements {
            let x = layout.x(measurement.x + chart.offset(ofGroup: 0))
            let (low, high) = (layout.y(measurement.mean - measurement.sd), layout.y(measurement.mean + measurement.sd))
            let segments = renderer.segments
            let bar = segments.first { close($0.start, Point(x: x, y: low)) && close($0.end, Point(x: x, y: high)) }
            #expect(bar != nil, "no vertical bar from \(low) to \(high) at x = \(x)")
            let caps = [low, high].map { y in
                segments.first { close($0.start.y, y) && close($0.end.y, y) && close(($0.start.x + $0.end.x) / 2, x) }
            }
            let widths = try caps.map { try #require($0).end.x - $0!.start.x }
            #expect(widths[0] > 0)
            #expect(close(widths[0], widths[1]))
        }
    }

    @Test func drawsEveryReplicateAndReference() {
        let renderer = record(chart)
        let dots = renderer.paths.filter { $0.fill == Color.blue.withAlpha(ErrorBarChart.dotAlpha) }
        #expect(dots.count == 6 + 1)  // and the legend's swatch
        // Evenly spread, not random: the same chart records the same primitives.
        #expect(record(chart).primitives == renderer.primitives)
        let diamonds = renderer.paths.filter { $0.stroke?.color == .darkGray && $0.path.points.count == 4 }
        #expect(diamonds.count == 2 + 1)  // two references and the legend swatch
        #expect(chart.legend.entries.map(\.label) == ["this run", "individual runs", "notebook"])
        #expect(renderer.texts.contains("MLP 64") && renderer.texts.contains("MLP 500"))
    }

    @Test func aLoneGroupSitsExactlyOnItsCategoryAndTheReferencesBesideIt() {
        #expect(chart.offset(ofGroup: 0) == 0)
        #expect(chart.referenceOffset > 0 && chart.referenceOffset < 0.5)
        let renderer = record(chart)
        let layout = chart.layout(on: renderer)
        // The mean's dot is centred on the category's tick.
        for measurement in chart.groups[0].measurements {
            let center = Point(x: layout.x(measurement.x), y: layout.y(measurement.mean))
            let dots = renderer.paths.filter { $0.fill == Color.blue && $0.path.elements.count == 6 }
            #expect(dots.contains { path in
                let xs = path.path.points.map(\.x), ys = path.path.points.map(\.y)
                return close((xs.min()! + xs.max()!) / 2, center.x) && close((ys.min()! + ys.max()!) / 2, center.y)
            }, "no mean at \(center)")
        }
        #expect(layout.xTicks.map(\.value) == [0, 1])
    }

    @Test func theReplicateDotsSitBesideTheirBar() {
        #expect(ErrorBarChart.jitter(0, of: 3) == -ErrorBarChart.jitterStep)
        #expect(ErrorBarChart.jitter(1, of: 3) == 0)
        #expect(ErrorBarChart.jitter(2, of: 3) == ErrorBarChart.jitterStep)
        #expect(ErrorBarChart.jitter(0, of: 1) == 0)
        let renderer = record(chart)
        let layout = chart.layout(on: renderer)
        let dots = renderer.paths.filter { $0.fill == Color.blue.withAlpha(ErrorBarChart.dotAlpha) }
        let centres = dots.map { path -> Double in
            let xs = path.path.points.map(\.x)
            return (xs.min()! + xs.max()!) / 2
        }
        let expected = [0.0, 1].flatMap { x in
            (0..<3).map { layout.x(x) - ErrorBarChart.replicateOffset + ErrorBarChart.jitter($0, of: 3) }
        }
        // Clear of the caps: the nearest dot's edge stays left of the cap's end.
        #expect(ErrorBarChart.replicateOffset - ErrorBarChart.jitterStep - ErrorBarChart.dotRadius > ErrorBarChart.capWidth / 2)
        #expect(zip(centres, expected).allSatisfy { close($0, $1, tolerance: 1e-9) }, "\(centres) vs \(expected)")
    }

    @Test func referencesWithErrorsGetBarsAndTheRangeHoldsThem() {
        var withErrors = chart
        withErrors.references = [.init(name: "notebook", color: .gray, points: [(0, 0.955), (1, 0.97)], errors: [0.002, 0.03])]
        // The range holds 0.97 + 0.03 = 1.0.
        #expect(withErrors.fittedYDomain.upperBound > 1.0)
        let renderer = record(withErrors)
        let layout = withErrors.layout(on: renderer)
        let x = layout.x(1 + withErrors.referenceOffset)
        #expect(renderer.segments.contains { close($0.start, Point(x: x, y: layout.y(0.94))) && close($0.end, Point(x: x, y: layout.y(1.0)))
            && $0.stroke?.color == .gray })
    }

    @Test func theRangeHoldsTheReferenceLinesAndTheyAreDrawn() {
        var lined = chart
        lined.referenceLines = [ReferenceLine(value: 0.9847, label: "Hinton 0.9847", color: .darkRed)]
        #expect(lined.fittedYDomain.contains(0.9847))
        #expect(!chart.fittedYDomain.contains(0.9847))
        #expect(record(lined).texts.contains("Hinton 0.9847"))
    }

    @Test func offsetsTwoGroupsSymmetrically() {
        var two = chart
        two.groups.append(.init(name: "second run", color: .orange, measurements: [.init(x: 0, mean: 0.96, sd: 0.005)]))
        #expect(close(two.offset(ofGroup: 0), -two.offset(ofGroup: 1)))
        #expect(two.offset(ofGroup: 1) > 0)
        #expect(two.referenceOffset == 0)  // between the two groups
        let renderer = record(two)
        let layout = two.layout(on: renderer)
        let x = layout.x(0 + two.offset(ofGroup: 1))
        #expect(renderer.segments.contains { close($0.start, Point(x: x, y: layout.y(0.955))) && close($0.end, Point(x: x, y: layout.y(0.965))) })
        #expect(two.legend.entries.map(\.label) == ["this run", "second run", "individual runs", "notebook"])
    }
}
