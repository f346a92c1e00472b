/// The look shared by the figures: seaborn's "darkgrid" style in its "notebook" context.
package struct Theme: Sendable {
    package var background = Color.white
    /// The plot area's fill, seaborn's `#EAEAF2`.
    package var plotBackground = Color(hex: 0xEAEAF2)
    package var grid = Stroke(width: 1, color: .white)
    package var text = Color.darkGray
    package var titleFont = Font(size: 13, weight: .bold)
    package var labelFont = Font(size: 11.5)
    package var tickFont = Font(size: 10)
    package var legendFont = Font(size: 10)
    /// Blank space around the figure, in points.
    package var padding = 10.0
    package var lineWidth = 2.0
    package var dash: [Double] = [6, 3.5]
    package var markerRadius = 3.5

    package static let darkgrid = Theme()
}
