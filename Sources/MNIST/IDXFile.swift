/// A parsed IDX file: the format of the MNIST distribution. A big-endian header (magic number
/// 0x0000080D, where D is the number of dimensions and 08 the unsigned-byte type; then one
/// big-endian u32 per dimension) followed by the raw row-major payload.
public struct IDXFile: Equatable {
    public var dimensions: [Int]
    public var payload: [UInt8]

    /// Parses `bytes` read from `path` (used in messages), checking the magic number, the
    /// expected dimensions (nil entries are free) and that the payload is complete.
    /// - Throws: `MNISTError` naming the file and what was wrong.
    public init(bytes: [UInt8], path: String, expectedDimensions: [Int?]) throws {
        guard bytes.count >= 4 else { throw MNISTError.tooShort(path: path, bytes: bytes.count) }
        func u32(_ offset: Int) -> UInt32 {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        let expectedMagic = 0x0800 | UInt32(expectedDimensions.count)
        let magic = u32(0)
        guard magic == expectedMagic else {
            throw MNISTError.wrongMagic(path: path, expected: expectedMagic, found: magic)
        }
        let headerSize = 4 + 4 * expectedDimensions.count
        guard bytes.count >= headerSize else { throw MNISTError.tooShort(path: path, bytes: bytes.count) }
        let dimensions = (0..<expectedDimensions.count).map { Int(u32(4 + 4 * $0)) }
        let matches = zip(dimensions, expectedDimensions).allSatisfy { found, expected in
            expected.map { $0 == found } ?? (found > 0)
        }
        guard matches else {
            let expected = expectedDimensions.map { $0.map(String.init) ?? "N" }.joined(separator: " × ")
            throw MNISTError.wrongDimensions(path: path, expected: expected, found: dimensions)
        }
        var payloadSize = 1
        for size in dimensions {
            let (product, overflow) = payloadSize.multipliedReportingOverflow(by: size)
            guard !overflow, product <= bytes.count else {
                throw MNISTError.truncatedPayload(path: path, expectedBytes: overflow ? Int.max : product, foundBytes: bytes.count - headerSize)
            }
            payloadSize = product
        }
        guard bytes.count - headerSize == payloadSize else {
            throw MNISTError.truncatedPayload(path: path, expectedBytes: payloadSize, foundBytes: bytes.count - headerSize)
        }
        self.dimensions = dimensions
        self.payload = Array(bytes[headerSize...])
    }
}
