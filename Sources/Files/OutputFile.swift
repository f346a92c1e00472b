#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writing a file the user named (`--save`, `--json`, `--markdown`, `--html`, the cache): the
/// write lands where the user pointed.
///
/// - `-` is standard output.
/// - A symbolic link is followed to its target, which is written (the link stays a link).
/// - A regular file, or a new one, is written to a temporary file beside it and renamed over it,
///   so a reader sees the old contents or the new, never half (the old file's permissions kept).
/// - Anything else that exists (a device, a named pipe) is written directly, never replaced.
/// - A folder is refused.
public enum OutputFile {
    /// The name standing for standard output.
    public static let standardOutput = "-"

    /// Writes `bytes` to `path` as described above.
    /// - Throws: `FileProblem` naming the path.
    public static func write(_ bytes: some Collection<UInt8>, to path: String) throws {
        let data = Array(bytes)
        if path == standardOutput {
            try writeAll(data, to: STDOUT_FILENO, path: "standard output")
            return
        }
        let target = try followLinks(path)
        var info = stat()
        if lstat(target, &info) == 0 {
            let kind = FileKind(mode: info.st_mode)
            switch kind {
            case .regular:
                try replace(target, with: data, mode: info.st_mode & 0o7777, shownAs: path)
            case .directory:
                throw FileProblem(path, "is a folder; give the name of a file to write")
            default:
                // A device or a pipe: write into it; renaming over it would replace it with a file.
                let descriptor = open(target, O_WRONLY | O_CLOEXEC)
                guard descriptor >= 0 else { throw FileProblem.system(path, "cannot open \(kind.phrase) for writing", errno: errno) }
                defer { close(descriptor) }
                try writeAll(data, to: descriptor, path: path)
            }
        } else if errno == ENOENT {
            try replace(target, with: data, mode: nil, shownAs: path)
        } else {
            throw FileProblem.system(path, "cannot inspect", errno: errno)
        }
    }

    /// The path a chain of symbolic links starting at `path` ends at (which need not exist).
    public static func followLinks(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, FileKind(mode: info.st_mode) == .symbolicLink else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(current, &buffer, buffer.count - 1)
            guard length >= 0 else { throw FileProblem.system(path, "cannot read the symbolic link", errno: errno) }
            let destination = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = destination.hasPrefix("/")
                ? destination
                : (PathText.parent(current) as NSString).appendingPathComponent(destination)
        }
        throw FileProblem(path, "too many levels of symbolic links")
    }

    /// Writes `data` to a new temporary file beside `path` and renames it over `path`, with
    /// `mode` (an existing file's, kept exactly), or for a new file 0666 less the umask.
    static func replace(_ path: String, with data: [UInt8], mode: mode_t?, shownAs shown: String) throws {
        let temporary = try writeTemporary(beside: path, data, mode: mode, shownAs: shown)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileProblem.system(shown, "cannot replace", errno: code)
        }
    }

    /// Writes `data` to a new file of the tool's own beside `path` (created exclusively, no link
    /// followed), with `mode` (kept exactly) or 0666 less the umask, and returns its path, for
    /// the caller to rename onto `path`. When anything fails the temporary is removed.
    /// - Throws: `FileProblem` naming `shown`.
    static func writeTemporary(beside path: String, _ data: [UInt8], mode: mode_t?, shownAs shown: String) throws -> String {
        let temporary = TemporaryName.beside(path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode ?? 0o666)
        guard descriptor >= 0 else { throw FileProblem.system(shown, "cannot create a file in its folder", errno: errno) }
        do {
            try writeAll(data, to: descriptor, path: shown)
            if let mode { _ = fchmod(descriptor, mode) }
            guard close(descriptor) == 0 else { throw FileProblem.system(shown, "cannot write", errno: errno) }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        return temporary
    }

    /// Writes all of `data` to an open descriptor, resuming after signals and short writes.
    /// - Throws: `FileProblem` naming `path` (a closed stream, a full device, a reader gone).
    public static func writeAll(_ data: [UInt8], to descriptor: Int32, path: String) throws {
        var written = 0
        while written < data.count {
            let count = data.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + written, data.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileProblem.system(path, "cannot write", errno: errno)
            }
            written += count
        }
    }
}

