/// The primitives a figure is drawn with: paths, text, grayscale images, and text measurement.
///
/// Coordinates are in points with the origin at the top-left corner and `y` growing
/// downwards. Figures compute their whole layout from ``measureText(_:font:)``, so every
/// renderer that measures text the same way produces the same layout.
public protocol Renderer {
    /// The drawing area, in points.
    var size: Size { get }

    /// Fills `path` with `fill` (non-zero winding), then strokes it with `stroke`; either may be `nil`.
    func drawPath(_ path: Path, stroke: Stroke?, fill: Color?)

    /// Draws one line of text.
    ///
    /// - Parameters:
    ///   - text: The text, drawn on one line.
    ///   - point: The anchor point, before rotation.
    ///   - font: The font.
    ///   - color: The text colour.
    ///   - anchor: Whether `point` is the start, middle or end of the text's advance.
    ///   - baseline: Whether `point` is the top, middle or bottom of the font's box.
    ///   - rotation: Angle in radians about `point`, clockwise on the page (since `y` points
    ///     down); `-.pi / 2` turns the text to read upwards, as a y-axis label does.
    func drawText(_ text: String, at point: Point, font: Font, color: Color,
                  anchor: TextAnchor, baseline: TextBaseline, rotation: Double)

    /// The advance width of `text` and the height of `font`'s box (ascent + descent), in points.
    func measureText(_ text: String, font: Font) -> Size

    /// Draws a grayscale image scaled into `rect` with nearest-neighbour sampling (crisp pixels).
    ///
    /// - Parameters:
    ///   - pixels: `width × height` bytes, row-major, top row first.
    ///   - width: Pixels per row.
    ///   - height: Number of rows.
    ///   - rect: Where the image goes, in points.
    ///   - inverted: `false` draws 0 as black and 255 as white (MNIST's white digit on
    ///     black); `true` draws 255 as black ink on white paper.
    func drawImage(grayscale pixels: [UInt8], width: Int, height: Int, in rect: Rect, inverted: Bool)
}

extension Renderer {
    /// Draws one line of text; by default anchored at its start on the bottom of its box, unrotated.
    public func drawText(_ text: String, at point: Point, font: Font, color: Color = .darkGray,
                         anchor: TextAnchor = .start, baseline: TextBaseline = .bottom) {
        drawText(text, at: point, font: font, color: color, anchor: anchor, baseline: baseline, rotation: 0)
    }

    /// Strokes `path` without filling it.
    public func strokePath(_ path: Path, _ stroke: Stroke) {
        drawPath(path, stroke: stroke, fill: nil)
    }

    /// Fills `path` without stroking it.
    public func fillPath(_ path: Path, _ color: Color) {
        drawPath(path, stroke: nil, fill: color)
    }
}
