import Results
import Assignment
import CSystemCalls
import Files
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Putting a new report in place without losing an entry of the user's (see `ReportFolder`).
///
/// What is guaranteed: an entry of the user's in the report folder is only ever renamed, within
/// the reports folder, never copied, replaced or removed; it lives at every moment in exactly one
/// folder, and a folder is only removed by `rmdir`, which fails on a folder that is not empty.
/// Entries present when the swap starts end in the new report. One that appears during the swap
/// (after its listing, before the exchange) is in the old folder after the exchange and is
/// moved by the second look; one created after that through a handle on the old folder (a shell
/// whose working folder it is) makes `rmdir` fail, and the old folder is then kept under a
/// visible name that the output gives. A process killed at any point leaves the entries in the
/// report folder, the old folder or the staged one; the next build or render moves them back
/// (`recoverInterruptedBuilds`), telling them from the tool's files by each folder's marker.
extension ReportFolder {
    /// What a swap did with the user's entries.
    public struct Swap: Equatable, Sendable {
        /// The entries of the user's moved into the new report.
        public var kept: [String] = []
        /// Where entries of the user's that could not be moved into the new report were kept
        /// (a folder beside it), and which; nil when there were none.
        public var leftIn: String?
        public var left: [String] = []

        public init() {}

        /// What the swap did with the user's files, in words, for the report in `folder`: moved
        /// into the new report, or kept beside it when they could not be (a file under a name
        /// the report writes, or one that kept arriving in the old folder through a handle on it).
        public func lines(in folder: String) -> [String] {
            func list(_ names: [String]) -> String {
                names.prefix(10).joined(separator: ", ") + (names.count > 10 ? " and \(names.count - 10) more" : "")
            }
            var lines: [String] = []
            if !kept.isEmpty { lines.append("Kept files of yours in \(folder) (moved into the new report): \(list(kept))") }
            if let leftIn {
                lines.append("Files of yours that reached the old report during the swap could not be moved into \(folder) "
                    + "(a file of that name is there, or they kept arriving); they are kept in \(leftIn): \(list(left))")
            }
            return lines
        }
    }

    /// Renames `from` to `to` unless `to` exists. Returns 0 or the `errno`.
    static func move(_ from: String, to: String) -> Int32 {
        if system_calls_rename_no_replace(from, to) == 0 { return 0 }
        let code = errno
        guard code == ENOSYS || code == EINVAL else { return code }
        var info = stat()
        if lstat(to, &info) == 0 { return EEXIST }
        return rename(from, to) == 0 ? 0 : errno
    }

