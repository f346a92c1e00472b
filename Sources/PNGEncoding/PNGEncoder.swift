import CZlib

/// PNG files written byte by byte, for the kinds cairo does not write (grey, grey with alpha,
/// palette, 16-bit, transparency keys): the inputs of the `DigitImages` tests and the fuzzer's
/// PNG seeds. Filter 0 on every row, one IDAT compressed by zlib at level 9.
public enum PNGEncoder {
    /// The IHDR colour types.
    public enum ColorType: UInt8, Sendable {
        case grey = 0, rgb = 2, palette = 3, greyAlpha = 4, rgba = 6
    }

    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A `side` × `side` PNG whose rows are `samples` cut into `side` equal rows (each pixel's
    /// bytes in PNG order), with `extra` chunks (`PLTE`, `tRNS`, …) between the header and the data.
    public static func encode(_ colorType: ColorType, bitDepth: UInt8 = 8, side: Int = 28, samples: [UInt8],
                              extra: [(type: String, data: [UInt8])] = []) -> [UInt8] {
        precondition(samples.count % side == 0, "\(samples.count) bytes do not make \(side) equal rows")
        let rowBytes = samples.count / side
        let raw = (0..<side).flatMap { [0] + samples[$0 * rowBytes..<($0 + 1) * rowBytes] }
        var compressed = [UInt8](repeating: 0, count: Int(compressBound(uLong(raw.count))))
        var length = uLong(compressed.count)
        let status = compress2(&compressed, &length, raw, uLong(raw.count), 9)
        precondition(status == Z_OK, "zlib's compress2 returned \(status)")
        let header = bigEndian(side) + bigEndian(side) + [bitDepth, colorType.rawValue, 0, 0, 0]
        return signature + chunk("IHDR", header) + extra.flatMap { chunk($0.type, $0.data) }
            + chunk("IDAT", Array(compressed.prefix(Int(length)))) + chunk("IEND", [])
    }

    /// One chunk: the data's length, the type, the data, the CRC-32 of type and data.
    public static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        let crc = body.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) }
        return bigEndian(data.count) + body + bigEndian(Int(crc))
    }

    static func bigEndian(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
}
