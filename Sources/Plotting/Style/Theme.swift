/// The look shared by the figures: seaborn's "darkgrid" style, with fonts sized for the
/// screen rather than for paper.
///
/// An inline SVG is shown at its own width or, on a narrower screen, shrunk to the text
/// column: about 358 CSS px on a 390 px phone. For every text to stay at 11 px or more
/// there, a font's size must be at least 11/358 of the figure's width: 15 points in a
/// figure ``Size/chart`` wide (11.2 px on the phone, 15 px on a desktop).
package struct Theme: Sendable {
    package var background = Color.white
    /// The plot area's fill, seaborn's `#EAEAF2`.
    package var plotBackground = Color(hex: 0xEAEAF2)
    package var grid = Stroke(width: 1, color: .white)
    package var text = Color.darkGray
    package var titleFont = Font(size: 16, weight: .bold)
    package var labelFont = Font(size: 15)
    package var tickFont = Font(size: 15)
    package var legendFont = Font(size: 15)
    /// Labels drawn on the data: reference lines, clipped points.
    package var annotationFont = Font(size: 15)
    /// Blank space around the figure, in points.
    package var padding = 10.0
    package var lineWidth = 2.0
    package var dash: [Double] = [6, 3.5]
    package var markerRadius = 3.5

    package static let darkgrid = Theme()
}
