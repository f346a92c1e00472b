/// A grid of small grayscale images (e.g. 28 × 28 MNIST digits), each with a caption below,
/// filled row by row under a title.
///
/// ```swift
/// let grid = ImageGrid(title: "Misclassified test digits", columns: 8, cells: mistakes.map {
///     .init(pixels: $0.pixels, caption: "true \($0.label) → pred \($0.prediction)", captionColor: .red)
/// })
/// ```
public struct ImageGrid: Figure, Sendable {
    /// One image and its caption.
    public struct Cell: Hashable, Sendable {
        /// `width × height` bytes, row-major, top row first; 0 is the background.
        public var pixels: [UInt8]
        public var width: Int
        public var height: Int
        public var caption: String
        public var captionColor: Color

        /// - Precondition: `pixels.count == width * height`.
        public init(pixels: [UInt8], width: Int = 28, height: Int = 28, caption: String,
                    captionColor: Color = .darkGray) {
            precondition(pixels.count == width * height,
                         "ImageGrid.Cell: \(pixels.count) pixels for a \(width) × \(height) image")
            self.pixels = pixels
            self.width = width
            self.height = height
            self.caption = caption
            self.captionColor = captionColor
        }
    }

    public var title: String
    /// Cells per row; the number of rows follows from the number of cells.
    public var columns: Int
    public var cells: [Cell]
    /// The side of each image, in points (70 gives 2.5 points per MNIST pixel, whole device
    /// pixels at PNG scales 2 and 4).
    public var imageSide: Double
    /// `true` draws dark ink on white paper, `false` the raw white-on-black values.
    public var inverted: Bool
    public var captionFont: Font

    /// - Precondition: `columns > 0`.
    public init(title: String, columns: Int, cells: [Cell], imageSide: Double = 70,
                inverted: Bool = true, captionFont: Font = Font(size: 15)) {
        precondition(columns > 0, "ImageGrid needs at least one column, got \(columns)")
        self.title = title
        self.columns = columns
        self.cells = cells
        self.imageSide = imageSide
        self.inverted = inverted
        self.captionFont = captionFont
    }

    public var rows: Int { (cells.count + columns - 1) / columns }

    private var theme: Theme { .darkgrid }
    private var columnGap: Double { 10 }
    private var rowGap: Double { 10 }
    private var captionGap: Double { 4 }
    /// The height reserved for a caption (the font's box, as Cairo measures DejaVu Sans, plus room).
    private var captionHeight: Double { captionFont.size * 1.3 }
    private var titleHeight: Double { title.isEmpty ? 0 : theme.titleFont.size * 1.3 + 10 }

    /// The column width: the image, or the longest caption at an estimated 0.62 em per
    /// character when wider (captions that still do not fit are shrunk when drawn).
    private var columnWidth: Double {
        let longest = cells.map(\.caption.count).max() ?? 0
        return max(imageSide, 0.62 * captionFont.size * Double(longest))
    }

    public var size: Size {
        let columnsShown = min(columns, max(cells.count, 1))
        let width = 2 * theme.padding + Double(columnsShown) * columnWidth + Double(columnsShown - 1) * columnGap
        let rowHeight = imageSide + captionGap + captionHeight
        let height = 2 * theme.padding + titleHeight + Double(rows) * rowHeight + Double(max(rows - 1, 0)) * rowGap
        return Size(width: width.rounded(.up), height: height.rounded(.up))
    }

    /// The frame of cell `index`'s image.
    package func imageFrame(ofCell index: Int) -> Rect {
        let (row, column) = index.quotientAndRemainder(dividingBy: columns)
        let left = theme.padding + Double(column) * (columnWidth + columnGap) + (columnWidth - imageSide) / 2
        let top = theme.padding + titleHeight + Double(row) * (imageSide + captionGap + captionHeight + rowGap)
        return Rect(x: left, y: top, width: imageSide, height: imageSide)
    }

    public func draw(on renderer: some Renderer) {
        drawPage(on: renderer, theme: theme)
        for (index, cell) in cells.enumerated() {
            let frame = imageFrame(ofCell: index)
            renderer.drawImage(grayscale: cell.pixels, width: cell.width, height: cell.height, in: frame, inverted: inverted)
            renderer.strokePath(.rectangle(frame.insetBy(-0.25)), Stroke(width: 0.5, color: Color(hex: 0xB0B0B8)))
            // Shrink a caption that does not fit its column.
            var font = captionFont
            let width = renderer.measureText(cell.caption, font: font).width
            if width > columnWidth { font.size *= columnWidth / width }
            renderer.drawText(cell.caption, at: Point(x: frame.midX, y: frame.maxY + captionGap), font: font,
                              color: cell.captionColor, anchor: .middle, baseline: .top, rotation: 0)
        }
    }
}
