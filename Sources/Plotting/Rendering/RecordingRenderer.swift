/// A renderer that records every primitive instead of drawing it, for testing layouts
/// without Cairo.
///
/// It measures text approximately: 0.6 × the font size per character wide, 1.2 × the
/// font size high.
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

    public init(size: Size) {
        self.size = size
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
        Size(width: 0.6 * font.size * Double(text.count), height: 1.2 * font.size)
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
