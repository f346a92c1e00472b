/// A labelled horizontal line across the plot area at a fixed y, e.g. a published result
/// ("Hinton 0.9847") or a target ("target 0.99"). The charts widen their y range to show it.
public struct ReferenceLine: Hashable, Sendable {
    public var value: Double
    /// Written on the line's end, in the line's colour.
    public var label: String
    public var color: Color
    public var dashed: Bool
    /// Which end of the plot area the label sits at: `.start` the left, `.end` the right.
    public var labelAnchor: TextAnchor

    public init(value: Double, label: String, color: Color, dashed: Bool = true, labelAnchor: TextAnchor = .end) {
        self.value = value
        self.label = label
        self.color = color
        self.dashed = dashed
        self.labelAnchor = labelAnchor
    }

    /// The label boxes of `lines` in `layout`, in the order of `lines`.
    ///
    /// The rule: going from the highest line down, a label sits just above its line unless
    /// that would leave the plot area or overlap a label already placed, in which case it sits
    /// just below its line; so two close lines (0.99 and 0.9905) get one label above and one below.
    package static func labelFrames(_ lines: [ReferenceLine], in layout: ChartLayout,
                                    on renderer: some Renderer, font: Font) -> [Rect] {
        let gap = 3.0
        var frames = [Rect?](repeating: nil, count: lines.count)
        var placed: [Rect] = []
        for index in lines.indices.sorted(by: { lines[$0].value > lines[$1].value }) {
            let line = lines[index]
            let size = renderer.measureText(line.label, font: font)
            let y = layout.y(line.value)
            let x = line.labelAnchor == .start ? layout.plot.minX + 6
                : line.labelAnchor == .end ? layout.plot.maxX - 6 - size.width : layout.plot.midX - size.width / 2
            let above = Rect(x: x, y: y - gap - size.height, width: size.width, height: size.height)
            let below = Rect(x: x, y: y + gap, width: size.width, height: size.height)
            let frame = above.minY < layout.plot.minY || placed.contains(where: { $0.intersects(above) }) ? below : above
            frames[index] = frame
            placed.append(frame)
        }
        return frames.compactMap { $0 }
    }

    /// `domain` raised at the top, when needed, so that the highest line's label fits above it
    /// inside a plot `plotHeight` high: the upper bound u solves (u − v) / (u − l) · H = need,
    /// with v the line's value, l the lower bound, H the plot height and need the label's
    /// height plus a gap of 3 points above and below. `domain` itself when there is room.
    package static func headroom(for lines: [ReferenceLine], in domain: ClosedRange<Double>,
                                 plotHeight: Double, labelHeight: Double) -> ClosedRange<Double> {
        guard let top = lines.map(\.value).max(), plotHeight > 0 else { return domain }
        let k = (labelHeight + 6) / plotHeight
        let (low, high) = (domain.lowerBound, domain.upperBound)
        guard k < 0.5, (high - top) / (high - low) < k else { return domain }
        return low...((top - k * low) / (1 - k))
    }

    /// Draws `lines` across the plot area with their labels, each on a light box that keeps it
    /// legible over the data; returns the label boxes.
    @discardableResult
    package static func draw(_ lines: [ReferenceLine], in layout: ChartLayout, on renderer: some Renderer,
                             theme: Theme) -> [Rect] {
        let frames = labelFrames(lines, in: layout, on: renderer, font: theme.annotationFont)
        for (line, frame) in zip(lines, frames) {
            let y = layout.y(line.value)
            renderer.strokePath(.line(from: Point(x: layout.plot.minX, y: y), to: Point(x: layout.plot.maxX, y: y)),
                                Stroke(width: 1.5, color: line.color, dash: line.dashed ? theme.dash : nil))
            renderer.drawPath(.roundedRectangle(frame.insetBy(-2), radius: 2), stroke: nil, fill: Color.white.withAlpha(0.7))
            renderer.drawText(line.label, at: Point(x: frame.minX, y: frame.minY), font: theme.annotationFont,
                              color: line.color, anchor: .start, baseline: .top, rotation: 0)
        }
        return frames
    }
}
