import Foundation

/// A line chart of one or more series, e.g. training and validation accuracy per epoch,
/// in seaborn's "darkgrid" look, with optional labelled reference lines and the legend
/// below the plot by default.
///
/// The y range can be chosen from the points that matter (``Series/yFitFromX``): a point outside
/// it is not dropped, its line is clipped at the plot's edge and the point is marked there
/// with a triangle and its value ("epoch 1: 0.8587").
///
/// ```swift
/// let chart = LineChart(title: "Accuracy", xLabel: "epoch", yLabel: "accuracy", series: [
///     .init(name: "train", points: [(1, 0.85), (2, 0.95)], color: .blue, yFitFromX: 2),
///     .init(name: "validation", points: [(1, 0.93), (2, 0.96)], color: .orange, dashed: true),
/// ], referenceLines: [.init(value: 0.99, label: "target 0.99", color: .darkRed)])
/// ```
public struct LineChart: Figure, Sendable {
    /// One named line.
    public struct Series: Sendable {
        public var name: String
        /// The data points, drawn in order; a non-finite value breaks the line.
        public var points: [(x: Double, y: Double)]
        public var color: Color
        public var dashed: Bool
        /// Whether each data point gets a round marker.
        public var markers: Bool
        /// The smallest x of this series' points that choose the chart's y range (2 leaves
        /// out a first epoch's low training accuracy); `nil` lets every point choose.
        public var yFitFromX: Double?

        public init(name: String, points: [(x: Double, y: Double)], color: Color,
                    dashed: Bool = false, markers: Bool = false, yFitFromX: Double? = nil) {
            self.yFitFromX = yFitFromX
            self.name = name
            self.points = points
            self.color = color
            self.dashed = dashed
            self.markers = markers
        }
    }

