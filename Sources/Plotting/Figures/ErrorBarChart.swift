/// Means with ± one standard deviation error bars, the individual replicate values as small
/// translucent dots on them, optional reference markers with their own error bars (e.g. the
/// notebook's numbers) and labelled horizontal reference lines (e.g. a published result).
///
/// A lone group sits exactly at its x (its category); several groups (e.g. two runs) sit
/// symmetrically about it. References that follow no group take the middle between an even
/// number of groups, else the slot right of them. The replicate dots share their bar's x,
/// spread sideways by a small fixed step (``jitterStep``) so equal values stay visible, with
/// no randomness: the same data always give the same picture.
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

    /// Reference values drawn as hollow markers, e.g. the means the notebook reports, with
    /// optional error bars.
    public struct Reference: Sendable {
        public var name: String
        public var color: Color
        public var marker: Marker
        public var points: [(x: Double, y: Double)]
        /// The half-heights of the points' error bars, in the order of `points`; empty for none.
        public var errors: [Double]
        /// The index of the group whose horizontal offset the markers share; `nil` gives them
        /// a slot of their own (see ``referenceOffset``).
        public var group: Int?
        /// The individual values behind each point, drawn as dots beside its marker; empty for none.
        public var replicates: [[Double]]

        /// - Precondition: `errors` and `replicates` are empty or have one entry per point.
        public init(name: String, color: Color, marker: Marker = .diamond,
                    points: [(x: Double, y: Double)], errors: [Double] = [], group: Int? = nil, replicates: [[Double]] = []) {
            precondition(errors.isEmpty || errors.count == points.count,
                         "Reference \(name): \(errors.count) errors for \(points.count) points")
            precondition(replicates.isEmpty || replicates.count == points.count,
                         "Reference \(name): \(replicates.count) replicate lists for \(points.count) points")
            self.name = name
            self.color = color
            self.marker = marker
            self.points = points
            self.errors = errors
            self.group = group
            self.replicates = replicates
        }

        /// The point `index` with its error bar's ends (both the value when there is no bar).
        package func interval(_ index: Int) -> (low: Double, value: Double, high: Double) {
            let error = errors.isEmpty ? 0 : errors[index]
            return (points[index].y - error, points[index].y, points[index].y + error)
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xAxis: XAxis
    public var groups: [Group]
    public var references: [Reference]
    /// Labelled horizontal lines, always inside the y range.
    public var referenceLines: [ReferenceLine]
    /// The y interval shown; `nil` fits bars, dots, references and lines with 8 % margins.
    public var yDomain: ClosedRange<Double>?
    /// The legend label of the replicate dots; `nil` leaves them out of the legend.
    public var replicatesLabel: String?
    public var size: Size
    public var legendPosition: Legend.Position

    public init(title: String, xLabel: String, yLabel: String, xAxis: XAxis = .numeric,
                groups: [Group], references: [Reference] = [], referenceLines: [ReferenceLine] = [],
                yDomain: ClosedRange<Double>? = nil, replicatesLabel: String? = "individual runs",
                size: Size = .chart, legendPosition: Legend.Position = .below) {
        self.referenceLines = referenceLines
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
    /// The sideways step between neighbouring replicate dots of one bar, in points.
    package static let jitterStep = 3.0
    package static let dotRadius = 2.6
    /// How opaque the replicate dots are: dark enough to read on the plot's grey.
    package static let dotAlpha = 0.8
    /// How far the replicate dots sit beside their bar or marker, in points: clear of the caps.
    package static var replicateOffset: Double { capWidth / 2 + jitterStep + dotRadius + 1.5 }
    package static let meanRadius = 4.5
    /// The distance between neighbouring slots at one x, as a fraction of the closest spacing of the x values.
    package static let slotWidth = 0.28

    /// The horizontal offset of group `index` in data units: 0 for a lone group, else the
    /// groups ``slotWidth`` apart and centred on their x.
    package func offset(ofGroup index: Int) -> Double {
        (Double(index) - Double(groups.count - 1) / 2) * Self.slotWidth * spacing
    }

    /// The horizontal offset, in data units, of the references that follow no group: the
    /// middle between an even number of groups, else the slot right of the last group.
    package var referenceOffset: Double {
        groups.count.isMultiple(of: 2) ? 0 : Double(groups.count + 1) / 2 * Self.slotWidth * spacing
    }

    /// The x offset of the replicate dot `index` of `count` from the dots' centre, in points:
    /// `(index − (count − 1) / 2) · jitterStep`; the centre is ``replicateOffset`` left of a
    /// group's bar and right of a reference's marker.
    package static func jitter(_ index: Int, of count: Int) -> Double {
        (Double(index) - Double(count - 1) / 2) * jitterStep
    }

    /// The closest spacing of the x values (1 when there is only one).
    private var spacing: Double {
        let xs = Set(groups.flatMap { $0.measurements.map(\.x) } + references.flatMap { $0.points.map(\.x) }).sorted()
        return zip(xs, xs.dropFirst()).map { $1 - $0 }.min() ?? 1
    }

    /// The y range when none is given: the extent of the bars, the dots, the references with
    /// their bars and the reference lines, widened by 8 % of its span on each side.
    package var fittedYDomain: ClosedRange<Double> {
        let ys = groups.flatMap { $0.measurements.flatMap { [$0.mean - $0.sd, $0.mean + $0.sd] + $0.replicates } }
            + references.flatMap { reference in
                reference.points.indices.flatMap { [reference.interval($0).low, reference.interval($0).high] } + reference.replicates.joined()
            }
            + referenceLines.map(\.value)
        return CartesianAxes.padded(CartesianAxes.extent(of: ys), by: 0.08)
    }

    /// The axes on `renderer`: categories or nice numbers on x; y fitted to everything drawn
    /// unless fixed (raised, when needed, to fit the highest reference line's label above
    /// it); room for the legend below.
    package func axes(on renderer: some Renderer) -> CartesianAxes {
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
        let legendHeight = legendPosition == .below
            ? legend.flowHeight(on: renderer, width: size.width - 2 * Theme.darkgrid.padding) : 0
        var axes = CartesianAxes(title: title, xLabel: xLabel, yLabel: yLabel, xDomain: xDomain,
                                 yDomain: yDomain ?? fittedYDomain, xTicks: xTicks, legendHeight: legendHeight)
        if yDomain == nil {
            axes.yDomain = ReferenceLine.headroom(for: referenceLines, in: axes.yDomain,
                                                  plotHeight: axes.layout(size: size, on: renderer).plot.height,
                                                  labelHeight: renderer.measureText("Ag", font: axes.theme.annotationFont).height)
        }
        return axes
    }

    /// The legend: one entry per group, then the replicate dots, then one per reference.
    public var legend: Legend {
        var entries = groups.map { Legend.Entry(label: $0.name, swatch: .errorBar($0.color)) }
        if let replicatesLabel, groups.contains(where: { $0.measurements.contains { !$0.replicates.isEmpty } }) {
            let color = groups.count == 1 ? groups[0].color : Color.gray
            entries.append(Legend.Entry(label: replicatesLabel,
                                        swatch: .marker(.circle, color.withAlpha(Self.dotAlpha), filled: true, radius: Self.dotRadius)))
        }
        entries += references.map {
            Legend.Entry(label: $0.name, swatch: .marker($0.marker, $0.color, filled: false, radius: Self.meanRadius))
        }
        return Legend(entries: entries, font: Theme.darkgrid.legendFont, textColor: Theme.darkgrid.text)
    }

    /// Where the plot area lies on `renderer` and how data maps onto it.
    package func layout(on renderer: some Renderer) -> ChartLayout {
        axes(on: renderer).layout(size: size, on: renderer)
    }

    public func draw(on renderer: some Renderer) {
        let axes = self.axes(on: renderer)
        let layout = axes.layout(size: size, on: renderer)
        axes.drawBackground(layout, size: size, on: renderer)
        ReferenceLine.drawLines(referenceLines, in: layout, on: renderer, theme: axes.theme)
        var occupied: [Point] = []
        // What the lines' labels should leave uncovered: each bar with its caps, and each dot
        // or marker as its horizontal diameter.
        var ink: [Segment] = []
        // Replicates as dots a fixed step apart sideways (no randomness), centred at `centre`.
        func dots(_ values: [Double], centredAt centre: Double, color: Color) {
            for (i, value) in values.enumerated() {
                let dot = Point(x: centre + Self.jitter(i, of: values.count), y: layout.y(value))
                renderer.fillPath(.circle(center: dot, radius: Self.dotRadius), color.withAlpha(Self.dotAlpha))
                occupied.append(dot)
                ink.append(ErrorBarChart.dot(dot, radius: Self.dotRadius))
            }
        }
        for (index, group) in groups.enumerated() {
            let shift = self.offset(ofGroup: index)
            let barStroke = Stroke(width: 1.5, color: group.color)
            for measurement in group.measurements {
                let x = layout.x(measurement.x + shift)
                dots(measurement.replicates, centredAt: x - Self.replicateOffset, color: group.color)
                let (low, high) = (layout.y(measurement.mean - measurement.sd), layout.y(measurement.mean + measurement.sd))
                let half = Self.capWidth / 2
                renderer.strokePath(.line(from: Point(x: x, y: low), to: Point(x: x, y: high)), barStroke)
                renderer.strokePath(.line(from: Point(x: x - half, y: low), to: Point(x: x + half, y: low)), barStroke)
                renderer.strokePath(.line(from: Point(x: x - half, y: high), to: Point(x: x + half, y: high)), barStroke)
                let mean = Point(x: x, y: layout.y(measurement.mean))
                renderer.drawPath(.circle(center: mean, radius: Self.meanRadius),
                                  stroke: Stroke(width: 0.8, color: .white), fill: group.color)
                occupied += (0...4).map { Point(x: x, y: low + Double($0) / 4 * (high - low)) }
                ink += [Segment(Point(x: x, y: low), Point(x: x, y: high)),
                        Segment(Point(x: x - half, y: low), Point(x: x + half, y: low)),
                        Segment(Point(x: x - half, y: high), Point(x: x + half, y: high)),
                        ErrorBarChart.dot(mean, radius: Self.meanRadius)]
            }
        }
        for reference in references {
            let shift = reference.group.map { self.offset(ofGroup: $0) } ?? referenceOffset
            let stroke = Stroke(width: 1.5, color: reference.color)
            for index in reference.points.indices {
                let x = layout.x(reference.points[index].x + shift)
                let (low, value, high) = reference.interval(index)
                if high > low {
                    let (bottom, top) = (layout.y(low), layout.y(high))
                    let half = Self.capWidth / 2
                    renderer.strokePath(.line(from: Point(x: x, y: bottom), to: Point(x: x, y: top)), stroke)
                    renderer.strokePath(.line(from: Point(x: x - half, y: bottom), to: Point(x: x + half, y: bottom)), stroke)
                    renderer.strokePath(.line(from: Point(x: x - half, y: top), to: Point(x: x + half, y: top)), stroke)
                    ink += [Segment(Point(x: x, y: bottom), Point(x: x, y: top)),
                            Segment(Point(x: x - half, y: bottom), Point(x: x + half, y: bottom)),
                            Segment(Point(x: x - half, y: top), Point(x: x + half, y: top))]
                }
                dots(reference.replicates.isEmpty ? [] : reference.replicates[index], centredAt: x + Self.replicateOffset,
                     color: reference.color)
                let center = Point(x: x, y: layout.y(value))
                renderer.drawPath(reference.marker.path(center: center, radius: Self.meanRadius),
                                  stroke: stroke, fill: .white)
                occupied.append(center)
                ink.append(ErrorBarChart.dot(center, radius: Self.meanRadius))
            }
        }
        let frames = ReferenceLine.labelFrames(referenceLines, in: layout, on: renderer, font: axes.theme.annotationFont,
                                               avoiding: ink)
        ReferenceLine.drawLabels(referenceLines, in: frames, on: renderer, theme: axes.theme)
        occupied += frames.flatMap { [Point(x: $0.minX, y: $0.minY), $0.center, Point(x: $0.maxX, y: $0.maxY)] }

        axes.drawLabels(layout, size: size, on: renderer)
        let legend = self.legend
        if legendPosition == .below {
            let padding = axes.theme.padding
            legend.drawFlow(on: renderer, in: Rect(x: padding, y: layout.legendTop,
                                                   width: size.width - 2 * padding, height: axes.legendHeight))
        } else if let frame = legend.frame(on: renderer, in: layout.plot, position: legendPosition, avoiding: occupied) {
            legend.draw(on: renderer, in: frame)
        }
    }

    /// A dot or marker as ink for label placement: its horizontal diameter.
    private static func dot(_ center: Point, radius: Double) -> Segment {
        Segment(center.offsetBy(dx: -radius), center.offsetBy(dx: radius))
    }
}
