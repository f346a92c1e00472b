import CZlib
import DigitImages

extension FuzzTarget {
    /// Bytes as a digit image: the PNG header check, then decoding through cairo and libpng;
    /// an accepted image has 28 × 28 pixels. libpng rejects a chunk whose CRC does not match,
    /// which nearly every mutation breaks, so the bytes are decoded as they are and again with
    /// every chunk's CRC recomputed: the second pass lets mutations reach libpng's decoders.
    static func png(_ bytes: [UInt8]) -> String {
        let outcome = decodeDigit(bytes)
        let repaired = withCorrectCRCs(bytes)
        guard repaired != bytes else { return outcome }
        return outcome + "; with correct CRCs, " + decodeDigit(repaired)
    }

    static func decodeDigit(_ bytes: [UInt8]) -> String {
        let image: DigitImage
        do {
            image = try DigitImage(png: bytes, path: "fuzz")
        } catch {
            return rejected(error)
        }
        guard image.pixels.count == DigitImage.side * DigitImage.side else {
            fatalError("a decoded digit has \(image.pixels.count) pixels")
        }
        return "accepted: \(image.inverted ? "dark on light, inverted" : "light on dark"), \(image.pixels.filter { $0 > 127 }.count) ink pixels"
    }

    /// `bytes` with the CRC of every complete chunk after the 8-byte signature recomputed
    /// (length, type, data, CRC); a cut-short last chunk is left as it is.
    static func withCorrectCRCs(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        var offset = 8
        while offset + 12 <= bytes.count {
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let end = offset + 8 + length   // where the CRC starts
            guard end + 4 <= bytes.count else { break }
            let crc = bytes.withUnsafeBufferPointer { buffer in
                crc32(0, buffer.baseAddress! + offset + 4, UInt32(4 + length))
            }
            for i in 0..<4 { bytes[end + i] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt(i))) }
            offset = end + 4
        }
        return bytes
    }
}
