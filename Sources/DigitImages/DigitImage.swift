import CCairo
import Files
import Foundation

/// A 28 × 28 grayscale digit read from a PNG file, in MNIST's polarity (0 = background,
/// 255 = ink), ready for a model trained on MNIST.
public struct DigitImage: Sendable {
    public static let side = 28
    /// Row-major pixels, 0 = background, 255 = ink.
    public var pixels: [UInt8]
    /// True when the file showed a dark digit on a light background and was inverted.
    public var inverted: Bool

    /// What can be wrong with an image file.
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case unreadable(path: String, reason: String)
        case wrongSize(path: String, width: Int, height: Int)
        /// Nearly uniform once its transparency is set on paper: there is no digit to classify.
        case blank(path: String)

        public var description: String {
            switch self {
            case let .unreadable(path, reason): return "\(path): not a readable PNG image (\(reason))"
            case let .wrongSize(path, width, height):
                return "\(path): the image is \(width) × \(height) pixels, expected \(DigitImage.side) × \(DigitImage.side)"
            case let .blank(path):
                return "\(path): blank: nothing to classify (fewer than \(DigitImage.leastInkPixels) pixels differ from the background by \(DigitImage.inkContrast) levels or more)"
            }
        }
    }

    /// The most bytes read from an image file: a 28 × 28 PNG takes a few hundred.
    public static let maximumFileSize = 4 << 20

    /// Reads a PNG (grayscale, colour or palette, with or without alpha or a tRNS transparency
    /// key) and brings it to MNIST's polarity. Transparency is first set on paper: a mostly
    /// transparent image's opaque pixels are its ink, shown on the opposite shade (light ink on
    /// black, dark ink on white); a mostly opaque image's transparent pixels take its paper's
    /// shade (`TransparentPicture`). Then, when the border is mostly light, the image is taken
    /// for a dark digit on light paper and inverted. Only a regular file is read, and its size
    /// is taken from the PNG header and checked before any pixel is decoded.
    /// - Throws: `Failure`: the file cannot be read or decoded, is not 28 × 28, or is blank.
    public init(contentsOf path: String) throws {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(path, limit: Self.maximumFileSize, what: "a digit image")
        } catch let problem as FileProblem {
            throw Failure.unreadable(path: path, reason: problem.problem)
        }
        try self.init(png: bytes, path: path)
    }

    /// Decodes PNG `bytes` (from `path`, for messages) as `init(contentsOf:)` does.
    /// - Throws: `Failure` (not a PNG, not 28 × 28, corrupt, blank).
    public init(png bytes: [UInt8], path: String) throws {
        let (width, height) = try Self.headerSize(bytes, path: path)
        guard width == Self.side, height == Self.side else { throw Failure.wrongSize(path: path, width: width, height: height) }
        let reader = PNGReader(bytes)
        let context = Unmanaged.passUnretained(reader).toOpaque()
        guard let surface = withExtendedLifetime(reader, { cairo_image_surface_create_from_png_stream(PNGReader.read, context) }) else {
            throw Failure.unreadable(path: path, reason: "cairo returned no surface")
        }
        defer { cairo_surface_destroy(surface) }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            // Cairo reports most decoding failures of libpng as "out of memory".
            let reason = status == CAIRO_STATUS_NO_MEMORY || status == CAIRO_STATUS_READ_ERROR
                ? "the image data is corrupt or cut short" : String(cString: cairo_status_to_string(status))
            throw Failure.unreadable(path: path, reason: reason)
        }
        guard Int(cairo_image_surface_get_width(surface)) == width, Int(cairo_image_surface_get_height(surface)) == height else {
            throw Failure.unreadable(path: path, reason: "the decoded size differs from the header's")
        }
        cairo_surface_flush(surface)
        let format = cairo_image_surface_get_format(surface)
        // Newer cairo (1.17.2+) loads 16-bit PNGs as floating-point formats, which the loop
        // below does not read: refuse them rather than misread their pixels.
        guard [CAIRO_FORMAT_ARGB32, CAIRO_FORMAT_RGB24, CAIRO_FORMAT_A8].contains(format) else {
            throw Failure.unreadable(path: path, reason: "cairo decoded it into a pixel format this reader does not handle; save it with 8 bits per channel")
        }
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else {
            throw Failure.unreadable(path: path, reason: "no pixel data")
        }
        var picture = TransparentPicture(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x
                switch format {
                case CAIRO_FORMAT_A8:
                    (picture.ink[i], picture.alpha[i]) = (0, Double(data[y * stride + x]))   // black ink as opacity
                default:
                    // ARGB32 / RGB24, native-endian 32-bit words, colour premultiplied by alpha.
                    let word = data.advanced(by: y * stride + 4 * x).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee }
                    let (r, g, b) = (Double((word >> 16) & 0xFF), Double((word >> 8) & 0xFF), Double(word & 0xFF))
                    picture.ink[i] = 0.299 * r + 0.587 * g + 0.114 * b
                    picture.alpha[i] = format == CAIRO_FORMAT_ARGB32 ? Double(word >> 24) : 255
                }
            }
        }
        self.init(luminance: picture.composited())
        guard !isBlank else { throw Failure.blank(path: path) }
    }

    /// The width and height in a PNG's header (the IHDR chunk right after the signature).
    static func headerSize(_ bytes: [UInt8], path: String) throws -> (width: Int, height: Int) {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 24, Array(bytes[0..<8]) == signature else {
            throw Failure.unreadable(path: path, reason: "it does not start with the PNG signature")
        }
        guard Array(bytes[12..<16]) == Array("IHDR".utf8) else {
            throw Failure.unreadable(path: path, reason: "the first chunk is not the IHDR header")
        }
        func u32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (u32(16), u32(20))
    }

    /// Brings luminance values (0 = black) to MNIST's polarity, inverting when the border is light.
    public init(luminance: [UInt8]) {
        precondition(luminance.count == Self.side * Self.side, "a digit image has \(Self.side * Self.side) pixels")
        let side = Self.side
        var border: [UInt8] = []
        for i in 0..<side {
            border += [luminance[i], luminance[(side - 1) * side + i], luminance[i * side], luminance[i * side + side - 1]]
        }
        let lightBorder = border.reduce(0) { $0 + Int($1) } / border.count > 127
        inverted = lightBorder
        pixels = lightBorder ? luminance.map { 255 - $0 } : luminance
    }

    /// Writes MNIST-polarity pixels as a PNG file at `path` (as `OutputFile` writes), in the
    /// way `png(pixels:darkOnLight:)` encodes them. For tests and the fuzzer's seeds.
    public static func writePNG(pixels: [UInt8], to path: String, darkOnLight: Bool = false) throws {
        try OutputFile.write(try png(pixels: pixels, darkOnLight: darkOnLight), to: path)
    }

    /// MNIST-polarity pixels encoded as a PNG; `darkOnLight` encodes them the other way round
    /// (black ink on white paper).
    /// - Throws: `Failure.unreadable` when cairo cannot encode them.
    public static func png(pixels: [UInt8], darkOnLight: Bool = false) throws -> [UInt8] {
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(side), Int32(side)) else {
            throw Failure.unreadable(path: "PNG", reason: "cannot create a surface")
        }
        defer { cairo_surface_destroy(surface) }
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        for y in 0..<side {
            for x in 0..<side {
                let v = UInt32(darkOnLight ? 255 - pixels[y * side + x] : pixels[y * side + x])
                data.advanced(by: y * stride + 4 * x).withMemoryRebound(to: UInt32.self, capacity: 1) {
                    $0.pointee = 0xFF00_0000 | v << 16 | v << 8 | v
                }
            }
        }
        cairo_surface_mark_dirty(surface)
        let sink = PNGSink()
        let status = cairo_surface_write_to_png_stream(surface, PNGSink.write, Unmanaged.passUnretained(sink).toOpaque())
        guard status == CAIRO_STATUS_SUCCESS else {
            throw Failure.unreadable(path: "PNG", reason: "cannot encode: " + String(cString: cairo_status_to_string(status)))
        }
        return sink.bytes
    }
}

/// Collects the PNG cairo's stream writer produces.
private final class PNGSink {
    var bytes: [UInt8] = []

    static let write: cairo_write_func_t = { context, data, length in
        guard let context, let data else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<PNGSink>.fromOpaque(context).takeUnretainedValue()
        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
        return CAIRO_STATUS_SUCCESS
    }
}

/// Feeds a PNG held in memory to cairo's stream reader.
private final class PNGReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// cairo's read callback: copies exactly `length` bytes, or fails when fewer remain.
    static let read: cairo_read_func_t = { context, data, length in
        guard let context, let data else { return CAIRO_STATUS_READ_ERROR }
        let reader = Unmanaged<PNGReader>.fromOpaque(context).takeUnretainedValue()
        let count = Int(length)
        guard count <= reader.bytes.count - reader.offset else { return CAIRO_STATUS_READ_ERROR }
        reader.bytes.withUnsafeBufferPointer { source in
            data.update(from: source.baseAddress! + reader.offset, count: count)
        }
        reader.offset += count
        return CAIRO_STATUS_SUCCESS
    }
}
