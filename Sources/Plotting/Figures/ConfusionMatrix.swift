/// A classifier's mistakes as a square table of cells: row = the true class, column = the class
/// predicted, each off-diagonal cell shaded by how many items went that way and labelled with
/// the count. The diagonal (the items classified right, which would dwarf every mistake) is
/// drawn as a plain grey cell; the count of each class's mistakes stands at the end of its row.
///
/// ```swift
/// let matrix = ConfusionMatrix(title: "LeNet-5: mistakes by class", counts: counts)
/// ```
public struct ConfusionMatrix: Figure, Sendable {
    public var title: String
    /// counts[truth][predicted]: items of class `truth` predicted as `predicted`.
    public var counts: [[Int]]
    /// The class names, in order (default "0", "1", …).
    public var labels: [String]
    public var rowLabel: String
    public var columnLabel: String
    /// The darkest shade, given to the largest count; 0 stays white.
    public var color: Color

    /// - Precondition: `counts` is square and non-empty, with a label per class.
    public init(title: String, counts: [[Int]], labels: [String]? = nil, rowLabel: String = "true digit",
                columnLabel: String = "predicted digit", color: Color = .darkRed) {
        precondition(!counts.isEmpty && counts.allSatisfy { $0.count == counts.count }, "ConfusionMatrix needs a square table")
        let labels = labels ?? counts.indices.map(String.init)
        precondition(labels.count == counts.count, "ConfusionMatrix needs one label per class")
        (self.title, self.counts, self.labels, self.rowLabel, self.columnLabel, self.color) =
            (title, counts, labels, rowLabel, columnLabel, color)
    }

    private var theme: Theme { .darkgrid }
    private var classes: Int { counts.count }
    /// A cell's side: the whole figure stays narrow enough for its 15-point text to keep 11
    /// pixels in a phone's column.
    private var cell: Double { 34 }
    private var titleHeight: Double { title.isEmpty ? 0 : theme.titleFont.size * 1.3 + 10 }
    /// Room for the column label and the column classes above the table.
    private var header: Double { theme.labelFont.size * 1.3 * 2 + 6 }
    /// Room for the row label (turned) and the row classes left of the table.
    private var gutter: Double { theme.labelFont.size * 1.3 * 2 + 8 }
    /// Room for the row totals at the right.
    private var totals: Double { 3.2 * theme.tickFont.size }

    /// The largest off-diagonal count: the darkest shade.
    public var largestMistake: Int {
        counts.indices.flatMap { t in counts[t].indices.filter { $0 != t }.map { counts[t][$0] } }.max() ?? 0
    }

    /// Each class's mistakes: the row's sum without its diagonal.
    public var mistakesByClass: [Int] {
        counts.indices.map { t in counts[t].indices.reduce(0) { $0 + ($1 == t ? 0 : counts[t][$1]) } }
    }

    public var size: Size {
        Size(width: (2 * theme.padding + gutter + Double(classes) * cell + totals).rounded(.up),
             height: (2 * theme.padding + titleHeight + header + Double(classes) * cell).rounded(.up))
    }

    /// The frame of the cell at row `truth`, column `predicted`.
    package func frame(truth: Int, predicted: Int) -> Rect {
        Rect(x: theme.padding + gutter + Double(predicted) * cell, y: theme.padding + titleHeight + header + Double(truth) * cell,
             width: cell, height: cell)
    }

    /// The shade of a count: white at 0, `color` at the largest mistake, linear between.
    package func shade(_ count: Int) -> Color { shade(count, largest: largestMistake) }

    private func shade(_ count: Int, largest: Int) -> Color {
        guard count > 0, largest > 0 else { return .white }
        guard count < largest else { return color }
        let f = Double(count) / Double(largest)
        return Color(red: 1 + (color.red - 1) * f, green: 1 + (color.green - 1) * f, blue: 1 + (color.blue - 1) * f)
    }

    public func draw(on renderer: some Renderer) {
        drawPage(on: renderer, theme: theme)
        let top = frame(truth: 0, predicted: 0), bottomRight = frame(truth: classes - 1, predicted: classes - 1)
        let lineHeight = theme.labelFont.size * 1.3
        renderer.drawText(columnLabel, at: Point(x: (top.minX + bottomRight.maxX) / 2, y: top.minY - header), font: theme.labelFont,
                          color: theme.text, anchor: .middle, baseline: .top, rotation: 0)
        renderer.drawText(rowLabel, at: Point(x: theme.padding, y: (top.minY + bottomRight.maxY) / 2), font: theme.labelFont,
                          color: theme.text, anchor: .middle, baseline: .top, rotation: -.pi / 2)
        renderer.drawText("errors", at: Point(x: bottomRight.maxX + totals / 2, y: top.minY - lineHeight - 4), font: theme.tickFont,
                          color: theme.text, anchor: .middle, baseline: .top, rotation: 0)
        let grid = Stroke(width: 1, color: Color(hex: 0xD0D0D8))
        let (mistakes, largest) = (mistakesByClass, largestMistake)
        for t in 0..<classes {
            let row = frame(truth: t, predicted: 0)
            renderer.drawText(labels[t], at: Point(x: row.minX - 6, y: row.midY), font: theme.tickFont, color: theme.text,
                              anchor: .end, baseline: .middle, rotation: 0)
            renderer.drawText(labels[t], at: Point(x: frame(truth: 0, predicted: t).midX, y: top.minY - lineHeight - 4),
                              font: theme.tickFont, color: theme.text, anchor: .middle, baseline: .top, rotation: 0)
            for p in 0..<classes {
                let box = frame(truth: t, predicted: p)
                if p == t {
                    renderer.fillPath(.rectangle(box), Color(hex: 0xEAEAF2))
                } else {
                    let count = counts[t][p]
                    renderer.fillPath(.rectangle(box), shade(count, largest: largest))
                    if count > 0 {
                        // Dark text on light shades, white on the darker half.
                        let dark = Double(count) / Double(max(largest, 1)) > 0.5
                        renderer.drawText(String(count), at: Point(x: box.midX, y: box.midY), font: theme.tickFont,
                                          color: dark ? .white : theme.text, anchor: .middle, baseline: .middle, rotation: 0)
                    }
                }
                renderer.strokePath(.rectangle(box), grid)
            }
            renderer.drawText(String(mistakes[t]), at: Point(x: bottomRight.maxX + totals / 2, y: row.midY), font: theme.tickFont,
                              color: theme.text, anchor: .middle, baseline: .middle, rotation: 0)
        }
    }
}