/// write(2), under a name the enum's own `write` does not hide.
func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

extension OutputFile {
    /// Checks, before any long work, that `path` can be written as `write` would: not a folder,
    /// in a folder that exists and can be written (for a file that is replaced by renaming).
    /// - Throws: `FileProblem` naming the path and the reason.
    public static func checkWritable(_ path: String) throws {
        guard path != standardOutput else { return }
        let target = try followLinks(path)
        var info = stat()
        if lstat(target, &info) == 0 {
            switch FileKind(mode: info.st_mode) {
            case .directory: throw FileProblem(path, "is a folder; give the name of a file to write")
            case .regular: break
            default:
                guard access(target, W_OK) == 0 else { throw FileProblem.system(path, "cannot be written", errno: errno) }
                return
            }
        }
        let folder = PathText.parent(target)
        let shownFolder = folder.isEmpty ? "." : folder
        guard InputFile.kind(shownFolder) == .directory else {
            throw FileProblem(path, "its folder \(shownFolder) does not exist or is not a folder")
        }
        guard access(shownFolder, W_OK) == 0 else {
            throw FileProblem(path, "its folder \(shownFolder) cannot be written (\(FileProblem.reason(errno)))")
        }
    }
}

/// A folder the user names for the tool to write into (`--out`, `--reports-dir`, `--cache-dir`).
public enum OutputFolder {
    /// For a `path` that `stat` does not find: refuses it when it, or the nearest part of it that
    /// exists, is a symbolic link that leads nowhere (a loop, a missing target) or cannot be
    /// passed (no permission, a file), so the message says so rather than "already exists".
    static func checkReachable(_ path: String, option: String) throws {
        var part = path
        while !part.isEmpty, part != "/", part != "." {
            let shown = part == path ? path : "\(path): its part \(part)"
            switch FileProblem.deadEnd(part) {
            case .leadsSomewhere: return
            case .loop: throw FileProblem(shown, "is a loop of symbolic links (\(option)): fix or remove the link")
            case let .dangling(target):
                throw FileProblem(shown, "is a symbolic link to \"\(target)\", which does not exist (\(option)): create its target or remove the link")
            case let .unusable(code): throw FileProblem(shown, "cannot be used as a folder (\(option)): \(FileProblem.reason(code))")
            case let .absent(code) where code != ENOENT:
                throw FileProblem(path, code == ELOOP ? "a symbolic link on the path is a loop (\(option)): fix or remove it"
                                  : "cannot be used as a folder (\(option)): \(FileProblem.reason(code))")
            case .absent: break
            }
            part = PathText.parent(part)
        }
    }

    /// Makes sure `path` is a folder, creating it (and its parents) when missing.
    /// - Parameter option: the option that named it, for the message.
    /// - Throws: `FileProblem` when the path is something else or cannot be created.
    public static func prepare(_ path: String, option: String) throws {
        guard !path.isEmpty else {
            throw FileProblem("\(option) \"\"", "the path is empty; give a folder (\".\" for this one)")
        }
        switch InputFile.kind(path) {
        case .directory?:
            return
        case let kind?:
            throw FileProblem(path, "is \(kind.phrase), not a folder (\(option))")
        case nil:
            try checkReachable(path, option: option)
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw FileProblem(path, "cannot create the folder (\(option)): \(FileProblem.describe(error))")
            }
        }
    }
}

extension OutputFolder {
    /// Creates and removes a temporary file in `folder`: the one sure test that it can be
    /// written (permissions, a read-only mount, and for the superuser, who passes `access(2)`,
    /// a read-only file system).
    /// - Throws: `FileProblem` naming the folder and the reason.
    public static func checkWritable(_ folder: String) throws {
        let probe = TemporaryName.beside((folder as NSString).appendingPathComponent("write-check"))
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            // A folder that exists but where nothing can be created: a virtual file system.
            let why = errno == ENOENT && InputFile.kind(folder) == .directory
                ? "its file system takes no new files (a virtual file system such as /proc or /sys)" : FileProblem.reason(errno)
            throw FileProblem(folder, "cannot be written (\(why))")
        }
        close(descriptor)
        unlink(probe)
    }
}
