/// Means with ± one standard deviation error bars, the individual replicate values as small
/// translucent dots beside them, and optional reference markers (e.g. the notebook's numbers).
///
/// Several groups (e.g. two runs) sit side by side at each x, offset horizontally, with the
/// references in a slot of their own between them. The replicate dots are spread evenly
/// across a narrow band right of their bar, with no randomness, so the same data always
/// gives the same picture.
///
/// ```swift
/// let chart = ErrorBarChart(
///     title: "Test accuracy by model", xLabel: "model", yLabel: "test accuracy",
///     xAxis: .categories(["MLP 64", "MLP 500", "LeNet-5"]),
///     groups: [.init(name: "this run", color: .blue, measurements: [
///         .init(x: 0, replicates: [0.971, 0.969, 0.973]), ...])],
///     references: [.init(name: "notebook", color: .darkGray, points: [(0, 0.970), ...])])
/// ```
public struct ErrorBarChart: Figure, Sendable {
    /// What the x axis shows.
    public enum XAxis: Hashable, Sendable {
        /// Numbers, with nice ticks.
        case numeric
        /// Named categories at x = 0, 1, 2, …, labelled with these names.
        case categories([String])
    }

    /// The summary of the replicates at one x: their mean, standard deviation and values.
    public struct Measurement: Hashable, Sendable {
        /// The position; for categories, the category's index.
        public var x: Double
        public var mean: Double
        /// The half-height of the error bar.
        public var sd: Double
        /// The individual values, drawn as dots; may be empty.
        public var replicates: [Double]

        public init(x: Double, mean: Double, sd: Double, replicates: [Double] = []) {
            self.x = x
            self.mean = mean
            self.sd = sd
            self.replicates = replicates
        }

        /// The measurement of `replicates`: their mean and their sample standard deviation
        /// √(Σ(vᵢ − mean)² / (n − 1)), 0 for a single value.
        ///
        /// - Precondition: `replicates` is not empty.
        public init(x: Double, replicates: [Double]) {
            precondition(!replicates.isEmpty, "Measurement(x: \(x), replicates:) needs at least one value")
            let n = Double(replicates.count)
            let mean = replicates.reduce(0, +) / n
            let squares = replicates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            self.init(x: x, mean: mean, sd: replicates.count > 1 ? (squares / (n - 1)).squareRoot() : 0,
                      replicates: replicates)
        }
    }

    /// A named set of measurements in one colour, e.g. one run of the experiments.
    public struct Group: Hashable, Sendable {
        public var name: String
        public var color: Color
        public var measurements: [Measurement]

        public init(name: String, color: Color, measurements: [Measurement]) {
            self.name = name
            self.color = color
            self.measurements = measurements
        }
    }

    /// Reference values drawn as hollow markers, e.g. the means the notebook reports.
    public struct Reference: Sendable {
        public var name: String
        public var color: Color
        public var marker: Marker
        public var points: [(x: Double, y: Double)]
        /// The index of the group whose horizontal offset the markers share; `nil` centres
        /// them on their x, between the groups.
        public var group: Int?

        public init(name: String, color: Color, marker: Marker = .diamond,
                    points: [(x: Double, y: Double)], group: Int? = nil) {
            self.name = name
            self.color = color
            self.marker = marker
            self.points = points
            self.group = group
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xAxis: XAxis
    public var groups: [Group]
    public var references: [Reference]
    /// The y interval shown; `nil` fits bars, dots and references with 8 % margins.
    public var yDomain: ClosedRange<Double>?
    /// The legend label of the replicate dots; `nil` leaves them out of the legend.
    public var replicatesLabel: String?
    public var size: Size
    public var legendPosition: Legend.Position

    public init(title: String, xLabel: String, yLabel: String, xAxis: XAxis = .numeric,
                groups: [Group], references: [Reference] = [], yDomain: ClosedRange<Double>? = nil,
                replicatesLabel: String? = "individual runs", size: Size = Size(width: 640, height: 400),
                legendPosition: Legend.Position = .best) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xAxis = xAxis
        self.groups = groups
        self.references = references
        self.yDomain = yDomain
        self.replicatesLabel = replicatesLabel
        self.size = size
        self.legendPosition = legendPosition
    }

    /// Total width of an error bar's caps, in points.
    package static let capWidth = 10.0
    /// Width of the band the replicate dots are spread over, in points.
    package static let jitterWidth = 8.0
    /// Distance from the error bar to the band of replicate dots, in points.
    package static let jitterGap = 8.0
    package static let dotRadius = 2.4
    package static let meanRadius = 4.0

    /// The horizontal offset of group `index` in data units. Groups sit side by side, 0.22
    /// of the closest spacing of the x values apart and centred on their x; when some
    /// references follow no group, they take a slot of their own, in the middle (after
    /// the only group when there is one).
    package func offset(ofGroup index: Int) -> Double {
        slotOffset(index < referenceSlot ? index : index + 1)
    }

    /// The horizontal offset, in data units, of the references that follow no group.
    package var referenceOffset: Double {
        slotOffset(referenceSlot)
    }

    /// The slot of the references that follow no group, or `groups.count` when there are none
    /// (a slot past the groups, which shifts nothing).
    private var referenceSlot: Int {
        references.contains { $0.group == nil } ? (groups.count + 1) / 2 : groups.count
    }

