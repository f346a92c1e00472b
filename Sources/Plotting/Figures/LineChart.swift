/// A line chart of one or more series, e.g. training and validation accuracy per epoch,
/// in seaborn's "darkgrid" look with a legend in the least crowded corner.
///
/// ```swift
/// let chart = LineChart(title: "Accuracy", xLabel: "epoch", yLabel: "accuracy", series: [
///     .init(name: "train", points: [(1, 0.91), (2, 0.95)], color: .blue),
///     .init(name: "validation", points: [(1, 0.93), (2, 0.96)], color: .orange, dashed: true),
/// ])
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

        public init(name: String, points: [(x: Double, y: Double)], color: Color,
                    dashed: Bool = false, markers: Bool = false) {
            self.name = name
            self.points = points
            self.color = color
            self.dashed = dashed
            self.markers = markers
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// The x interval shown; `nil` fits the data with 5 % margins.
    public var xDomain: ClosedRange<Double>?
    /// The y interval shown; `nil` fits the data with 5 % margins.
    public var yDomain: ClosedRange<Double>?
    public var size: Size
    public var legendPosition: Legend.Position
    /// Whole-number x ticks only (epochs, counts): no tick between two integers.
    public var integerX: Bool

    public init(title: String, xLabel: String, yLabel: String, series: [Series],
                xDomain: ClosedRange<Double>? = nil, yDomain: ClosedRange<Double>? = nil,
                size: Size = Size(width: 640, height: 400), legendPosition: Legend.Position = .best,
                integerX: Bool = false) {
        self.integerX = integerX
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.xDomain = xDomain
        self.yDomain = yDomain
        self.size = size
        self.legendPosition = legendPosition
    }

    /// The axes: the given domains, or the data's extents with 5 % margins.
    package var axes: CartesianAxes {
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
        return CartesianAxes(
            title: title, xLabel: xLabel, yLabel: yLabel, xDomain: x,
            yDomain: yDomain ?? CartesianAxes.padded(CartesianAxes.extent(of: points.map(\.y)), by: 0.05), xTicks: ticks)
    }

    /// The legend: one entry per series, drawn like its line.
    public var legend: Legend {
        Legend(entries: series.map {
            Legend.Entry(label: $0.name, swatch: .line($0.color, dashed: $0.dashed, marker: $0.markers ? .circle : nil))
        }, font: Theme.darkgrid.legendFont, textColor: Theme.darkgrid.text)
    }

    /// Where the plot area lies on `renderer` and how data maps onto it.
    package func layout(on renderer: some Renderer) -> ChartLayout {
        axes.layout(size: size, on: renderer)
    }

    public func draw(on renderer: some Renderer) {
        let axes = self.axes
        let theme = axes.theme
        let layout = axes.layout(size: size, on: renderer)
        axes.drawBackground(layout, size: size, on: renderer)

        var occupied: [Point] = []
        for series in series {
            let stroke = Stroke(width: theme.lineWidth, color: series.color, dash: series.dashed ? theme.dash : nil)
            for run in Self.finiteRuns(series.points) {
                let points = run.map { layout.point($0.x, $0.y) }
                renderer.strokePath(.polyline(points), stroke)
                occupied += Self.samples(along: points)
            }
            if series.markers {
                for point in series.points where point.x.isFinite && point.y.isFinite {
                    renderer.drawPath(Marker.circle.path(center: layout.point(point.x, point.y), radius: theme.markerRadius),
                                      stroke: Stroke(width: 0.8, color: .white), fill: series.color)
                }
            }
        }

        axes.drawLabels(layout, size: size, on: renderer)
        let legend = self.legend
        if let frame = legend.frame(on: renderer, in: layout.plot, position: legendPosition, avoiding: occupied) {
            legend.draw(on: renderer, in: frame)
        }
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
