import CZlib

/// Writes PNG files byte by byte, for the kinds cairo does not write: grey, palette, grey with
/// alpha, and transparency keys (tRNS). Filter 0 on every row, one zlib-compressed IDAT.
enum PNGEncoder {
    /// The IHDR colour types; a pixel has `channels` samples of 8 bits.
    enum ColourType: UInt8 {
        case grey = 0, rgb = 2, palette = 3, greyAlpha = 4, rgba = 6

        var channels: Int {
            switch self {
            case .grey, .palette: return 1
            case .greyAlpha: return 2
            case .rgb: return 3
            case .rgba: return 4
            }
        }
    }

    /// A `side` × `side` PNG of row-major `samples` (`colour.channels` a pixel), with a PLTE of
    /// RGB triples and a tRNS chunk (grey: a 2-byte key, RGB: 6 bytes, palette: one alpha an entry).
    static func encode(side: Int, _ colour: ColourType, samples: [UInt8], palette: [UInt8]? = nil, transparency: [UInt8]? = nil) -> [UInt8] {
        precondition(samples.count == side * side * colour.channels, "\(samples.count) samples for \(side) × \(side) \(colour)")
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += chunk("IHDR", bigEndian(side) + bigEndian(side) + [8, colour.rawValue, 0, 0, 0])
        if let palette { png += chunk("PLTE", palette) }
        if let transparency { png += chunk("tRNS", transparency) }
        let rowBytes = side * colour.channels
        let raw = (0..<side).flatMap { [0] + samples[$0 * rowBytes..<($0 + 1) * rowBytes] }
        png += chunk("IDAT", deflate(raw))
        png += chunk("IEND", [])
        return png
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        let crc = body.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) }
        return bigEndian(data.count) + body + bigEndian(Int(crc))
    }

    static func bigEndian(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }

    static func deflate(_ bytes: [UInt8]) -> [UInt8] {
        var length = compressBound(UInt(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = compress(&out, &length, bytes, UInt(bytes.count))
        precondition(status == Z_OK, "zlib's compress returned \(status)")
        return Array(out.prefix(Int(length)))
    }
}