    /// A data point outside the y range, marked at the plot's edge.
    package struct ClippedPoint: Hashable, Sendable {
        package var series: Int
        package var x: Double
        package var y: Double
        /// Whether it lies below the range (else above).
        package var below: Bool

        package init(series: Int, x: Double, y: Double, below: Bool) {
            (self.series, self.x, self.y, self.below) = (series, x, y, below)
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// Horizontal lines with labels (targets, published results), always inside the y range.
    public var referenceLines: [ReferenceLine]
    /// The x interval shown; `nil` fits the data with 5 % margins.
    public var xDomain: ClosedRange<Double>?
    /// The y interval shown; `nil` applies the rule of ``fittedYDomain``.
    public var yDomain: ClosedRange<Double>?
    public var size: Size
    public var legendPosition: Legend.Position
    /// Whole-number x ticks only (epochs, counts): no tick between two integers.
    public var integerX: Bool

    public init(title: String, xLabel: String, yLabel: String, series: [Series],
                referenceLines: [ReferenceLine] = [], xDomain: ClosedRange<Double>? = nil,
                yDomain: ClosedRange<Double>? = nil, size: Size = .chart, legendPosition: Legend.Position = .below,
                integerX: Bool = false) {
        self.integerX = integerX
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.referenceLines = referenceLines
        self.xDomain = xDomain
        self.yDomain = yDomain
        self.size = size
        self.legendPosition = legendPosition
    }

    /// The y range when none is given: the extent of the finite points that choose it (in
    /// each series those with x ≥ its ``Series/yFitFromX``; every point when that leaves none)
    /// and of the reference lines, widened by 5 % of its span on each side.
    package var fittedYDomain: ClosedRange<Double> {
        let finite = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let chosen = series.flatMap { series in
            series.points.filter { $0.x.isFinite && $0.y.isFinite && $0.x >= (series.yFitFromX ?? -.infinity) }
        }
        let values = (chosen.isEmpty ? finite : chosen).map(\.y) + referenceLines.map(\.value)
        return CartesianAxes.padded(CartesianAxes.extent(of: values), by: 0.05)
    }

    /// The points outside `domain`, series by series.
    package func clippedPoints(outside domain: ClosedRange<Double>) -> [ClippedPoint] {
        series.enumerated().flatMap { index, series in
            series.points.filter { $0.x.isFinite && $0.y.isFinite && !domain.contains($0.y) }.map {
                ClippedPoint(series: index, x: $0.x, y: $0.y, below: $0.y < domain.lowerBound)
            }
        }
    }

    /// The axes on `renderer`: the given domains or the fitted ones (raised, when needed, to
    /// fit the highest reference line's label above it, and lowered by a label's height when
    /// points lie below it, so their marks' labels cover no point shown), room for the legend below.
    package func axes(on renderer: some Renderer) -> CartesianAxes {
        let points = series.flatMap(\.points)
        let x = xDomain ?? CartesianAxes.padded(CartesianAxes.extent(of: points.map(\.x)), by: 0.05)
        var ticks: [Tick]?
        if integerX {
            // The nice ticks for the width, keeping whole numbers only; at least every integer's step of 1.
            let nice = LinearScale(domain: x, range: (0, 1)).ticks(count: max(3, Int((size.width - 120) / 85)))
            let whole = nice.filter { $0.value == $0.value.rounded() }
            ticks = whole.count >= 2 ? whole.map { Tick(value: $0.value, label: String(Int($0.value))) }
                : stride(from: x.lowerBound.rounded(.up), through: x.upperBound, by: 1).map { Tick(value: $0, label: String(Int($0))) }
        }
        let theme = Theme.darkgrid
        let legendHeight = legendPosition == .below
            ? legend.flowHeight(on: renderer, width: size.width - 2 * theme.padding) : 0
        var axes = CartesianAxes(title: title, xLabel: xLabel, yLabel: yLabel, xDomain: x,
                                 yDomain: yDomain ?? fittedYDomain, xTicks: ticks, legendHeight: legendHeight)
        if yDomain == nil {
            let plotHeight = axes.layout(size: size, on: renderer).plot.height
            let labelHeight = renderer.measureText("Ag", font: theme.annotationFont).height
            axes.yDomain = ReferenceLine.headroom(for: referenceLines, in: axes.yDomain,
                                                  plotHeight: plotHeight, labelHeight: labelHeight)
            // Room under the lowest point shown for the labels of the points below the range.
            let k = (labelHeight + 8) / plotHeight
            let (low, high) = (axes.yDomain.lowerBound, axes.yDomain.upperBound)
            if k < 0.5, clippedPoints(outside: axes.yDomain).contains(where: \.below) {
                axes.yDomain = ((low - k * high) / (1 - k))...high
            }
        }
        return axes
    }

    /// The legend: one entry per series, drawn like its line.
    public var legend: Legend {
        Legend(entries: series.map {
            Legend.Entry(label: $0.name, swatch: .line($0.color, dashed: $0.dashed, marker: $0.markers ? .circle : nil))
        }, font: Theme.darkgrid.legendFont, textColor: Theme.darkgrid.text)
    }

    /// Where the plot area lies on `renderer` and how data maps onto it.
    package func layout(on renderer: some Renderer) -> ChartLayout {
        axes(on: renderer).layout(size: size, on: renderer)
    }

    public func draw(on renderer: some Renderer) {
        let axes = self.axes(on: renderer)
        let theme = axes.theme
        let layout = axes.layout(size: size, on: renderer)
        axes.drawBackground(layout, size: size, on: renderer)
        ReferenceLine.drawLines(referenceLines, in: layout, on: renderer, theme: theme)

        let domain = axes.yDomain
        var ink: [Segment] = []
        var occupied: [Point] = []
        for series in series {
            let stroke = Stroke(width: theme.lineWidth, color: series.color, dash: series.dashed ? theme.dash : nil)
            for run in Self.clippedRuns(series.points, to: domain) {
                let points = run.map { layout.point($0.x, $0.y) }
                renderer.strokePath(.polyline(points), stroke)
                ink += Segment.polyline(points)
                occupied += Self.samples(along: points)
            }
            if series.markers {
                for point in series.points where point.x.isFinite && domain.contains(point.y) {
                    renderer.drawPath(Marker.circle.path(center: layout.point(point.x, point.y), radius: theme.markerRadius),
                                      stroke: Stroke(width: 0.8, color: .white), fill: series.color)
                }
            }
        }
        // The labels last, each where it covers the least of the curves.
        let marks = drawClipMarks(clippedPoints(outside: domain), layout: layout, theme: theme, avoiding: ink, on: renderer)
        let frames = ReferenceLine.labelFrames(referenceLines, in: layout, on: renderer, font: theme.annotationFont,
                                               avoiding: ink, apartFrom: marks)
        ReferenceLine.drawLabels(referenceLines, in: frames, on: renderer, theme: theme)
        occupied += (marks + frames).flatMap { [Point(x: $0.minX, y: $0.minY), $0.center, Point(x: $0.maxX, y: $0.maxY)] }

        axes.drawLabels(layout, size: size, on: renderer)
        let legend = self.legend
        if legendPosition == .below {
            legend.drawFlow(on: renderer, in: Rect(x: theme.padding, y: layout.legendTop,
                                                   width: size.width - 2 * theme.padding, height: axes.legendHeight))
        } else if let frame = legend.frame(on: renderer, in: layout.plot, position: legendPosition, avoiding: occupied) {
            legend.draw(on: renderer, in: frame)
        }
    }

    /// The label of a point outside the y range: "epoch 1: 0.8587".
    package func clipLabel(_ point: ClippedPoint) -> String {
        "\(clipLabelPrefix(point.x)) \(String(format: "%.4f", point.y))"
    }

    /// "epoch 1:", the start of the label of the points outside the range at `x`.
    private func clipLabelPrefix(_ x: Double) -> String {
        let value = x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(format: "%g", x)
        return "\(xLabel.isEmpty ? "x =" : xLabel) \(value):"
    }

    /// The points outside the range marked together: one group per x and side (below or
    /// above), in order of x, below before above; each group's points in the order of the
    /// series, which is the legend's.
    package static func clipGroups(_ points: [ClippedPoint]) -> [[ClippedPoint]] {
        var groups: [[ClippedPoint]] = []
        for point in points.sorted(by: { ($0.x, $0.below ? 0 : 1, $0.series) < ($1.x, $1.below ? 0 : 1, $1.series) }) {
            if let last = groups.last?.last, last.x == point.x, last.below == point.below {
                groups[groups.count - 1].append(point)
            } else {
                groups.append([point])
            }
        }
        return groups
    }

    /// The x of each of `count` marks for points at page x `x`: side by side, `spacing`
    /// apart and centred on `x`, moved as a whole to stay `inset` inside `range` (from its
    /// start when the row is wider than the range).
    package static func markPositions(count: Int, at x: Double, spacing: Double, inset: Double,
                                      within range: ClosedRange<Double>) -> [Double] {
        guard count > 0 else { return [] }
        let width = Double(count - 1) * spacing
        var start = x - width / 2
        start = min(start, range.upperBound - inset - width)
        start = max(start, range.lowerBound + inset)
        return (0..<count).map { start + Double($0) * spacing }
    }

    /// The width of a clip mark's triangle, and the distance between two marks side by side.
    private static let markWidth = 12.0, markSpacing = 14.0

    /// Marks the points outside the y range at the plot's edge: a triangle pointing out of the
    /// plot in the series' colour, and a label on a light box beside it. Points of several
    /// series at the same x get their triangles side by side, in legend order, and one label
    /// naming the x once and then each value in its series' colour, in the same order
    /// ("epoch 1: 0.9317 0.9675 0.9571"). A label goes on the row nearest the edge, right or
    /// left of its triangles, whichever covers less of `ink`; labels that would overlap are
    /// stacked inwards. Returns the label boxes.
    private func drawClipMarks(_ points: [ClippedPoint], layout: ChartLayout, theme: Theme, avoiding ink: [Segment],
                               on renderer: some Renderer) -> [Rect] {
        var placed: [Rect] = []
        let font = theme.annotationFont
        let plot = layout.plot
        for group in Self.clipGroups(points) {
            let below = group[0].below
            let edge = below ? plot.maxY : plot.minY
            let direction = below ? 1.0 : -1.0  // down the page for a point below
            let xs = Self.markPositions(count: group.count, at: layout.x(group[0].x), spacing: Self.markSpacing,
                                        inset: Self.markWidth / 2, within: plot.minX...plot.maxX)
            for (point, x) in zip(group, xs) {
                let half = Self.markWidth / 2
                renderer.fillPath(Path([.move(to: Point(x: x, y: edge)), .line(to: Point(x: x - half, y: edge - direction * 9)),
                                        .line(to: Point(x: x + half, y: edge - direction * 9)), .close]), series[point.series].color)
            }
            // The label's pieces: the whole label in the series' colour for one point; else
            // the x in the text colour, then each value in its own.
            var pieces: [(text: String, color: Color)] = [(text: clipLabel(group[0]), color: series[group[0].series].color)]
            if group.count > 1 {
                pieces = [(text: clipLabelPrefix(group[0].x), color: theme.text)]
                pieces += group.map { (text: String(format: "%.4f", $0.y), color: series[$0.series].color) }
            }
            let space = renderer.measureText(" ", font: font).width
            let widths = pieces.map { renderer.measureText($0.text, font: font).width }
            let size = Size(width: widths.reduce(0, +) + space * Double(pieces.count - 1),
                            height: renderer.measureText(pieces[0].text, font: font).height)
            let (right, left) = ((xs.last ?? 0) + Self.markWidth / 2 + 4, (xs.first ?? 0) - Self.markWidth / 2 - 4 - size.width)
            // The first row, from the edge inwards, with room beside the triangles; in it, the
            // side covering less of the curves (the right one when both are clear).
            func row(_ index: Int) -> [Rect] {
                let y = below ? edge - 3 - size.height - Double(index) * (size.height + 2) : edge + 3 + Double(index) * (size.height + 2)
                return [Rect(x: right, y: y, width: size.width, height: size.height),
                        Rect(x: left, y: y, width: size.width, height: size.height)]
            }
            let chosen = (0..<(3 + placed.count)).lazy.compactMap {
                LabelPlacement.best(row($0), inside: plot, apartFrom: placed, ink: ink)
            }.first
            let frame = chosen ?? row(0)[right + size.width <= plot.maxX - 2 ? 0 : 1]
            placed.append(frame)
            renderer.drawPath(.roundedRectangle(frame.insetBy(-2), radius: 2), stroke: nil, fill: Color.white.withAlpha(0.85))
            var x = frame.minX
            for (piece, width) in zip(pieces, widths) {
                renderer.drawText(piece.text, at: Point(x: x, y: frame.minY), font: font, color: piece.color,
                                  anchor: .start, baseline: .top, rotation: 0)
                x += width + space
            }
        }
        return placed
    }

    /// The visible parts of a series' line in `domain` of y: the maximal runs of consecutive
    /// finite points, each segment cut where it leaves the domain (at the exact crossing), so a
    /// point outside pulls its line to the plot's edge instead of vanishing with it.
    package static func clippedRuns(_ points: [(x: Double, y: Double)],
                                    to domain: ClosedRange<Double>) -> [[(x: Double, y: Double)]] {
        var runs: [[(x: Double, y: Double)]] = []
        for run in finiteRuns(points) {
            if run.count == 1 {
                if domain.contains(run[0].y) { runs.append(run) }
                continue
            }
            var current: [(x: Double, y: Double)] = []
            for (a, b) in zip(run, run.dropFirst()) {
                guard let (t0, t1) = visibleInterval(from: a.y, to: b.y, in: domain) else {
                    if !current.isEmpty { runs.append(current) }
                    current = []
                    continue
                }
                func at(_ t: Double) -> (x: Double, y: Double) {
                    t == 0 ? a : t == 1 ? b : (a.x + t * (b.x - a.x), a.y + t * (b.y - a.y))
                }
                if t0 > 0 || current.isEmpty {
                    if !current.isEmpty { runs.append(current) }
                    current = [at(t0)]
                }
                current.append(at(t1))
                if t1 < 1 {
                    runs.append(current)
                    current = []
                }
            }
            if !current.isEmpty { runs.append(current) }
        }
        return runs
    }

    /// The parameters 0 ≤ t₀ ≤ t₁ ≤ 1 between which `a + t (b − a)` lies in `domain`, or `nil`.
    private static func visibleInterval(from a: Double, to b: Double,
                                        in domain: ClosedRange<Double>) -> (Double, Double)? {
        guard a != b else { return domain.contains(a) ? (0, 1) : nil }
        let (tLow, tHigh) = ((domain.lowerBound - a) / (b - a), (domain.upperBound - a) / (b - a))
        let (t0, t1) = (max(0, min(tLow, tHigh)), min(1, max(tLow, tHigh)))
        return t0 <= t1 ? (t0, t1) : nil
    }

    /// The maximal runs of consecutive finite points.
    private static func finiteRuns(_ points: [(x: Double, y: Double)]) -> [[(x: Double, y: Double)]] {
        var runs: [[(x: Double, y: Double)]] = [[]]
        for point in points {
            if point.x.isFinite && point.y.isFinite {
                runs[runs.count - 1].append(point)
            } else if !runs[runs.count - 1].isEmpty {
                runs.append([])
            }
        }
        return runs.filter { !$0.isEmpty }
    }

    /// The points of a polyline plus eight more along each segment, for placing the legend.
    private static func samples(along points: [Point]) -> [Point] {
        var samples = points
        for (a, b) in zip(points, points.dropFirst()) {
            for step in 1..<9 {
                let t = Double(step) / 9
                samples.append(Point(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)))
            }
        }
        return samples
    }
}
