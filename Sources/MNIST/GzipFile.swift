import CZlib
import Files

/// Reading a data file that may be gzip-compressed, within a bound: the compressed file and its
/// decompressed bytes each stop at `limit`, so a small "gzip bomb" cannot expand into all of
/// the machine's memory and a device or a pipe named as a data file is refused, not read forever.
package enum GzipFile {
    /// The bytes of the file at `path`, decompressed when it starts with gzip's magic number.
    /// - Throws: `MNISTError.unreadable` naming the file: not a regular file, too large, corrupt.
    package static func read(path: String, limit: Int) throws -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(path, limit: limit, what: "an MNIST file")
        } catch let problem as FileProblem {
            throw MNISTError.unreadable(path: path, reason: problem.problem)
        }
        return try decompress(bytes, path: path, limit: limit)
    }

    /// `bytes` inflated when they are gzip (every member of a multi-member file), else as they are.
    package static func decompress(_ bytes: [UInt8], path: String, limit: Int) throws -> [UInt8] {
        guard bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B else { return bytes }
        var stream = z_stream()
        // 15 + 16: a gzip wrapper around a window of up to 2^15 bytes.
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw MNISTError.unreadable(path: path, reason: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        // A single-member file's trailer holds its decompressed size (mod 2^32): a hint, within the limit.
        let trailer = bytes.suffix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
        output.reserveCapacity(min(trailer, limit))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var consumed = 0
        try bytes.withUnsafeBufferPointer { input in
            while consumed < input.count {
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + consumed)
                stream.avail_in = UInt32(min(input.count - consumed, Int(UInt32.max)))
                let before = stream.avail_in
                let status = chunk.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                consumed += Int(before - stream.avail_in)
                let produced = chunk.count - Int(stream.avail_out)
                guard output.count + produced <= limit else {
                    throw MNISTError.unreadable(path: path, reason: "decompresses to more than \(limit / (1 << 20)) MiB, the most accepted for an MNIST file")
                }
                output += chunk[0..<produced]
                switch status {
                case Z_OK:
                    guard produced > 0 || before != stream.avail_in else {
                        throw MNISTError.unreadable(path: path, reason: "the compressed data ends early")
                    }
                case Z_STREAM_END:
                    // Another gzip member may follow (as `cat a.gz b.gz` makes).
                    guard consumed < input.count else { return }
                    guard inflateReset(&stream) == Z_OK else { throw MNISTError.unreadable(path: path, reason: "zlib could not restart") }
                case Z_BUF_ERROR where produced == 0:
                    throw MNISTError.unreadable(path: path, reason: "the compressed data ends early")
                case Z_BUF_ERROR:
                    continue
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "corrupt compressed data"
                    throw MNISTError.unreadable(path: path, reason: message)
                }
            }
            throw MNISTError.unreadable(path: path, reason: "the compressed data ends early")
        }
        return output
    }
}
