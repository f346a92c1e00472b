/// A legend: a boxed list of entries, each a swatch drawn like the data it names and a label.
public struct Legend: Sendable {
    /// How an entry's sample of the data is drawn.
    public enum Swatch: Hashable, Sendable {
        /// A line segment, dashed or solid, optionally with a marker in its middle.
        case line(Color, dashed: Bool = false, marker: Marker? = nil)
        /// A lone marker, filled or hollow, of the given radius.
        case marker(Marker, Color, filled: Bool = true, radius: Double = 3.5)
        /// A filled dot on a vertical error bar with caps.
        case errorBar(Color)
    }

    /// One line of the legend.
    public struct Entry: Hashable, Sendable {
        public var label: String
        public var swatch: Swatch

        public init(label: String, swatch: Swatch) {
            self.label = label
            self.swatch = swatch
        }
    }

    /// Where the legend goes in the plot area.
    public enum Position: Hashable, Sendable {
        /// The corner covering the fewest data points (ties go to the top right, top left,
        /// bottom left, bottom right, in that order, as in matplotlib).
        case best
        case topRight, topLeft, bottomLeft, bottomRight
        /// Below the chart, outside the plot area, entries side by side in as many centred
        /// rows as the figure's width needs: it hides no data, whatever the font size.
        case below
        /// No legend.
        case hidden
    }

    public var entries: [Entry]
    public var font: Font
    public var textColor: Color

    public init(entries: [Entry], font: Font = Font(size: 10), textColor: Color = .darkGray) {
        self.entries = entries
        self.font = font
        self.textColor = textColor
    }

    private static let padding = 7.0
    private static let swatchWidth = 22.0
    private static let swatchGap = 6.0
    private static let rowGap = 3.0

    /// The size of the legend box when drawn on `renderer`.
    public func size(on renderer: some Renderer) -> Size {
        let rowHeight = self.rowHeight(on: renderer)
        let widest = entries.map { renderer.measureText($0.label, font: font).width }.max() ?? 0
        return Size(width: 2 * Self.padding + Self.swatchWidth + Self.swatchGap + widest,
                    height: 2 * Self.padding + Double(entries.count) * rowHeight
                        - (entries.isEmpty ? 0 : Self.rowGap))
    }

    /// The legend's frame in `plot`: at the corner `position` names, or for ``Position/best``
    /// at the corner whose frame covers the fewest of `points`; `nil` when hidden or empty.
    public func frame(on renderer: some Renderer, in plot: Rect, position: Position,
                      avoiding points: [Point]) -> Rect? {
        guard !entries.isEmpty else { return nil }
        let size = self.size(on: renderer)
        let inset = 8.0
        func frame(_ corner: Position) -> Rect {
            let left = plot.minX + inset, right = plot.maxX - inset - size.width
            let top = plot.minY + inset, bottom = plot.maxY - inset - size.height
            switch corner {
            case .topLeft: return Rect(x: left, y: top, width: size.width, height: size.height)
            case .bottomLeft: return Rect(x: left, y: bottom, width: size.width, height: size.height)
            case .bottomRight: return Rect(x: right, y: bottom, width: size.width, height: size.height)
            default: return Rect(x: right, y: top, width: size.width, height: size.height)
            }
        }
        switch position {
        case .hidden, .below: return nil
        case .best:
            let candidates = [Position.topRight, .topLeft, .bottomLeft, .bottomRight].map { frame($0) }
            let covered = candidates.map { rect in points.count(where: { rect.insetBy(-4).contains($0) }) }
            return candidates[covered.firstIndex(of: covered.min()!)!]
        default: return frame(position)
        }
    }

    /// Draws the legend box with its top-left corner at `frame.origin`.
    public func draw(on renderer: some Renderer, in frame: Rect) {
        renderer.drawPath(.roundedRectangle(frame, radius: 3),
                          stroke: Stroke(width: 0.8, color: Color(hex: 0xCCCCCC)),
                          fill: Color.white.withAlpha(0.85))
        let rowHeight = self.rowHeight(on: renderer)
        for (index, entry) in entries.enumerated() {
            let midY = frame.minY + Self.padding + Double(index) * rowHeight + (rowHeight - Self.rowGap) / 2
            let swatchX = frame.minX + Self.padding
            drawSwatch(entry.swatch, on: renderer,
                       in: Rect(x: swatchX, y: midY - 6, width: Self.swatchWidth, height: 12))
            renderer.drawText(entry.label, at: Point(x: swatchX + Self.swatchWidth + Self.swatchGap, y: midY),
                              font: font, color: textColor, anchor: .start, baseline: .middle, rotation: 0)
        }
    }