    /// Replaces the folder with `staging` (a complete report beside it): writes the marker,
    /// moves the user's entries of the old folder into the new one, exchanges the two, then
    /// disposes of the old one (`settle`).
    /// - Throws: `ReportError` when the swap cannot be made; the old report and every entry of the
    ///   user's are then where they were (entries already moved are moved back by the caller's
    ///   `discard`).
    func install(_ staging: String) throws -> Swap {
        let written = ((try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? []).filter { $0 != Self.marker }.sorted()
        let marker = "# Written by mnist-report. A new build of this report replaces the files listed below\n"
            + "# and keeps every other entry of this folder.\n" + written.joined(separator: "\n") + "\n"
        try OutputFile.write(Array(marker.utf8), to: inside(Self.marker, of: staging))

        if InputFile.kind(path) == nil {
            let code = Self.move(staging, to: path)
            if code == 0 { return Swap() }
            guard code == EEXIST || code == ENOTEMPTY else {
                throw ReportError("\(shownPath): cannot move the new report into place (\(FileProblem.reason(code)))")
            }
            // Another build put a report there meanwhile: swap with it as with any other.
        }
        // The user's entries as they are now, not as they were before the work.
        guard let now = Self.partition(path) else {
            throw ReportError("\(shownPath) is no longer a folder written by mnist-report (it changed during the build); nothing was changed")
        }
        if let clash = now.user.first(where: Set(written).contains) {
            throw ReportError("""
                \(inside(clash, of: shownPath)) appeared during the build, and this report writes a file of that name; \
                nothing was changed: rename or move it, then build again (the trainings are cached)
                """)
        }
        var swap = Swap()
        for entry in now.user {
            let code = Self.move(inside(entry), to: inside(entry, of: staging))
            if code == 0 { swap.kept.append(entry); continue }
            if code == ENOENT { continue }   // gone meanwhile: moved by its owner or by another build
            throw ReportError("\(inside(entry, of: shownPath)): cannot move it into the new report (\(FileProblem.reason(code))); nothing was changed")
        }
        let old: String
        if system_calls_exchange(staging, path) == 0 {
            old = staging
        } else {
            let code = errno
            guard code == ENOSYS || code == EINVAL else {
                throw ReportError("\(shownPath): cannot swap the new report in (\(FileProblem.reason(code))); the old one is unchanged")
            }
            // No exchange on this file system: move the old folder aside, the new one in
            // (`recoverInterruptedBuilds` undoes a death in between).
            old = inside(".\(name).old-\(TemporaryName.ownSuffix())", of: parent)
            guard rename(path, old) == 0 else {
                throw ReportError("\(shownPath): cannot move the old report aside (\(FileProblem.reason(errno)))")
            }
            guard rename(staging, path) == 0 else {
                let reason = FileProblem.reason(errno)
                _ = rename(old, path)
                throw ReportError("\(shownPath): cannot move the new report into place (\(reason)); the old one is back")
            }
        }
        let settled = settle(old)
        swap.kept += settled.kept
        (swap.leftIn, swap.left) = (settled.leftIn, settled.left)
        return swap
    }

    /// Disposes of `folder`, a folder of the tool's beside the report (the old report after a
    /// swap, a staged one that was not swapped in, either left by a dead process): moves the
    /// user's entries (those its marker does not list) into the report folder, removes the
    /// tool's one by one, then the folder with `rmdir`, which fails on anything left. What
    /// cannot be moved stays, in the folder renamed to `<name>.kept-<pid>@<host>`.
    /// A folder without a marker (a staged one that died before it was written, or one whose
    /// marker this function removed) is told apart by name (`ownedByName`).
    func settle(_ folder: String) -> Swap {
        var swap = Swap()
        // Entries only go into a report folder of the tool's.
        let destination = InputFile.kind(path) == .directory && Self.partition(path) != nil
        for _ in 0..<3 {
            let marked = InputFile.kind(inside(Self.marker, of: folder)) != nil
            let (tool, user) = (marked ? Self.partition(folder) : nil) ?? Self.ownedByName(folder)
            var remaining: [String] = []
            for entry in user {
                if destination, Self.move(inside(entry, of: folder), to: inside(entry)) == 0 { swap.kept.append(entry) } else { remaining.append(entry) }
            }
            for entry in tool where entry != Self.marker { unlink(inside(entry, of: folder)) }
            if !remaining.isEmpty {
                (swap.leftIn, swap.left) = (keepVisibly(folder), remaining)
                return swap
            }
            unlink(inside(Self.marker, of: folder))
            if rmdir(folder) == 0 || errno == ENOENT { return swap }
        }
        // Something keeps writing into it: it stays, under a name the user sees.
        swap.leftIn = keepVisibly(folder)
        swap.left = (try? FileManager.default.contentsOfDirectory(atPath: swap.leftIn!).sorted()) ?? []
        return swap
    }

    /// Renames `folder` to `<name>.kept-<pid>@<host>` (numbered when taken), without its marker;
    /// returns where it is.
    func keepVisibly(_ folder: String) -> String {
        for n in 1...9 {
            let kept = inside("\(name).kept-\(TemporaryName.ownSuffix())\(n == 1 ? "" : "-\(n)")", of: parent)
            if Self.move(folder, to: kept) == 0 {
                unlink(inside(Self.marker, of: kept))
                return kept
            }
        }
        return folder
    }

    /// For a folder without a marker: the tool's entries are those under a name a report writes
    /// (`fileNames`, with the figures and files of reports from before the marker) and the
    /// tool's temporaries; every other entry is the user's.
    static func ownedByName(_ folder: String) -> (tool: [String], user: [String]) {
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        let own = { (entry: String) in
            allNames.contains(entry) || legacyNames.contains(entry) || TemporaryName.owner(of: entry) != nil || entry == marker
        }
        return (entries.filter(own), entries.filter { !own($0) })
    }

    /// Every name a report of any sections writes.
    static let allNames = fileNames(experiments: Set(Catalogue.experiments.map(\.id)))

    /// Tidies what interrupted builds left beside the folder: a report moved aside by a process
    /// that died before putting the new one in place is put back; folders of dead processes are
    /// settled (the user's entries in them moved back into their report), their temporary files
    /// removed. Returns a line for each thing done.
    @discardableResult
    public func recoverInterruptedBuilds() -> [String] {
        var done: [String] = []
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []).sorted()
        for entry in entries where entry.hasPrefix(".\(name).old-") {
            let aside = inside(entry, of: parent)
            guard TemporaryName.isAbandoned(entry, at: aside, marker: "old"), Self.isOwn(aside, kind: S_IFDIR) else { continue }
            if InputFile.kind(path) == nil, rename(aside, path) == 0 {
                done.append("restored \(shownPath) from \(entry), left by an interrupted build")
            } else {
                done += describe(settle(aside), entry: entry, what: "an older report left by an interrupted build")
            }
        }
        for entry in entries where TemporaryName.isAbandoned(entry, at: inside(entry, of: parent)) {
            let temporary = inside(entry, of: parent)
            guard Self.isOwn(temporary, kind: S_IFDIR), let tail = entry.range(of: ".tmp-", options: .backwards) else {
                if Self.isOwn(temporary, kind: S_IFREG), unlink(temporary) == 0 {
                    done.append("removed \(entry), left by an interrupted process")
                }
                continue
            }
            // The report it was made for: `.<name>.tmp-…`.
            let report = ReportFolder(inside(String(entry[entry.index(after: entry.startIndex)..<tail.lowerBound]), of: parent))
            done += report.describe(report.settle(temporary), entry: entry, what: "a folder left by an interrupted build")
        }
        return done
    }

    /// Whether `path` itself (not what a link there points at) is of `kind` (S_IFDIR, S_IFREG)
    /// and owned by this process's user: only such entries can be what an interrupted run of
    /// this tool left. A link or another user's entry under a name like ours is left alone.
    static func isOwn(_ path: String, kind: mode_t) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == kind && info.st_uid == geteuid()
    }

    /// Lines for what `settle` did with `entry`.
    func describe(_ swap: Swap, entry: String, what: String) -> [String] {
        var lines = ["removed \(entry), \(what)"]
        if !swap.kept.isEmpty { lines = ["moved \(swap.kept.joined(separator: ", ")) from \(entry), \(what), back into \(shownPath)"] + lines }
        if let leftIn = swap.leftIn {
            lines = ["kept \(swap.left.joined(separator: ", ")) of yours from \(entry), \(what), in \(leftIn): move them where you want them"]
        }
        return lines
    }
}
