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
    /// The title broken into lines that fit the figure's width.
    package var titleLines: [String] = []
    /// Whether the x tick labels alternate between two rows because side by side they would touch.
    package var staggeredXTicks = false
    /// The top of the band below the x axis label reserved for a legend (``Legend/Position/below``).
    package var legendTop = 0.0

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
    /// The height reserved below the x axis label for a legend; 0 for none.
    package var legendHeight: Double
    package var theme: Theme

    package init(title: String, xLabel: String, yLabel: String, xDomain: ClosedRange<Double>,
                 yDomain: ClosedRange<Double>, xTicks: [Tick]? = nil, legendHeight: Double = 0,
                 theme: Theme = .darkgrid) {
        self.legendHeight = legendHeight
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xDomain = xDomain
        self.yDomain = yDomain
        self.xTicks = xTicks
        self.theme = theme
    }

    /// Computes the plot area for a figure of `size`: the margins make room for the
    /// title (wrapped to the width), the labels, the widest tick label, the x tick labels
    /// (in two staggered rows when one row would make neighbours touch) and the legend band,
    /// as measured by `renderer`.
    package func layout(size: Size, on renderer: some Renderer) -> ChartLayout {
        let pad = theme.padding
        let yTicks = LinearScale(domain: yDomain, range: (0, 1)).ticks(count: max(3, Int((size.height - 90) / 45)))
        let xTicks = self.xTicks
            ?? LinearScale(domain: xDomain, range: (0, 1)).ticks(count: max(3, Int((size.width - 120) / 85)))
        let tickHeight = renderer.measureText("0", font: theme.tickFont).height
        let labelHeight = renderer.measureText("Ag", font: theme.labelFont).height
        let titleHeight = renderer.measureText("Ag", font: theme.titleFont).height
        let titleLines = Self.wrap(title, width: size.width - 2 * pad, font: theme.titleFont, on: renderer)
        let widestYTick = yTicks.map { renderer.measureText($0.label, font: theme.tickFont).width }.max() ?? 0
        let xTickWidths = xTicks.map { renderer.measureText($0.label, font: theme.tickFont).width }

        let left = pad + (yLabel.isEmpty ? 0 : labelHeight + 6) + widestYTick + 6
        let right = pad + max(6, (xTickWidths.last ?? 0) / 2)
        let width = max(1, size.width - left - right)
        let x = LinearScale(domain: xDomain, range: (left, left + width))
        // Neighbours closer than their half-widths plus a gap of half an em would touch.
        let staggered = zip(xTicks.indices, xTicks.indices.dropFirst()).contains { i, j in
            abs(x(xTicks[j].value) - x(xTicks[i].value)) < (xTickWidths[i] + xTickWidths[j]) / 2 + theme.tickFont.size / 2
        }
        let top = pad + (titleLines.isEmpty ? 4 : Double(titleLines.count) * titleHeight + 8)
        let legendBand = legendHeight > 0 ? legendHeight + 8 : 0
        let bottom = pad + legendBand + (xLabel.isEmpty ? 0 : labelHeight + 4) + tickHeight * (staggered ? 2 : 1) + 5
        let plot = Rect(x: left, y: top, width: width, height: max(1, size.height - top - bottom))
        var layout = ChartLayout(plot: plot, x: x, y: LinearScale(domain: yDomain, range: (plot.maxY, plot.minY)),
                                 xTicks: xTicks, yTicks: yTicks)
        layout.titleLines = titleLines
        layout.staggeredXTicks = staggered
        layout.legendTop = size.height - pad - legendHeight
        return layout
    }

    /// `text` broken at spaces into lines no wider than `width` (a word wider than that gets
    /// a line of its own); no lines for an empty text.
    package static func wrap(_ text: String, width: Double, font: Font, on renderer: some Renderer) -> [String] {
        var lines: [String] = []
        for word in text.split(separator: " ").map(String.init) {
            if let last = lines.last, renderer.measureText(last + " " + word, font: font).width <= width {
                lines[lines.count - 1] = last + " " + word
            } else {
                lines.append(word)
            }
        }
        return lines
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
        let tickHeight = renderer.measureText("0", font: theme.tickFont).height
        for (index, tick) in layout.xTicks.enumerated() {
            let row = layout.staggeredXTicks && !index.isMultiple(of: 2) ? 1.0 : 0
            renderer.drawText(tick.label, at: Point(x: layout.x(tick.value), y: plot.maxY + 5 + row * tickHeight),
                              font: theme.tickFont, color: theme.text, anchor: .middle, baseline: .top, rotation: 0)
        }
        if !xLabel.isEmpty {
            let bottom = legendHeight > 0 ? layout.legendTop - 8 : size.height - pad
            renderer.drawText(xLabel, at: Point(x: plot.midX, y: bottom), font: theme.labelFont,
                              color: theme.text, anchor: .middle, baseline: .bottom, rotation: 0)
        }
        if !yLabel.isEmpty {
            renderer.drawText(yLabel, at: Point(x: pad, y: plot.midY), font: theme.labelFont,
                              color: theme.text, anchor: .middle, baseline: .top, rotation: -.pi / 2)
        }
        // Centred over the plot area, as matplotlib does, unless a line is too wide for that.
        let lineHeight = renderer.measureText("Ag", font: theme.titleFont).height
        for (index, line) in layout.titleLines.enumerated() {
            let width = renderer.measureText(line, font: theme.titleFont).width
            let centre = width <= plot.width ? plot.midX : size.width / 2
            renderer.drawText(line, at: Point(x: centre, y: pad + Double(index) * lineHeight), font: theme.titleFont,
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
