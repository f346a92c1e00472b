import CSystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The files a command writes into a folder the user named (`digits --out`, `keras-listings
/// --out`), where the user's own files, or a link someone else planted, may already sit:
///
/// - Before any work, ``checkFree(_:)`` refuses an existing entry under a name the command
///   writes, unless the user asked to replace it (`--force`).
/// - Each file is written to a private temporary in the folder (created with `O_EXCL |
///   O_NOFOLLOW`, mode 0666 less the umask) and renamed to its name. Without `--force` the
///   rename refuses an entry that appeared meanwhile (`RENAME_NOREPLACE`); with it, the entry
///   itself is replaced: a symbolic link is replaced by the file, never followed.
public struct FolderWriter {
    public let folder: String
    /// The option that named the folder, for messages (`--out`).
    public let option: String
    /// Whether existing entries under the names written are replaced (`--force`).
    public let replacing: Bool

    public init(folder: String, option: String, replacing: Bool) {
        (self.folder, self.option, self.replacing) = (folder, option, replacing)
    }

    func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    /// Refuses, unless replacing, when an entry of the folder has one of `names`.
    /// - Throws: `FileProblem` naming the first such entry and how many more there are.
    public func checkFree(_ names: [String]) throws {
        guard !replacing else { return }
        let taken = names.filter { name in
            var info = stat()
            return lstat(path(name), &info) == 0
        }
        guard let first = taken.first else { return }
        let more = taken.count > 1 ? " (and \(taken.count - 1) more of the names it writes)" : ""
        throw FileProblem(path(first), "already exists\(more); nothing was written: give --force to replace "
                          + "\(taken.count > 1 ? "them" : "it") (a symbolic link is replaced, never followed), or another \(option)")
    }

    /// Writes `bytes` as the file `name` of the folder, as described above.
    /// - Throws: `FileProblem` naming the file.
    public func write(_ bytes: some Collection<UInt8>, named name: String) throws {
        let target = path(name)
        let temporary = try OutputFile.writeTemporary(beside: target, Array(bytes), mode: nil, shownAs: target)
        guard Self.putInPlace(temporary, at: target, replacing: replacing) == 0 else {
            let code = errno
            unlink(temporary)
            if code == EEXIST {
                throw FileProblem(target, "appeared while it was written and is left as it is: give --force to replace it, or another \(option)")
            }
            throw FileProblem.system(target, "cannot be put in place", errno: code)
        }
    }

    /// rename(2), or when not `replacing`, a rename that fails with EEXIST rather than replace:
    /// renameat2's RENAME_NOREPLACE, else (a file system without it) a hard link then unlink.
    static func putInPlace(_ from: String, at to: String, replacing: Bool) -> Int32 {
        if replacing { return rename(from, to) }
        if system_calls_rename_no_replace(from, to) == 0 { return 0 }
        guard errno == EINVAL || errno == ENOSYS else { return -1 }
        guard link(from, to) == 0 else { return -1 }
        unlink(from)
        return 0
    }
}
