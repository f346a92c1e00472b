/// A figure: data that knows its size and how to draw itself with a ``Renderer``.
///
/// Figures compute their layout from the renderer's text measurements, so the same figure
/// can be recorded in tests (``RecordingRenderer``) or written as SVG or PNG (``CairoRenderer``).
public protocol Figure {
    /// The figure's title as drawn at its top; empty for none.
    var title: String { get }

    /// The figure's size in points.
    var size: Size { get }

    /// Draws the whole figure, background included, in a `size`-sized area of `renderer`.
    func draw(on renderer: some Renderer)
}