    private func slotOffset(_ slot: Int) -> Double {
        let slots = groups.count + (references.contains { $0.group == nil } ? 1 : 0)
        let xs = Set(groups.flatMap { $0.measurements.map(\.x) } + references.flatMap { $0.points.map(\.x) }).sorted()
        let spacing = zip(xs, xs.dropFirst()).map { $1 - $0 }.min() ?? 1
        return (Double(slot) - Double(slots - 1) / 2) * 0.22 * spacing
    }

    /// The axes: categories or nice numbers on x; y fitted to everything drawn unless fixed.
    package var axes: CartesianAxes {
        let ys = groups.flatMap { $0.measurements.flatMap { [$0.mean - $0.sd, $0.mean + $0.sd] + $0.replicates } }
            + references.flatMap { $0.points.map(\.y) }
        let xDomain: ClosedRange<Double>
        let xTicks: [Tick]?
        switch xAxis {
        case let .categories(names):
            xDomain = -0.5...(Double(max(names.count, 1)) - 0.5)
            xTicks = names.enumerated().map { Tick(value: Double($0.offset), label: $0.element) }
        case .numeric:
            let xs = groups.flatMap { $0.measurements.map(\.x) } + references.flatMap { $0.points.map(\.x) }
            let extent = CartesianAxes.extent(of: xs)
            let distinct = Set(xs).sorted()
            let spacing = zip(distinct, distinct.dropFirst()).map { $1 - $0 }.min() ?? 1
            xDomain = (extent.lowerBound - spacing / 2)...(extent.upperBound + spacing / 2)
            xTicks = nil
        }
        return CartesianAxes(title: title, xLabel: xLabel, yLabel: yLabel, xDomain: xDomain,
                             yDomain: yDomain ?? CartesianAxes.padded(CartesianAxes.extent(of: ys), by: 0.08),
                             xTicks: xTicks)
    }

    /// The legend: one entry per group, then the replicate dots, then one per reference.
    public var legend: Legend {
        var entries = groups.map { Legend.Entry(label: $0.name, swatch: .errorBar($0.color)) }
        if let replicatesLabel, groups.contains(where: { $0.measurements.contains { !$0.replicates.isEmpty } }) {
            let color = groups.count == 1 ? groups[0].color : Color.gray
            entries.append(Legend.Entry(label: replicatesLabel,
                                        swatch: .marker(.circle, color.withAlpha(0.5), filled: true, radius: Self.dotRadius)))
        }
        entries += references.map {
            Legend.Entry(label: $0.name, swatch: .marker($0.marker, $0.color, filled: false, radius: Self.meanRadius))
        }
        return Legend(entries: entries, font: Theme.darkgrid.legendFont, textColor: Theme.darkgrid.text)
    }

    /// Where the plot area lies on `renderer` and how data maps onto it.
    package func layout(on renderer: some Renderer) -> ChartLayout {
        axes.layout(size: size, on: renderer)
    }

    public func draw(on renderer: some Renderer) {
        let axes = self.axes
        let layout = axes.layout(size: size, on: renderer)
        axes.drawBackground(layout, size: size, on: renderer)

        var occupied: [Point] = []
        for (index, group) in groups.enumerated() {
            let shift = self.offset(ofGroup: index)
            let barStroke = Stroke(width: 1.5, color: group.color)
            for measurement in group.measurements {
                let x = layout.x(measurement.x + shift)
                // The replicates in a narrow band right of the bar, spread evenly (no randomness).
                let count = measurement.replicates.count
                for (i, value) in measurement.replicates.enumerated() {
                    let dx = Self.jitterGap + (count > 1 ? Double(i) / Double(count - 1) : 0.5) * Self.jitterWidth
                    let dot = Point(x: x + dx, y: layout.y(value))
                    renderer.fillPath(.circle(center: dot, radius: Self.dotRadius), group.color.withAlpha(0.45))
                    occupied.append(dot)
                }
                let (low, high) = (layout.y(measurement.mean - measurement.sd), layout.y(measurement.mean + measurement.sd))
                let half = Self.capWidth / 2
                renderer.strokePath(.line(from: Point(x: x, y: low), to: Point(x: x, y: high)), barStroke)
                renderer.strokePath(.line(from: Point(x: x - half, y: low), to: Point(x: x + half, y: low)), barStroke)
                renderer.strokePath(.line(from: Point(x: x - half, y: high), to: Point(x: x + half, y: high)), barStroke)
                let mean = Point(x: x, y: layout.y(measurement.mean))
                renderer.drawPath(.circle(center: mean, radius: Self.meanRadius),
                                  stroke: Stroke(width: 0.8, color: .white), fill: group.color)
                occupied += (0...4).map { Point(x: x, y: low + Double($0) / 4 * (high - low)) }
            }
        }
        for reference in references {
            let shift = reference.group.map { self.offset(ofGroup: $0) } ?? referenceOffset
            for point in reference.points {
                let center = layout.point(point.x + shift, point.y)
                renderer.strokePath(reference.marker.path(center: center, radius: Self.meanRadius),
                                    Stroke(width: 1.5, color: reference.color))
                occupied.append(center)
            }
        }

        axes.drawLabels(layout, size: size, on: renderer)
        let legend = self.legend
        if let frame = legend.frame(on: renderer, in: layout.plot, position: legendPosition, avoiding: occupied) {
            legend.draw(on: renderer, in: frame)
        }
    }
}
