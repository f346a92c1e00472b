/// Writes `figure` as an SVG file and as a PNG file of `pngScale` pixels per point.
///
/// Each file is written to a temporary sibling and renamed onto its path when complete.
///
/// - Throws: ``PlotError`` naming the file that could not be written.
public func render(_ figure: some Figure, svgTo svgPath: String, pngTo pngPath: String,
                   pngScale: Double = 2) throws {
    try render(figure, to: .svg(path: svgPath))
    try render(figure, to: .png(path: pngPath, scale: pngScale))
}

/// Draws `figure` on a ``CairoRenderer`` for `destination` and finishes it.
///
/// - Throws: ``PlotError`` naming the file that could not be written.
public func render(_ figure: some Figure, to destination: CairoRenderer.Destination) throws {
    let renderer = try CairoRenderer(size: figure.size, destination: destination)
    figure.draw(on: renderer)
    try renderer.finish()
}

/// `figure` as an SVG document, for inlining in HTML.
///
/// Cairo names the glyphs of every document alike (`glyph0-1`, …) and numbers its surfaces
/// with a process-wide counter, while all inline SVGs of a page share one id namespace.
/// So every id is renamed `idPrefix` + a rank, and every reference follows. The default
/// prefix is `f`, a hash of the document, and `-`: different figures never collide, and
/// the same figure always gives the same text.
///
/// - Throws: ``PlotError`` when Cairo reports an error.
public func svgString(_ figure: some Figure, idPrefix: String? = nil) throws -> String {
    let renderer = try CairoRenderer(size: figure.size, destination: .svgInMemory)
    figure.draw(on: renderer)
    return SVGIdentifiers.renamed(try renderer.svgString(), prefix: idPrefix)
}
