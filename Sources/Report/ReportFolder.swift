import Assignment
import CSystemCalls
import Files
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The folder a report is written into, and the rules that keep a build from destroying anything
/// it did not make:
///
/// - A report's name is one plain path component (no `/`, not `.` or `..`, not hidden).
/// - A folder is replaced only when the tool wrote it: it holds the marker file `.mnist-report`,
///   which lists the files the tool wrote there (or, for reports from before the marker, holds
///   `index.html` and `results.json`). Any other non-empty folder is refused.
/// - Files in the folder that the tool did not write are kept: linked into the new folder.
/// - The new folder is assembled beside the old one and the two are exchanged in one step
///   (Linux `renameat2` with `RENAME_EXCHANGE`), so there is never a moment without a report.
///   Where the file system cannot exchange, the old folder is moved aside first; a later build
///   puts it back if the process died in between.
public struct ReportFolder {
    /// The marker's name, inside every folder the tool writes.
    public static let marker = ".mnist-report"

    /// The folder, with symbolic links resolved (a link to a folder is followed, not replaced).
    public let path: String
    /// The path as the user gave it, for messages.
    public let shownPath: String

    public init(_ path: String) {
        shownPath = path
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        self.path = URL(fileURLWithPath: (try? OutputFile.followLinks(absolute)) ?? absolute).standardizedFileURL.path
    }

    /// Checks that `name` names a report folder: one plain path component.
    /// - Throws: `ReportError` saying what is wrong with it.
    public static func checkName(_ name: String) throws {
        let problem: String? =
            name.isEmpty ? "it is empty"
            : name == "." || name == ".." ? "\"\(name)\" is not a folder of its own"
            : name.contains("/") ? "it holds \"/\"; give one folder name (--reports-dir sets where reports go)"
            : name.hasPrefix(".") ? "it starts with \".\", which the tool keeps for its temporary folders"
            : name.utf8.contains(0) || name.contains("\n") ? "it holds a control character"
            : nil
        if let problem { throw ReportError("--name \"\(name)\" cannot name a report: \(problem)") }
    }

    var parent: String { (path as NSString).deletingLastPathComponent }
    var name: String { (path as NSString).lastPathComponent }

    /// The entries of the existing folder that the tool did not write (kept across a rebuild),
    /// or nil when there is no folder yet.
    /// - Throws: `ReportError` when the path exists but is not a folder the tool may replace.
    public func foreignEntries() throws -> [String]? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return nil }
        guard isFolder.boolValue else {
            throw ReportError("\(shownPath) exists and is not a folder; choose another --name or move it away")
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw ReportError("\(shownPath): cannot list the folder (\(FileProblem.describe(error)))")
        }
        if entries.isEmpty { return [] }
        let markerPath = (path as NSString).appendingPathComponent(Self.marker)
        if let listed = try? String(contentsOfFile: markerPath, encoding: .utf8) {
            let written = Set(listed.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init))
            return entries.filter { $0 != Self.marker && !written.contains($0) }.sorted()
        }
        // A report written before the marker existed: its own files are the ones a report has now.
        if entries.contains("index.html"), entries.contains("results.json") {
            return entries.filter { !Self.legacyNames.contains($0) && !$0.hasSuffix(".svg") && !$0.hasSuffix(".png") }.sorted()
        }
        throw ReportError("""
            \(shownPath) exists and was not written by mnist-report (it has no \(Self.marker) marker and is not empty); \
            nothing was changed: choose another --name, or move the folder away
            """)
    }

    /// The files a report from before the marker held, besides its figures.
    static let legacyNames: Set<String> = Set(["index.html", "results.json", "comparison.md", "comparison.html"]
        + Catalogue.experiments.compactMap(\.savedModel))

    /// Tidies what interrupted builds left beside the folder: a report moved aside by a process
    /// that died before putting the new one in place is put back, and temporary folders and
    /// files of dead processes are removed. Returns a line for each thing done.
    @discardableResult
    public func recoverInterruptedBuilds() -> [String] {
        var done: [String] = []
        let manager = FileManager.default
        let prefix = ".\(name).old-"
        for entry in ((try? manager.contentsOfDirectory(atPath: parent)) ?? []).sorted() where entry.hasPrefix(prefix) {
            let aside = (parent as NSString).appendingPathComponent(entry)
            guard TemporaryName.isAbandoned(entry, at: aside, marker: "old") else { continue }
            if !manager.fileExists(atPath: path), rename(aside, path) == 0 {
                done.append("restored \(shownPath) from \(entry), left by an interrupted build")
            } else if manager.fileExists(atPath: path), (try? manager.removeItem(atPath: aside)) != nil {
                done.append("removed \(entry), an older report left by an interrupted build")
            }
        }
        for entry in TemporaryName.removeStale(in: parent) {
            done.append("removed \(entry), left by an interrupted process")
        }
        return done
    }

    /// Replaces the folder with `staging` (a complete report beside it): links the entries in
    /// `keep` from the old folder into the new one, writes the marker, then exchanges the two.
    func install(_ staging: String, keeping keep: [String]) throws {
        let manager = FileManager.default
        var written = ((try? manager.contentsOfDirectory(atPath: staging)) ?? []).sorted()
        written.removeAll { $0 == Self.marker }
        for entry in keep {
            let from = (path as NSString).appendingPathComponent(entry), to = (staging as NSString).appendingPathComponent(entry)
            guard !manager.fileExists(atPath: to) else { continue }
            // A hard link where possible (same file system, a file): the old folder's removal leaves it whole.
            if link(from, to) != 0 {
                do {
                    try manager.copyItem(atPath: from, toPath: to)
                } catch {
                    throw ReportError("\(shownPath): cannot keep \(entry) in the new report (\(FileProblem.describe(error))); nothing was changed")
                }
            }
        }
        let marker = "# Written by mnist-report. A new build of this report replaces the files listed below\n"
            + "# and keeps every other file in this folder.\n" + written.joined(separator: "\n") + "\n"
        try OutputFile.write(Array(marker.utf8), to: (staging as NSString).appendingPathComponent(Self.marker))

        guard manager.fileExists(atPath: path) else {
            guard system_calls_rename_no_replace(staging, path) == 0 || (errno == ENOSYS || errno == EINVAL) && rename(staging, path) == 0 else {
                throw ReportError("\(shownPath): cannot move the new report into place (\(String(cString: strerror(errno))))")
            }
            return
        }
        if system_calls_exchange(staging, path) == 0 {
            try? manager.removeItem(atPath: staging)   // now the old report
            return
        }
        guard errno == ENOSYS || errno == EINVAL else {
            throw ReportError("\(shownPath): cannot swap the new report in (\(String(cString: strerror(errno)))); the old one is unchanged")
        }
        // No exchange on this file system: move the old folder aside, the new one in, and
        // remove the old last (`recoverInterruptedBuilds` undoes a death in between).
        let aside = (parent as NSString).appendingPathComponent(".\(name).old-\(TemporaryName.ownSuffix())")
        guard rename(path, aside) == 0 else {
            throw ReportError("\(shownPath): cannot move the old report aside (\(String(cString: strerror(errno))))")
        }
        guard rename(staging, path) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = rename(aside, path)
            throw ReportError("\(shownPath): cannot move the new report into place (\(reason)); the old one is back")
        }
        try? manager.removeItem(atPath: aside)
    }
}
