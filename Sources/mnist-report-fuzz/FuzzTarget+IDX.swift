import MNIST

extension FuzzTarget {
    /// Bytes as an MNIST data file: inflated when gzip (at most 1 MiB out), then parsed as an
    /// image file (N × 28 × 28) and as a label file (N); an accepted file's payload is exactly
    /// the size its header announces.
    static func idx(_ bytes: [UInt8]) -> String {
        let raw: [UInt8]
        do {
            raw = try GzipFile.decompress(bytes, path: "fuzz", limit: 1 << 20)
        } catch {
            return rejected(error)
        }
        var outcomes: [String] = []
        guard raw.count <= 1 << 20 else { fatalError("decompressed \(raw.count) bytes past the 1 MiB limit") }
        for expected in [[nil, 28, 28], [nil]] as [[Int?]] {
            let file: IDXFile
            do {
                file = try IDXFile(bytes: raw, path: "fuzz", expectedDimensions: expected)
            } catch {
                outcomes.append(rejected(error))
                continue
            }
            outcomes.append("accepted: dimensions \(file.dimensions)")
            let size = file.dimensions.reduce(1, *)
            guard file.dimensions.count == expected.count, file.payload.count == size,
                  4 + 4 * expected.count + size == raw.count else {
                fatalError("IDXFile accepted dimensions \(file.dimensions) with \(file.payload.count) payload bytes out of \(raw.count)")
            }
        }
        return "\(raw.count) bytes\(raw.count == bytes.count ? "" : " decompressed"); " + outcomes.joined(separator: "; ")
    }
}
