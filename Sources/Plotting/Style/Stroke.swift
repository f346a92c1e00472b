/// How the outline of a path is drawn: width in points, colour, optional dash pattern.
public struct Stroke: Hashable, Sendable {
    public var width: Double
    public var color: Color
    /// Alternating on and off lengths in points; `nil` draws a solid line.
    public var dash: [Double]?

    public init(width: Double = 1, color: Color, dash: [Double]? = nil) {
        self.width = width
        self.color = color
        self.dash = dash
    }
}
