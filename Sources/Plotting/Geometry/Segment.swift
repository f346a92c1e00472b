/// A straight piece of what a chart draws (a segment of a curve, an error bar, a reference
/// line), in page points: the ink a label placed on the plot should leave uncovered.
package struct Segment: Hashable, Sendable {
    package var start: Point
    package var end: Point

    package init(_ start: Point, _ end: Point) {
        self.start = start
        self.end = end
    }

    /// The consecutive segments of a polyline through `points`.
    package static func polyline(_ points: [Point]) -> [Segment] {
        zip(points, points.dropFirst()).map { Segment($0, $1) }
    }

    /// The length of the part of the segment inside `rect`, clipped with Liang and Barsky's
    /// parameters: the segment is `start + t (end − start)` for 0 ≤ t ≤ 1, and each side of
    /// the rectangle bounds t from one side. A segment of length 0 covers nothing.
    package func length(inside rect: Rect) -> Double {
        let (dx, dy) = (end.x - start.x, end.y - start.y)
        var (t0, t1) = (0.0, 1.0)
        // (p, q) for the left, right, top and bottom sides: the segment is inside where t · p ≤ q.
        for (p, q) in [(-dx, start.x - rect.minX), (dx, rect.maxX - start.x), (-dy, start.y - rect.minY), (dy, rect.maxY - start.y)] {
            if p == 0 {
                if q < 0 { return 0 }   // parallel to this side and outside it
                continue
            }
            let t = q / p
            if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
            if t0 >= t1 { return 0 }
        }
        return (t1 - t0) * (dx * dx + dy * dy).squareRoot()
    }
}
