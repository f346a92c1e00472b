import Results
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
/// - A report's name is one plain path component (no `/`, not `.` or `..`, not hidden, no
///   control character) short enough for the temporary names made beside it.
/// - A folder is replaced only when the tool wrote it: it holds the marker file `.mnist-report`,
///   which lists the files the tool wrote there. Any other non-empty folder is refused (`render`
///   adopts one holding nothing but a `results.json`, `adoptResultsAlone`).
/// - Every other entry of the folder is the user's. A build that would write a file of the same
///   name is refused before any work (`checkBeforeWork`); at the swap, the user's entries are
///   moved (renamed, never copied) into the new folder, so sub-folders keep their times.
/// - The new folder is assembled beside the old one and the two are exchanged in one step
///   (Linux `renameat2` with `RENAME_EXCHANGE`), so there is never a moment without a report.
///   The old folder is then looked at once more: an entry of the user's that appeared since is
///   moved too. The old folder is removed file by file, only its listed files, then with `rmdir`,
///   which removes nothing but an empty folder; a folder still holding an entry of the user's is
///   renamed to `<name>.kept-<pid>@<host>` and the output names it (`ReportFolder+Swap.swift`).
public struct ReportFolder {
    /// The marker's name, inside every folder the tool writes.
    public static let marker = ".mnist-report"

    /// The longest report name, in bytes: the file system's 255 less what the longest temporary
    /// name made beside the folder adds (`TemporaryName.longestAddition`).
    public static let maximumNameBytes = 255 - TemporaryName.longestAddition

    /// The folder, with symbolic links resolved (a link to a folder is followed, not replaced).
    public let path: String
    /// The path as the user gave it, for messages.
    public let shownPath: String

    public init(_ path: String) {
        shownPath = path
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        self.path = URL(fileURLWithPath: (try? OutputFile.followLinks(absolute)) ?? absolute).standardizedFileURL.path
    }

