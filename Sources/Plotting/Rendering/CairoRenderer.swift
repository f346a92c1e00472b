import CCairo
import Files
import Foundation

/// A renderer drawing with Cairo into an SVG file, a PNG file, or an SVG document in memory.
///
/// Text is set in the figure's font through Cairo's toy font API, with metric hinting off,
/// and measured with `cairo_text_extents`, so SVG and PNG get the very same layout.
/// Files are written to a temporary sibling first and renamed onto their path by
/// ``finish()``, so a reader never sees half a file.
///
/// ```swift
/// let renderer = try CairoRenderer(size: figure.size, destination: .png(path: "loss.png", scale: 2))
/// figure.draw(on: renderer)
/// try renderer.finish()
/// ```
public final class CairoRenderer: Renderer {
    /// Where the drawing goes.
    public enum Destination: Hashable, Sendable {
        /// A vector SVG file, one user unit per point.
        case svg(path: String)
        /// A PNG file of `size × scale` pixels (`scale: 2` for crisp images on dense screens).
        case png(path: String, scale: Double)
        /// An SVG document kept in memory; read it with ``svgString()``.
        case svgInMemory
    }

    public let size: Size
    public let destination: Destination

    private let surface: OpaquePointer
    private let context: OpaquePointer
    /// The file Cairo writes before ``finish()`` renames it onto the destination path.
    private let temporaryPath: String?
    /// Collects the bytes of an in-memory SVG document.
    private let sink = ByteSink()
    private var isFinished = false

