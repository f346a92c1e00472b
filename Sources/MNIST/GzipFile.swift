import CZlib

/// Reads a whole file through zlib, which inflates gzip and passes plain files through as they are.
enum GzipFile {
    static func read(path: String) throws -> [UInt8] {
        guard let file = gzopen(path, "rb") else {
            throw MNISTError.unreadable(path: path, reason: "cannot open")
        }
        defer { gzclose(file) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if n < 0 {
                var code: Int32 = 0
                let message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown zlib error"
                throw MNISTError.unreadable(path: path, reason: message)
            }
            if n == 0 { break }
            result += chunk[0..<Int(n)]
        }
        return result
    }
}
