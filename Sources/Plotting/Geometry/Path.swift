/// A shape as a list of drawing commands: move, straight line, cubic Bézier curve, close.
///
/// Paths are values; figures build them and hand them to a ``Renderer``. A path may hold
/// several sub-paths, each starting with ``Element/move(to:)``.
public struct Path: Hashable, Sendable {
    /// One drawing command.
    public enum Element: Hashable, Sendable {
        /// Starts a new sub-path at a point.
        case move(to: Point)
        /// A straight line from the current point.
        case line(to: Point)
        /// A cubic Bézier curve from the current point, with two control points.
        case curve(to: Point, control1: Point, control2: Point)
        /// A straight line back to the start of the current sub-path, closing it.
        case close
    }

    /// The commands, in drawing order.
    public private(set) var elements: [Element]

    public init(_ elements: [Element] = []) {
        self.elements = elements
    }

    /// The end points of the moves, lines and curves, in order (closes add none).
    public var points: [Point] {
        elements.compactMap { element in
            switch element {
            case let .move(point), let .line(point), let .curve(point, _, _): return point
            case .close: return nil
            }
        }
    }

    /// Starts a new sub-path at `point`.
    public mutating func move(to point: Point) { elements.append(.move(to: point)) }
    /// Adds a straight line from the current point to `point`.
    public mutating func line(to point: Point) { elements.append(.line(to: point)) }
    /// Adds a cubic Bézier curve from the current point to `point`.
    public mutating func curve(to point: Point, control1: Point, control2: Point) {
        elements.append(.curve(to: point, control1: control1, control2: control2))
    }
    /// Closes the current sub-path with a straight line back to its start.
    public mutating func close() { elements.append(.close) }
}

extension Path {
    /// A single straight segment.
    public static func line(from start: Point, to end: Point) -> Path {
        Path([.move(to: start), .line(to: end)])
    }

    /// An open polyline through `points`: one move, then one line per further point.
    public static func polyline(_ points: [Point]) -> Path {
        Path(points.enumerated().map { $0.offset == 0 ? .move(to: $0.element) : .line(to: $0.element) })
    }

    /// A closed axis-aligned rectangle.
    public static func rectangle(_ rect: Rect) -> Path {
        Path([
            .move(to: Point(x: rect.minX, y: rect.minY)), .line(to: Point(x: rect.maxX, y: rect.minY)),
            .line(to: Point(x: rect.maxX, y: rect.maxY)), .line(to: Point(x: rect.minX, y: rect.maxY)),
            .close,
        ])
    }

    /// A closed circle made of four cubic Béziers (radial error below 0.03 %).
    public static func circle(center: Point, radius r: Double) -> Path {
        let k = 0.552_284_749_8 * r  // 4/3 · (√2 − 1) · r
        let (cx, cy) = (center.x, center.y)
        return Path([
            .move(to: Point(x: cx + r, y: cy)),
            .curve(to: Point(x: cx, y: cy + r), control1: Point(x: cx + r, y: cy + k), control2: Point(x: cx + k, y: cy + r)),
            .curve(to: Point(x: cx - r, y: cy), control1: Point(x: cx - k, y: cy + r), control2: Point(x: cx - r, y: cy + k)),
            .curve(to: Point(x: cx, y: cy - r), control1: Point(x: cx - r, y: cy - k), control2: Point(x: cx - k, y: cy - r)),
            .curve(to: Point(x: cx + r, y: cy), control1: Point(x: cx + k, y: cy - r), control2: Point(x: cx + r, y: cy - k)),
            .close,
        ])
    }

    /// A closed diamond (a square on its corner) whose corners lie `radius` from `center`.
    public static func diamond(center: Point, radius r: Double) -> Path {
        Path([
            .move(to: center.offsetBy(dy: -r)), .line(to: center.offsetBy(dx: r)),
            .line(to: center.offsetBy(dy: r)), .line(to: center.offsetBy(dx: -r)), .close,
        ])
    }
}

extension Path {
    /// A closed rectangle with corners rounded to `radius` (clamped to half the shorter side).
    public static func roundedRectangle(_ rect: Rect, radius: Double) -> Path {
        let r = max(0, min(radius, rect.width / 2, rect.height / 2))
        guard r > 0 else { return .rectangle(rect) }
        let k = 0.552_284_749_8 * r
        let (x0, y0, x1, y1) = (rect.minX, rect.minY, rect.maxX, rect.maxY)
        return Path([
            .move(to: Point(x: x0 + r, y: y0)),
            .line(to: Point(x: x1 - r, y: y0)),
            .curve(to: Point(x: x1, y: y0 + r), control1: Point(x: x1 - r + k, y: y0), control2: Point(x: x1, y: y0 + r - k)),
            .line(to: Point(x: x1, y: y1 - r)),
            .curve(to: Point(x: x1 - r, y: y1), control1: Point(x: x1, y: y1 - r + k), control2: Point(x: x1 - r + k, y: y1)),
            .line(to: Point(x: x0 + r, y: y1)),
            .curve(to: Point(x: x0, y: y1 - r), control1: Point(x: x0 + r - k, y: y1), control2: Point(x: x0, y: y1 - r + k)),
            .line(to: Point(x: x0, y: y0 + r)),
            .curve(to: Point(x: x0 + r, y: y0), control1: Point(x: x0, y: y0 + r - k), control2: Point(x: x0 + r - k, y: y0)),
            .close,
        ])
    }
}