    /// Creates a surface of `size` points for `destination`.
    ///
    /// - Throws: ``PlotError/invalidSize(path:width:height:)`` for an empty, non-finite or
    ///   over-large size; ``PlotError/cairo(path:reason:)`` when Cairo cannot create the
    ///   surface, e.g. because the SVG file's folder does not exist.
    public init(size: Size, destination: Destination) throws {
        self.size = size
        self.destination = destination
        let path = destination.displayPath
        let scale = destination.scale
        let (pixelWidth, pixelHeight) = (size.width * scale, size.height * scale)
        guard pixelWidth.isFinite, pixelHeight.isFinite, pixelWidth >= 1, pixelHeight >= 1,
              pixelWidth <= 32_767, pixelHeight <= 32_767 else {
            throw PlotError.invalidSize(path: path, width: size.width, height: size.height)
        }

        switch destination {
        case let .svg(path):
            let temporary = Self.temporaryPath(for: path)
            temporaryPath = temporary
            surface = cairo_svg_surface_create(temporary, size.width, size.height)
        case .png:
            temporaryPath = nil  // chosen when the PNG is written, in finish()
            surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(pixelWidth.rounded()),
                                                 Int32(pixelHeight.rounded()))
        case .svgInMemory:
            temporaryPath = nil
            surface = cairo_svg_surface_create_for_stream({ closure, data, length in
                guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
                Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
                    .bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(sink).toOpaque(), size.width, size.height)
        }
        let surfaceStatus = cairo_surface_status(surface)
        guard surfaceStatus == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            if let temporaryPath { try? FileManager.default.removeItem(atPath: temporaryPath) }
            throw PlotError.cairo(path: path, reason: Self.reason(surfaceStatus, path: path))
        }
        if destination.isSVG { cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_USER) }

        context = cairo_create(surface)
        cairo_scale(context, scale, scale)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        // No hinting: text measures the same on every surface, so SVG and PNG share one layout.
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_set_font_options(context, options)
        cairo_font_options_destroy(options)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
        if !isFinished, let temporaryPath { try? FileManager.default.removeItem(atPath: temporaryPath) }
    }

    // MARK: Renderer

    public func drawPath(_ path: Path, stroke: Stroke?, fill: Color?) {
        guard stroke != nil || fill != nil else { return }
        cairo_new_path(context)
        for element in path.elements {
            switch element {
            case let .move(p): cairo_move_to(context, p.x, p.y)
            case let .line(p): cairo_line_to(context, p.x, p.y)
            case let .curve(p, c1, c2): cairo_curve_to(context, c1.x, c1.y, c2.x, c2.y, p.x, p.y)
            case .close: cairo_close_path(context)
            }
        }
        if let fill {
            setSource(fill)
            cairo_fill_preserve(context)
        }
        if let stroke {
            setSource(stroke.color)
            cairo_set_line_width(context, stroke.width)
            let dash = stroke.dash ?? []
            cairo_set_dash(context, dash, Int32(dash.count), 0)
            cairo_stroke_preserve(context)
        }
        cairo_new_path(context)
    }

    public func drawText(_ text: String, at point: Point, font: Font, color: Color,
                         anchor: TextAnchor, baseline: TextBaseline, rotation: Double) {
        guard !text.isEmpty else { return }
        cairo_save(context)
        defer { cairo_restore(context) }
        select(font)
        let (advance, ascent, descent) = metrics(of: text)
        cairo_translate(context, point.x, point.y)
        cairo_rotate(context, rotation)
        let dx = switch anchor {
        case .start: 0.0
        case .middle: -advance / 2
        case .end: -advance
        }
        let dy = switch baseline {
        case .top: ascent
        case .middle: (ascent - descent) / 2
        case .bottom: -descent
        }
        cairo_move_to(context, dx, dy)
        setSource(color)
        cairo_show_text(context, text)
    }

    public func measureText(_ text: String, font: Font) -> Size {
        cairo_save(context)
        defer { cairo_restore(context) }
        select(font)
        let (advance, ascent, descent) = metrics(of: text)
        return Size(width: advance, height: ascent + descent)
    }

    public func drawImage(grayscale pixels: [UInt8], width: Int, height: Int, in rect: Rect, inverted: Bool) {
        precondition(width > 0 && height > 0 && pixels.count == width * height,
                     "drawImage: \(pixels.count) pixels for a \(width) × \(height) image")
        // SVG viewers smooth scaled images whatever filter Cairo asks for, so SVG gets the
        // pixels blown up to about 4 per point first: smoothing then blurs only their edges.
        let blowUp = destination.isSVG ? max(1, min(16, Int((4 * rect.width / Double(width)).rounded(.up)))) : 1
        let (imageWidth, imageHeight) = (width * blowUp, height * blowUp)
        let image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(imageWidth), Int32(imageHeight))
        defer { cairo_surface_destroy(image) }
        guard cairo_surface_status(image) == CAIRO_STATUS_SUCCESS,
              let data = cairo_image_surface_get_data(image) else { return }
        cairo_surface_flush(image)
        let stride = Int(cairo_image_surface_get_stride(image))
        pixels.withUnsafeBufferPointer { pixels in
            for row in 0..<imageHeight {
                let line = UnsafeMutableRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
                let source = (row / blowUp) * width
                for column in 0..<imageWidth {
                    let byte = pixels[source + column / blowUp]
                    let value = UInt32(inverted ? 255 - byte : byte)
                    line[column] = value << 16 | value << 8 | value
                }
            }
        }
        cairo_surface_mark_dirty(image)

        cairo_save(context)
        defer { cairo_restore(context) }
        cairo_translate(context, rect.minX, rect.minY)
        cairo_scale(context, rect.width / Double(imageWidth), rect.height / Double(imageHeight))
        cairo_set_source_surface(context, image, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(context), CAIRO_FILTER_NEAREST)
        cairo_rectangle(context, 0, 0, Double(imageWidth), Double(imageHeight))
        cairo_fill(context)
    }

    // MARK: Output

    /// Completes the drawing and writes the file, or completes the in-memory document.
    /// Calling it again does nothing.
    ///
    /// - Throws: ``PlotError/cairo(path:reason:)`` when drawing or writing failed (Cairo
    ///   writes vector files lazily, so a write error may only show here);
    ///   ``PlotError/cannotRename(from:to:reason:)`` when the finished file cannot be moved
    ///   onto its path.
    public func finish() throws {
        guard !isFinished else { return }
        isFinished = true
        let path = destination.displayPath
        var status = cairo_status(context)
        switch destination {
        case let .png(path, _):
            let temporary = Self.temporaryPath(for: path)
            if status == CAIRO_STATUS_SUCCESS {
                cairo_surface_flush(surface)
                status = cairo_surface_write_to_png(surface, temporary)
            }
            try complete(status: status, temporary: temporary, path: path)
        case let .svg(path):
            cairo_surface_finish(surface)
            if status == CAIRO_STATUS_SUCCESS { status = cairo_surface_status(surface) }
            try complete(status: status, temporary: temporaryPath, path: path)
        case .svgInMemory:
            cairo_surface_finish(surface)
            if status == CAIRO_STATUS_SUCCESS { status = cairo_surface_status(surface) }
            try complete(status: status, temporary: nil, path: path)
        }
    }

    /// The in-memory SVG document, finishing the drawing first.
    ///
    /// - Precondition: The destination is ``Destination/svgInMemory``.
    /// - Throws: ``PlotError/cairo(path:reason:)`` when Cairo reported an error.
    public func svgString() throws -> String {
        precondition(destination == .svgInMemory, "svgString() needs a CairoRenderer drawing to .svgInMemory")
        try finish()
        return String(decoding: sink.bytes, as: UTF8.self)
    }

    // MARK: Helpers

    /// Throws for a failed `status` (removing the temporary file), else renames the
    /// temporary file onto `path`.
    private func complete(status: cairo_status_t, temporary: String?, path: String) throws {
        guard status == CAIRO_STATUS_SUCCESS else {
            if let temporary { try? FileManager.default.removeItem(atPath: temporary) }
            throw PlotError.cairo(path: path, reason: Self.reason(status, path: path))
        }
        guard let temporary else { return }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw PlotError.cannotRename(from: temporary, to: path, reason: reason)
        }
    }

    private func setSource(_ color: Color) {
        cairo_set_source_rgba(context, color.red, color.green, color.blue, color.alpha)
    }

    private func select(_ font: Font) {
        cairo_select_font_face(context, font.family, CAIRO_FONT_SLANT_NORMAL,
                               font.weight == .bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, font.size)
    }

    /// The advance of `text` and the ascent and descent of the selected font, in user space.
    private func metrics(of text: String) -> (advance: Double, ascent: Double, descent: Double) {
        var textExtents = cairo_text_extents_t()
        var fontExtents = cairo_font_extents_t()
        cairo_text_extents(context, text, &textExtents)
        cairo_font_extents(context, &fontExtents)
        return (textExtents.x_advance, fontExtents.ascent, fontExtents.descent)
    }

    /// A hidden, unique sibling of `path`, so that renaming it onto `path` is atomic; named as
    /// every temporary of the tool (`TemporaryName`), so a killed process's is recognised and removed.
    private static func temporaryPath(for path: String) -> String { TemporaryName.beside(path) }

    /// Cairo's message for `status`, made precise when the file's folder is missing.
    private static func reason(_ status: cairo_status_t, path: String) -> String {
        if status == CAIRO_STATUS_WRITE_ERROR || status == CAIRO_STATUS_FILE_NOT_FOUND {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) || !isDirectory.boolValue {
                return "the folder \(folder) does not exist"
            }
        }
        return String(cString: cairo_status_to_string(status))
    }
}

/// The bytes Cairo streams out for an in-memory SVG document.
private final class ByteSink {
    var bytes: [UInt8] = []
}

extension CairoRenderer.Destination {
    /// The path named in error messages.
    var displayPath: String {
        switch self {
        case let .svg(path), let .png(path, _): path
        case .svgInMemory: "<in-memory SVG>"
        }
    }

    /// Device pixels per point.
    var scale: Double {
        if case let .png(_, scale) = self { scale } else { 1 }
    }

    var isSVG: Bool {
        if case .png = self { false } else { true }
    }
}
