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

extension Figure {
    /// The page under every figure: the background over its whole size, and its title centred
    /// at the top (none when empty).
    package func drawPage(on renderer: some Renderer, theme: Theme) {
        let size = self.size
        renderer.fillPath(.rectangle(Rect(x: 0, y: 0, width: size.width, height: size.height)), theme.background)
        if !title.isEmpty {
            renderer.drawText(title, at: Point(x: size.width / 2, y: theme.padding), font: theme.titleFont,
                              color: theme.text, anchor: .middle, baseline: .top, rotation: 0)
        }
    }
}
