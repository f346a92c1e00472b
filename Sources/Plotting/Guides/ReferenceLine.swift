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
    /// The rule: going from the highest line down, each label takes, among the places beside its
    /// line (just above or just below it, at the end its ``labelAnchor`` names, at the other
    /// end, or at points in between, nearest that end first), the first that covers the least
    /// of `ink` and of the other lines, staying inside the plot area and clear of the labels
    /// already placed and of `taken`. With nothing to avoid a label sits above its line at its
    /// end, or below when above would leave the plot or overlap; two close lines (0.99 and
    /// 0.9905) thus get one label above and one below, and a curve that runs along a line
    /// pushes its label to where the curve is not.
    package static func labelFrames(_ lines: [ReferenceLine], in layout: ChartLayout, on renderer: some Renderer,
                                    font: Font, avoiding ink: [Segment] = [], apartFrom taken: [Rect] = []) -> [Rect] {
        let gap = 3.0
        let plot = layout.plot
        let spans = lines.map { Segment(Point(x: plot.minX, y: layout.y($0.value)), Point(x: plot.maxX, y: layout.y($0.value))) }
        var frames = [Rect?](repeating: nil, count: lines.count)
        var placed = taken
        for index in lines.indices.sorted(by: { lines[$0].value > lines[$1].value }) {
            let line = lines[index]
            let size = renderer.measureText(line.label, font: font)
            let y = layout.y(line.value)
            let (first, last) = (plot.minX + 6, plot.maxX - 6 - size.width)
            let preferred = line.labelAnchor == .start ? first : line.labelAnchor == .end ? last : plot.midX - size.width / 2
            let opposite = line.labelAnchor == .start ? last : first
            let between = (1..<positions - 1).map { first + Double($0) / Double(positions - 1) * (last - first) }
                .sorted { abs($0 - preferred) < abs($1 - preferred) }
            let lefts = [preferred, opposite] + between
            let candidates = lefts.flatMap { x in
                [Rect(x: x, y: y - gap - size.height, width: size.width, height: size.height),
                 Rect(x: x, y: y + gap, width: size.width, height: size.height)]
            }
            let others = spans.indices.filter { $0 != index }.map { spans[$0] }
            let frame = LabelPlacement.best(candidates, inside: plot, apartFrom: placed, ink: ink + others)
                ?? (candidates[0].minY < plot.minY || placed.contains(where: { $0.intersects(candidates[0]) }) ? candidates[1] : candidates[0])
            frames[index] = frame
            placed.append(frame)
        }
        return frames.compactMap { $0 }
    }

    /// How many places along its line a label may take, its two ends included.
    private static let positions = 13

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

    /// Draws `lines` across the plot area, under the data drawn after them.
    package static func drawLines(_ lines: [ReferenceLine], in layout: ChartLayout, on renderer: some Renderer, theme: Theme) {
        for line in lines {
            let y = layout.y(line.value)
            renderer.strokePath(.line(from: Point(x: layout.plot.minX, y: y), to: Point(x: layout.plot.maxX, y: y)),
                                Stroke(width: 1.5, color: line.color, dash: line.dashed ? theme.dash : nil))
        }
    }

    /// Draws the labels of `lines` in `frames` (from ``labelFrames(_:in:on:font:avoiding:apartFrom:)``),
    /// each on a light box that keeps it legible where it must cross the data; drawn after
    /// the data, so nothing overprints a label.
    package static func drawLabels(_ lines: [ReferenceLine], in frames: [Rect], on renderer: some Renderer, theme: Theme) {
        for (line, frame) in zip(lines, frames) {
            renderer.drawPath(.roundedRectangle(frame.insetBy(-2), radius: 2), stroke: nil, fill: Color.white.withAlpha(0.7))
            renderer.drawText(line.label, at: Point(x: frame.minX, y: frame.minY), font: theme.annotationFont,
                              color: line.color, anchor: .start, baseline: .top, rotation: 0)
        }
    }
}
