/// A renderer that records every primitive instead of drawing it, for testing layouts.
///
/// It measures text as ``CairoRenderer`` does (the same font, `cairo_text_extents`, on a
/// surface of its own that draws nothing), so a recorded layout is the one the SVG and PNG get.
public final class RecordingRenderer: Renderer {
    /// One recorded drawing call.
    public enum Primitive: Hashable, Sendable {
        case path(Path, stroke: Stroke?, fill: Color?)
        case text(String, at: Point, font: Font, color: Color, anchor: TextAnchor,
                  baseline: TextBaseline, rotation: Double)
        case image(width: Int, height: Int, rect: Rect, inverted: Bool)
    }

    public let size: Size
    /// Every primitive drawn so far, in order.
    public private(set) var primitives: [Primitive] = []

    /// Measures text; never drawn on, never finished.
    private let measurer: CairoRenderer

    public init(size: Size) {
        self.size = size
        // An in-memory SVG surface of a fixed size: its creation fails only when Cairo cannot
        // allocate a few bytes, where no figure could be drawn either.
        guard let measurer = try? CairoRenderer(size: Size(width: 100, height: 100), destination: .svgInMemory) else {
            preconditionFailure("Cairo could not create an in-memory surface to measure text on")
        }
        self.measurer = measurer
    }

    public func drawPath(_ path: Path, stroke: Stroke?, fill: Color?) {
        primitives.append(.path(path, stroke: stroke, fill: fill))
    }

    public func drawText(_ text: String, at point: Point, font: Font, color: Color,
                         anchor: TextAnchor, baseline: TextBaseline, rotation: Double) {
        primitives.append(.text(text, at: point, font: font, color: color, anchor: anchor,
                                baseline: baseline, rotation: rotation))
    }

    public func measureText(_ text: String, font: Font) -> Size {
        measurer.measureText(text, font: font)
    }

    public func drawImage(grayscale pixels: [UInt8], width: Int, height: Int, in rect: Rect, inverted: Bool) {
        precondition(pixels.count == width * height,
                     "drawImage: \(pixels.count) pixels for a \(width) × \(height) image")
        primitives.append(.image(width: width, height: height, rect: rect, inverted: inverted))
    }

    /// The recorded paths with their strokes and fills, in order.
    public var paths: [(path: Path, stroke: Stroke?, fill: Color?)] {
        primitives.compactMap { if case let .path(p, s, f) = $0 { (p, s, f) } else { nil } }
    }

    /// The recorded texts, in order.
    public var texts: [String] {
        primitives.compactMap { if case let .text(s, _, _, _, _, _, _) = $0 { s } else { nil } }
    }
}
