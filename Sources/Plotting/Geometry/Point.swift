/// A position in points (1/72 inch); `x` grows to the right and `y` downwards, as on a page.
public struct Point: Hashable, Sendable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// The point moved by `dx` to the right and `dy` down.
    public func offsetBy(dx: Double = 0, dy: Double = 0) -> Point {
        Point(x: x + dx, y: y + dy)
    }
}
