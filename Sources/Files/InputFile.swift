#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a file the tool was handed (a model, a data set, an image, a results file), which may
/// come from anyone: only regular files are read, and never more than a stated number of bytes,
/// so a named pipe cannot hang the tool, a device cannot feed it forever, and a huge file cannot
/// take the machine's memory before its contents are checked.
public enum InputFile {
    /// The whole contents of the regular file at `path`.
    /// - Parameters:
    ///   - limit: the largest size accepted, in bytes.
    ///   - what: what the file should be ("a model file"), for the size message.
    /// - Throws: `FileProblem` naming the path: missing, unreadable, a folder, a FIFO or a device
    ///   instead of a regular file, or larger than `limit`.
    public static func read(_ path: String, limit: Int, what: String = "this file") throws -> [UInt8] {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; the kind check below refuses it.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileProblem.system(path, "cannot open", errno: errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw FileProblem.system(path, "cannot inspect", errno: errno) }
        let kind = FileKind(mode: info.st_mode)
        guard kind == .regular else { throw FileProblem(path, "is \(kind.phrase), not a regular file") }
        let size = Int(info.st_size)
        guard size <= limit else { throw tooLarge(path, size: size, limit: limit, what: what) }
        // Read what is there plus one byte, to notice a file that grows while it is read.
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                systemRead(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileProblem.system(path, "cannot read", errno: errno)
            }
            if count == 0 { break }
            filled += count
            if filled == bytes.count {
                guard filled <= limit else { throw tooLarge(path, size: filled, limit: limit, what: what) }
                bytes += [UInt8](repeating: 0, count: min(bytes.count, limit + 1 - bytes.count))
            }
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    /// The kind of entry at `path`, symbolic links followed, or nil when there is none.
    public static func kind(_ path: String) -> FileKind? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileKind(mode: info.st_mode)
    }

    static func tooLarge(_ path: String, size: Int, limit: Int, what: String) -> FileProblem {
        FileProblem(path, "is larger than \(ByteCount(limit)), the most accepted for \(what)")
    }
}

/// A number of bytes in words ("64 MiB").
struct ByteCount: CustomStringConvertible {
    var bytes: Int
    init(_ bytes: Int) { self.bytes = bytes }
    var description: String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) bytes" : (value.rounded() == value ? "\(Int(value)) \(units[unit])" : "\(Double(Int(value * 10)) / 10) \(units[unit])")
    }
}

/// read(2), under a name the enum's own `read` does not hide.
func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
