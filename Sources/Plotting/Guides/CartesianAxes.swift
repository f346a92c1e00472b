/// Where a chart's plot area lies and how data maps onto it.
package struct ChartLayout: Sendable {
    /// The plot area, in points.
    package var plot: Rect
    /// Data x to page x.
    package var x: LinearScale
    /// Data y to page y (the range runs upwards: `y.rangeStart` is the plot's bottom).
    package var y: LinearScale
    package var xTicks: [Tick]
    package var yTicks: [Tick]

    /// The page position of the data point (`x`, `y`).
    package func point(_ x: Double, _ y: Double) -> Point {
        Point(x: self.x(x), y: self.y(y))
    }
}

/// The frame the charts share, in seaborn's "darkgrid" look: a title over the plot area,
/// axis labels, tick labels, a grey-blue plot area with white grid lines at the ticks,
/// no frame and no tick marks.
package struct CartesianAxes: Sendable {
    package var title: String
    package var xLabel: String
    package var yLabel: String
    package var xDomain: ClosedRange<Double>
    package var yDomain: ClosedRange<Double>
    /// Ticks given by the chart, e.g. categories; `nil` picks nice ticks over `xDomain`.
    package var xTicks: [Tick]?
    package var theme: Theme

    package init(title: String, xLabel: String, yLabel: String, xDomain: ClosedRange<Double>,
                 yDomain: ClosedRange<Double>, xTicks: [Tick]? = nil, theme: Theme = .darkgrid) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xDomain = xDomain
        self.yDomain = yDomain
        self.xTicks = xTicks
        self.theme = theme
    }

    /// Computes the plot area for a figure of `size`: the margins make room for the
    /// title, the labels and the widest tick label, as measured by `renderer`.
    package func layout(size: Size, on renderer: some Renderer) -> ChartLayout {
        let pad = theme.padding
        let yTicks = LinearScale(domain: yDomain, range: (0, 1)).ticks(count: max(3, Int((size.height - 90) / 45)))
        let xTicks = self.xTicks
            ?? LinearScale(domain: xDomain, range: (0, 1)).ticks(count: max(3, Int((size.width - 120) / 85)))
        let tickHeight = renderer.measureText("0", font: theme.tickFont).height
        let labelHeight = renderer.measureText("Ag", font: theme.labelFont).height
        let titleHeight = renderer.measureText("Ag", font: theme.titleFont).height
        let widestYTick = yTicks.map { renderer.measureText($0.label, font: theme.tickFont).width }.max() ?? 0
        let lastXTick = xTicks.last.map { renderer.measureText($0.label, font: theme.tickFont).width } ?? 0

        let left = pad + (yLabel.isEmpty ? 0 : labelHeight + 6) + widestYTick + 6
        let right = pad + max(6, lastXTick / 2)
        let top = pad + (title.isEmpty ? 4 : titleHeight + 8)
        let bottom = pad + (xLabel.isEmpty ? 0 : labelHeight + 4) + tickHeight + 5
        let plot = Rect(x: left, y: top, width: max(1, size.width - left - right),
                        height: max(1, size.height - top - bottom))
        return ChartLayout(plot: plot,
                           x: LinearScale(domain: xDomain, range: (plot.minX, plot.maxX)),
                           y: LinearScale(domain: yDomain, range: (plot.maxY, plot.minY)),
                           xTicks: xTicks, yTicks: yTicks)
    }

    /// Fills the figure and the plot area and draws the grid lines.
    package func drawBackground(_ layout: ChartLayout, size: Size, on renderer: some Renderer) {
        renderer.fillPath(.rectangle(Rect(x: 0, y: 0, width: size.width, height: size.height)), theme.background)
        let plot = layout.plot
        renderer.fillPath(.rectangle(plot), theme.plotBackground)
        for tick in layout.yTicks {
            let y = layout.y(tick.value)
            renderer.strokePath(.line(from: Point(x: plot.minX, y: y), to: Point(x: plot.maxX, y: y)), theme.grid)
        }
        for tick in layout.xTicks {
            let x = layout.x(tick.value)
            renderer.strokePath(.line(from: Point(x: x, y: plot.minY), to: Point(x: x, y: plot.maxY)), theme.grid)
        }
    }

    /// Draws the tick labels, the axis labels and the title.
    package func drawLabels(_ layout: ChartLayout, size: Size, on renderer: some Renderer) {
        let plot = layout.plot
        let pad = theme.padding
        for tick in layout.yTicks {
            renderer.drawText(tick.label, at: Point(x: plot.minX - 6, y: layout.y(tick.value)), font: theme.tickFont,
                              color: theme.text, anchor: .end, baseline: .middle, rotation: 0)
        }
        for tick in layout.xTicks {
            renderer.drawText(tick.label, at: Point(x: layout.x(tick.value), y: plot.maxY + 5), font: theme.tickFont,
                              color: theme.text, anchor: .middle, baseline: .top, rotation: 0)
        }
        if !xLabel.isEmpty {
            renderer.drawText(xLabel, at: Point(x: plot.midX, y: size.height - pad), font: theme.labelFont,
                              color: theme.text, anchor: .middle, baseline: .bottom, rotation: 0)
        }
        if !yLabel.isEmpty {
            renderer.drawText(yLabel, at: Point(x: pad, y: plot.midY), font: theme.labelFont,
                              color: theme.text, anchor: .middle, baseline: .top, rotation: -.pi / 2)
        }
        if !title.isEmpty {
            // Centred over the plot area, as matplotlib does, unless it is too wide for that.
            let width = renderer.measureText(title, font: theme.titleFont).width
            let centre = width <= plot.width ? plot.midX : size.width / 2
            renderer.drawText(title, at: Point(x: centre, y: pad), font: theme.titleFont,
                              color: theme.text, anchor: .middle, baseline: .top, rotation: 0)
        }
    }

    /// `extent` widened by `fraction` of its span on both sides (matplotlib's margins); a
    /// single value is widened by 5 % of its magnitude, or by 0.5 when it is 0.
    package static func padded(_ extent: ClosedRange<Double>, by fraction: Double) -> ClosedRange<Double> {
        let span = extent.upperBound - extent.lowerBound
        let margin = span > 0 ? span * fraction : (extent.lowerBound == 0 ? 0.5 : abs(extent.lowerBound) * 0.05)
        return (extent.lowerBound - margin)...(extent.upperBound + margin)
    }

    /// The smallest interval holding the finite `values`, or `fallback` when there are none.
    package static func extent(of values: some Sequence<Double>,
                               fallback: ClosedRange<Double> = 0...1) -> ClosedRange<Double> {
        var lower = Double.infinity, upper = -Double.infinity
        for value in values where value.isFinite {
            lower = min(lower, value)
            upper = max(upper, value)
        }
        return lower <= upper ? lower...upper : fallback
    }
}
