import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What is wrong with a path the tool was given: one line naming the path and the problem.
public struct FileProblem: Error, CustomStringConvertible, Equatable, Sendable {
    public var path: String
    public var problem: String

    public init(_ path: String, _ problem: String) { (self.path, self.problem) = (path, problem) }

    public var description: String { "\(path): \(problem)" }

    /// A problem described by the C library's `errno` after `operation` failed ("cannot open").
    static func system(_ path: String, _ operation: String, errno code: Int32) -> FileProblem {
        FileProblem(path, "\(operation): \(reason(code))")
    }

    /// Plain words for the errors users meet, the C library's text for the rest.
    public static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file or folder"
        case EACCES, EPERM: return "permission denied"
        case ENOTDIR: return "a part of the path is not a folder"
        case EISDIR: return "is a folder"
        case ELOOP: return "too many levels of symbolic links"
        case ENOSPC: return "no space left on the device"
        case EROFS: return "the file system is read-only"
        case ENAMETOOLONG: return "the name is too long"
        default: return String(cString: strerror(code))
        }
    }
}

/// The kind of a file system entry, from its `st_mode`, with a phrase for messages.
public enum FileKind: Equatable, Sendable {
    case regular, directory, symbolicLink, fifo, characterDevice, blockDevice, socket, other

    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symbolicLink
        case S_IFIFO: self = .fifo
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFSOCK: self = .socket
        default: self = .other
        }
    }

    /// "a folder", "a named pipe (FIFO)", …
    public var phrase: String {
        switch self {
        case .regular: return "a regular file"
        case .directory: return "a folder"
        case .symbolicLink: return "a symbolic link"
        case .fifo: return "a named pipe (FIFO)"
        case .characterDevice: return "a character device"
        case .blockDevice: return "a block device"
        case .socket: return "a socket"
        case .other: return "not a regular file"
        }
    }
}

extension FileProblem {
    /// Any error met while handling files, in words: a `FileProblem`'s own text, the operating
    /// system's reason behind a Foundation error, Foundation's common file errors in plain words,
    /// or a generic description (never a Foundation error domain and number).
    public static func describe(_ error: any Error) -> String {
        if let problem = error as? FileProblem { return problem.description }
        let bridged = error as NSError
        if let underlying = bridged.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return reason(Int32(underlying.code))
        }
        if bridged.domain == NSPOSIXErrorDomain { return reason(Int32(bridged.code)) }
        if let cocoa = error as? CocoaError {
            switch cocoa.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: return reason(ENOENT)
            case .fileReadNoPermission, .fileWriteNoPermission: return reason(EACCES)
            case .fileWriteOutOfSpace: return reason(ENOSPC)
            case .fileWriteVolumeReadOnly: return reason(EROFS)
            case .fileWriteFileExists: return "already exists"
            case .fileReadCorruptFile: return "the contents cannot be read"
            default:
                // Foundation's catch-all; the kind of the entry usually says what went wrong.
                let path = cocoa.filePath ?? cocoa.url?.path
                if let path, let kind = InputFile.kind(path), kind != .regular { return "is \(kind.phrase)" }
                if let path, InputFile.kind(path) == nil { return whyMissing(path) }
                return "the operation failed"
            }
        }
        return bridged.localizedDescription
    }
}

extension FileProblem {
    /// What a path's own entry leads to: somewhere; nothing, because the entry is not there
    /// (with `lstat`'s errno); or an entry that is there but leads nowhere: a symbolic link in a
    /// loop or to a missing target, or another reason `stat` gives.
    enum DeadEnd {
        case leadsSomewhere, loop
        case absent(errno: Int32)
        case dangling(target: String)
        case unusable(errno: Int32)
    }

    static func deadEnd(_ path: String) -> DeadEnd {
        var linked = stat(), info = stat()
        guard lstat(path, &linked) == 0 else { return .absent(errno: errno) }
        guard stat(path, &info) != 0 else { return .leadsSomewhere }
        let code = errno
        if code == ELOOP { return .loop }
        guard code == ENOENT else { return .unusable(errno: code) }
        return .dangling(target: (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")
    }

    /// Why `path` cannot be reached, in words: a loop of symbolic links, a link to nothing, a
    /// part of the path that is a file, no permission, or simply no such entry ("no such
    /// \(what)").
    public static func whyMissing(_ path: String, what: String = "file or folder") -> String {
        switch deadEnd(path) {
        case .leadsSomewhere: return "exists"
        case .loop: return "is a loop of symbolic links: fix or remove the link"
        case let .dangling(target): return "is a symbolic link to \"\(target)\", which does not exist"
        case let .unusable(code): return reason(code)
        case let .absent(code): return whyAbsent(path, code, what: what)
        }
    }

    /// Why `path`, whose entry `lstat` did not find with `code`, is not there.
    private static func whyAbsent(_ path: String, _ code: Int32, what: String) -> String {
        switch code {
        case ENOENT: return "no such \(what)"
        case ELOOP: return "a symbolic link on the path is a loop: fix or remove it"
        case ENOTDIR:
            var part = PathText.parent(path)
            while !part.isEmpty, part != "/" {
                if let kind = InputFile.kind(part), kind != .directory { return "its part \(part) is \(kind.phrase), not a folder" }
                part = PathText.parent(part)
            }
            return reason(ENOTDIR)
        default: return reason(code)
        }
    }
}
