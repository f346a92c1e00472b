/// A width and a height in points.
public struct Size: Hashable, Sendable {
    public var width: Double
    public var height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }
}

extension Size {
    /// The charts' size unless told otherwise, in points (CSS px when shown unscaled): with
    /// the theme's 15-point fonts, text stays at 11 CSS px or more when the figure is shrunk
    /// to a phone's 358 px column.
    public static let chart = Size(width: 480, height: 360)
}