    /// Checks that `name` names a report folder: one plain path component that the file system
    /// accepts with the temporary names made beside it.
    /// - Throws: `ReportError` saying what is wrong with it.
    public static func checkName(_ name: String) throws {
        let control = name.unicodeScalars.first { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
        let problem: String? =
            name.isEmpty ? "it is empty"
            : name == "." || name == ".." ? "\"\(name)\" is not a folder of its own"
            : name.contains("/") ? "it holds \"/\"; give one folder name (--reports-dir sets where reports go)"
            : name.hasPrefix(".") ? "it starts with \".\", which the tool keeps for its temporary folders"
            : control != nil ? "it holds the control character \"\(control!.escaped(asASCII: true))\"; use letters, digits, '-', '_' and '.'"
            : name.utf8.count > maximumNameBytes
                ? "it is \(name.utf8.count) bytes long; a report name may be at most \(maximumNameBytes) bytes "
                  + "(the file system's 255, less \(TemporaryName.longestAddition) for the temporary names made beside the folder)"
            : nil
        if let problem { throw ReportError("--name \(RawJSON.quote(name)) cannot name a report: \(problem)") }
    }

    var parent: String { PathText.parent(path) }
    var name: String { PathText.last(path) }

    func inside(_ entry: String, of folder: String? = nil) -> String {
        ((folder ?? path) as NSString).appendingPathComponent(entry)
    }

    /// The entries of the existing folder that the tool did not write (moved into the new folder
    /// at a rebuild), or nil when there is no folder yet.
    /// - Throws: `ReportError` when the path exists but is not a folder the tool may replace.
    public func foreignEntries() throws -> [String]? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return nil }
        guard isFolder.boolValue else {
            throw ReportError("\(shownPath) exists and is not a folder; choose another --name or move it away")
        }
        do {
            _ = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw ReportError("\(shownPath): cannot list the folder (\(FileProblem.describe(error)))")
        }
        guard let parts = Self.partition(path) else {
            throw ReportError("""
                \(shownPath) exists and was not written by mnist-report (it has no \(Self.marker) marker and is not empty); \
                nothing was changed: choose another --name, or move the folder away
                """)
        }
        return parts.user
    }

    /// Makes a folder whose only entry is a results file a report to render, as a user gets one
    /// from history (`git show REV:reports/latest/results.json > old/results.json`): writes the
    /// marker into it, listing that file as the report's. Nothing is replaced; any other folder
    /// is left as it is.
    /// - Returns: whether the folder was adopted.
    public func adoptResultsAlone() throws -> Bool {
        guard holdsResultsAlone else { return false }
        let marker = "# A results file alone, adopted by mnist-report render: its report is written beside it.\nresults.json\n"
        try OutputFile.write(Array(marker.utf8), to: inside(Self.marker))
        return true
    }

    /// Whether the folder holds nothing but a regular `results.json` (no marker): what
    /// ``adoptResultsAlone()`` adopts.
    public var holdsResultsAlone: Bool {
        InputFile.kind(inside(Self.marker)) == nil
            && (try? FileManager.default.contentsOfDirectory(atPath: path)) == ["results.json"]
            && InputFile.kind(inside("results.json")) == .regular
    }

    /// Undoes ``adoptResultsAlone()`` when the render it was for failed: the folder is left
    /// holding its `results.json` alone, as it was.
    public func abandonAdoption() {
        unlink(inside(Self.marker))
    }

    /// The checks a build or a render makes before any work: tidies what interrupted builds
    /// left (returning a line for each thing done), refuses a folder the tool did not make, an
    /// entry of the user's with a name the new report writes (`names`), and a folder or parent
    /// that cannot be written.
    /// - Throws: `ReportError` naming the file or folder and how to proceed; nothing was changed.
    public func checkBeforeWork(writing names: Set<String>) throws -> [String] {
        let done = recoverInterruptedBuilds()
        let user = try foreignEntries()
        if let clash = user?.filter(names.contains).sorted(), !clash.isEmpty {
            throw ReportError("""
                \(shownPath) holds \(clash.count == 1 ? "a file" : "files") of yours that this report writes: \(clash.joined(separator: ", ")) \
                (not listed in its \(Self.marker)); nothing was changed and nothing trained: rename or move \(clash.count == 1 ? "it" : "them") \
                out of the folder, or choose another --name
                """)
        }
        // A folder moves to another parent only if it can be written (its ".." is rewritten).
        for entry in user ?? [] {
            var info = stat()
            let at = inside(entry)
            if lstat(at, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, access(at, W_OK) != 0 {
                throw ReportError("""
                    \(inside(entry, of: shownPath)) is a folder of yours that cannot be written, so it cannot be moved into the new \
                    report (moving a folder rewrites its ".."); nothing was changed and nothing trained: make it writable \
                    (chmod u+w), or move it out of the report folder
                    """)
            }
        }
        // The new folder is made beside the old one; the nearest folder that exists must take it.
        var existing = parent
        while InputFile.kind(existing) == nil, existing != "/", !existing.isEmpty { existing = PathText.parent(existing) }
        if existing.isEmpty { existing = "." }
        do {
            try OutputFolder.checkWritable(existing)
            if user != nil { try OutputFolder.checkWritable(path) }
        } catch let problem as FileProblem {
            let why = problem.path == path ? "the files of yours in it are moved into the new report"
                : "the new report is assembled there, beside \(shownPath), and swapped in"
            throw ReportError("\(problem.description): \(why); nothing was changed and nothing trained: "
                              + "make it writable, or choose another --reports-dir")
        }
        return done
    }

    /// The tool's entries and the user's in `folder`, by its marker; nil when the folder is
    /// neither empty nor the tool's (a folder without the marker is the user's, whatever names
    /// it holds: an `index.html` and a `results.json` do not make it a report). The marker
    /// itself counts as the tool's.
    static func partition(_ folder: String) -> (tool: [String], user: [String])? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        let written: Set<String>
        if let listed = try? InputFile.read((folder as NSString).appendingPathComponent(marker), limit: 1 << 20) {
            written = Set(String(decoding: listed, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init))
                .union([marker])
        } else if entries.isEmpty {
            written = []
        } else {
            return nil
        }
        return (entries.filter(written.contains).sorted(), entries.filter { !written.contains($0) }.sorted())
    }

    /// The files a report from before the marker held, besides its figures.
    static let legacyNames: Set<String> = Set(["index.html", "results.json", "comparison.md", "comparison.html"]
        + Catalogue.experiments.compactMap(\.savedModel))

    /// Every file a report of the given sections may write: `index.html`, `results.json`, the
    /// figures (SVG and PNG) of the chapters shown and the experiments' saved models.
    /// - Parameter experiments: the ids of the experiments the report holds.
    public static func fileNames(experiments: Set<String>) -> Set<String> {
        var names: Set<String> = ["index.html", "results.json"]
        for chapter in Catalogue.chapters where chapter.experiment.map({ experiments.contains($0.id) }) ?? true {
            for figure in chapter.figures { names.formUnion([figure.rawValue + ".svg", figure.rawValue + ".png"]) }
            if let saved = chapter.experiment?.savedModel { names.insert(saved) }
        }
        return names
    }
}