    /// The space between two entries of a row below the chart, in points.
    private static let entryGap = 16.0

    /// The entries of a legend ``Position/below`` a chart, row by row: as many to a row as
    /// fit `width` (at least one).
    package func flowRows(on renderer: some Renderer, width: Double) -> [[Int]] {
        var rows: [[Int]] = []
        var used = 0.0
        for (index, entry) in entries.enumerated() {
            let entryWidth = Self.swatchWidth + Self.swatchGap + renderer.measureText(entry.label, font: font).width
            if let last = rows.last, !last.isEmpty, used + Self.entryGap + entryWidth <= width {
                rows[rows.count - 1].append(index)
                used += Self.entryGap + entryWidth
            } else {
                rows.append([index])
                used = entryWidth
            }
        }
        return rows
    }

    /// The height of the legend drawn below a chart `width` wide; 0 when it has no entries.
    package func flowHeight(on renderer: some Renderer, width: Double) -> Double {
        let rows = flowRows(on: renderer, width: width).count
        return rows == 0 ? 0 : Double(rows) * rowHeight(on: renderer) - Self.rowGap
    }

    /// Draws the legend without a box, its rows centred on `frame`'s width from its top.
    package func drawFlow(on renderer: some Renderer, in frame: Rect) {
        let rowHeight = self.rowHeight(on: renderer)
        for (row, indices) in flowRows(on: renderer, width: frame.width).enumerated() {
            let widths = indices.map {
                Self.swatchWidth + Self.swatchGap + renderer.measureText(entries[$0].label, font: font).width
            }
            var x = frame.midX - (widths.reduce(0, +) + Double(indices.count - 1) * Self.entryGap) / 2
            let midY = frame.minY + Double(row) * rowHeight + (rowHeight - Self.rowGap) / 2
            for (index, width) in zip(indices, widths) {
                drawSwatch(entries[index].swatch, on: renderer, in: Rect(x: x, y: midY - 6, width: Self.swatchWidth, height: 12))
                renderer.drawText(entries[index].label, at: Point(x: x + Self.swatchWidth + Self.swatchGap, y: midY),
                                  font: font, color: textColor, anchor: .start, baseline: .middle, rotation: 0)
                x += width + Self.entryGap
            }
        }
    }

    private func rowHeight(on renderer: some Renderer) -> Double {
        max(renderer.measureText("Ag", font: font).height, 12) + Self.rowGap
    }

    private func drawSwatch(_ swatch: Swatch, on renderer: some Renderer, in box: Rect) {
        let center = box.center
        switch swatch {
        case let .line(color, dashed, marker):
            renderer.strokePath(.line(from: Point(x: box.minX, y: center.y), to: Point(x: box.maxX, y: center.y)),
                                Stroke(width: Theme.darkgrid.lineWidth, color: color,
                                       dash: dashed ? Theme.darkgrid.dash : nil))
            if let marker {
                renderer.drawPath(marker.path(center: center, radius: Theme.darkgrid.markerRadius),
                                  stroke: Stroke(width: 0.8, color: .white), fill: color)
            }
        case let .marker(marker, color, filled, radius):
            renderer.drawPath(marker.path(center: center, radius: radius),
                              stroke: filled ? nil : Stroke(width: 1.5, color: color), fill: filled ? color : nil)
        case let .errorBar(color):
            let stroke = Stroke(width: 1.5, color: color)
            let (top, bottom) = (box.minY + 0.5, box.maxY - 0.5)
            renderer.strokePath(.line(from: Point(x: center.x, y: top), to: Point(x: center.x, y: bottom)), stroke)
            for y in [top, bottom] {
                renderer.strokePath(.line(from: Point(x: center.x - 4, y: y), to: Point(x: center.x + 4, y: y)), stroke)
            }
            renderer.drawPath(.circle(center: center, radius: 3.5), stroke: Stroke(width: 0.8, color: .white), fill: color)
        }
    }
}
