import Files
import Foundation
@testable import Results
import ReportFixtures
@testable import Rendering
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Report folders: what a build may replace")
struct ReportFolderTests {
    /// A fresh reports directory.
    func reportsDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "report-folder-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func write(_ text: String, _ path: String) {
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    /// A staged report beside `folder`, as the writer makes it.
    func stage(_ folder: ReportFolder, index: String) throws -> String {
        let staging = TemporaryName.beside(folder.path)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        write(index, staging + "/index.html")
        write("{}", staging + "/results.json")
        return staging
    }

    /// The pid of a process that has exited.
    func deadProcess() throws -> Int32 {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        return child.processIdentifier
    }

    @Test(arguments: ["..", ".", "", "a/b", "../x", ".latest", "a\u{0}b", "a\nb", "title\u{1B}]0;x\u{7}", "del\u{7F}",
                      "c1\u{9B}", String(repeating: "x", count: ReportFolder.maximumNameBytes + 1),
                      String(repeating: "é", count: ReportFolder.maximumNameBytes / 2 + 1)])
    func aNameMustBeOnePlainComponent(name: String) {
        #expect(throws: ReportError.self) { try ReportFolder.checkName(name) }
    }

    @Test func plainNamesAreAccepted() throws {
        for name in ["latest", "ci", "run-2026.11", "ci-baseline", "résumé", String(repeating: "x", count: ReportFolder.maximumNameBytes)] {
            try ReportFolder.checkName(name)
        }
    }

    @Test func aLongNameIsRefusedWithTheLimit() throws {
        let error = try #require(throws: ReportError.self) { try ReportFolder.checkName(String(repeating: "x", count: 300)) }
        #expect(error.description.contains("300 bytes long; a report name may be at most 163 bytes"), "\(error)")
        // A temporary beside the longest name still fits the file system's 255 bytes.
        let longest = "/r/" + String(repeating: "x", count: ReportFolder.maximumNameBytes)
        let temporary = (TemporaryName.beside(longest) as NSString).lastPathComponent
        #expect(temporary.utf8.count <= 255)
        #expect(temporary.utf8.count - ReportFolder.maximumNameBytes <= TemporaryName.longestAddition)
    }

    @Test func aFolderTheToolDidNotMakeIsRefusedAndLeftAlone() throws {
        let reports = try reportsDirectory()
        try FileManager.default.createDirectory(atPath: reports + "/mine", withIntermediateDirectories: true)
        write("precious", reports + "/mine/thesis.tex")
        let folder = ReportFolder(reports + "/mine")
        let error = try #require(throws: ReportError.self) { try folder.foreignEntries() }
        #expect(error.description.contains("was not written by mnist-report"))
        #expect(read(reports + "/mine/thesis.tex") == "precious")
    }

    /// `git show REV:reports/latest/results.json > old/results.json`, then `render old`.
    @Test func aFolderHoldingOnlyAResultsFileIsAdoptedForRendering() throws {
        let reports = try reportsDirectory()
        try FileManager.default.createDirectory(atPath: reports + "/old", withIntermediateDirectories: true)
        write("{\"run\": 1}", reports + "/old/results.json")
        let folder = ReportFolder(reports + "/old")
        #expect(throws: ReportError.self) { try folder.foreignEntries() }
        #expect(try folder.adoptResultsAlone())
        #expect(try folder.foreignEntries() == [])
        #expect(read(reports + "/old/results.json") == "{\"run\": 1}")
        #expect(try !folder.adoptResultsAlone())   // once is enough: it has its marker now
        // Anything beside the results file, and the folder is the user's.
        try FileManager.default.createDirectory(atPath: reports + "/notes", withIntermediateDirectories: true)
        write("{}", reports + "/notes/results.json")
        write("mine", reports + "/notes/todo.txt")
        #expect(try !ReportFolder(reports + "/notes").adoptResultsAlone())
        #expect(throws: ReportError.self) { try ReportFolder(reports + "/notes").foreignEntries() }
    }

    @Test func aRebuildReplacesItsOwnFilesAndKeepsTheUsers() throws {
        let reports = try reportsDirectory()
        let folder = ReportFolder(reports + "/latest")
        #expect(try folder.foreignEntries() == nil)
        _ = try folder.install(try stage(folder, index: "first"))
        #expect(read(reports + "/latest/index.html") == "first")
        let marker = try #require(read(reports + "/latest/\(ReportFolder.marker)"))
        #expect(marker.contains("index.html\nresults.json\n"))

        write("my notes", reports + "/latest/notes.txt")
        #expect(try folder.foreignEntries() == ["notes.txt"])
        let swap = try folder.install(try stage(folder, index: "second"))
        #expect(swap.kept == ["notes.txt"] && swap.leftIn == nil)
        #expect(read(reports + "/latest/index.html") == "second")
        #expect(read(reports + "/latest/notes.txt") == "my notes")
        // Nothing left beside it: the old report went, no temporary remains.
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports) == ["latest"])
        // The kept file is still the user's, not listed as the tool's.
        #expect(try folder.foreignEntries() == ["notes.txt"])
    }

    /// The names of a report do not make a folder the tool's: only its marker does.
    @Test func aFolderWithAReportsNamesButNoMarkerIsTheUsers() throws {
        let reports = try reportsDirectory()
        try FileManager.default.createDirectory(atPath: reports + "/site", withIntermediateDirectories: true)
        let names = ["comparison.md", "fig-1.png", "index.html", "results.json"]
        for name in names { write("mine: " + name, reports + "/site/" + name) }
        let error = try #require(throws: ReportError.self) { try ReportFolder(reports + "/site").foreignEntries() }
        #expect(error.description.contains("was not written by mnist-report (it has no .mnist-report marker"))
        #expect(throws: ReportError.self) { try ReportFolder(reports + "/site").checkBeforeWork(writing: ["index.html"]) }
        #expect(try !ReportFolder(reports + "/site").adoptResultsAlone())
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports + "/site").sorted() == names)
        for name in names { #expect(read(reports + "/site/" + name) == "mine: " + name) }
    }

    /// A render that fails after adopting a results file alone leaves the folder as it was.
    @Test func anAbandonedAdoptionLeavesTheResultsAlone() throws {
        let reports = try reportsDirectory()
        try FileManager.default.createDirectory(atPath: reports + "/old", withIntermediateDirectories: true)
        write("{}", reports + "/old/results.json")
        let folder = ReportFolder(reports + "/old")
        #expect(folder.holdsResultsAlone)
        #expect(try folder.adoptResultsAlone())
        #expect(!folder.holdsResultsAlone)
        folder.abandonAdoption()
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports + "/old") == ["results.json"])
    }

    /// A file of the new report takes the permissions of the one it replaces: read-only stays read-only.
    @Test func aReplacedFileKeepsItsPermissions() throws {
        let reports = try reportsDirectory()
        for folder in ["/old", "/new"] { try FileManager.default.createDirectory(atPath: reports + folder, withIntermediateDirectories: true) }
        write("{}", reports + "/old/results.json")
        chmod(reports + "/old/results.json", 0o444)
        write("{}", reports + "/new/results.json")
        chmod(reports + "/new/results.json", 0o640)
        write("<html>", reports + "/new/index.html")
        chmod(reports + "/new/index.html", 0o640)
        ReportWriter.keepModes(of: reports + "/old", in: reports + "/new")
        let mode = { (path: String) in ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int) ?? -1 }
        #expect(mode(reports + "/new/results.json") == 0o444)
        #expect(mode(reports + "/new/index.html") == 0o640)   // nothing to keep: as written
    }

    @Test func aReportMovedAsideByADeadBuildIsPutBack() throws {
        let reports = try reportsDirectory()
        let dead = try deadProcess()
        try FileManager.default.createDirectory(atPath: reports + "/.latest.old-\(dead)", withIntermediateDirectories: true)
        write("old report", reports + "/.latest.old-\(dead)/index.html")
        try FileManager.default.createDirectory(atPath: reports + "/.latest.tmp-\(dead)-3", withIntermediateDirectories: true)
        let done = ReportFolder(reports + "/latest").recoverInterruptedBuilds()
        #expect(done.count == 2)
        #expect(read(reports + "/latest/index.html") == "old report")
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports) == ["latest"])
    }

    @Test func aLinkToAReportFolderIsFollowedNotReplaced() throws {
        let reports = try reportsDirectory()
        let real = try reportsDirectory() + "/published"
        let target = ReportFolder(real)
        _ = try target.install(try stage(target, index: "first"))
        try FileManager.default.createSymbolicLink(atPath: reports + "/latest", withDestinationPath: real)
        let folder = ReportFolder(reports + "/latest")
        _ = try folder.install(try stage(folder, index: "second"))
        #expect(read(real + "/index.html") == "second")
        let kind = try FileManager.default.attributesOfItem(atPath: reports + "/latest")[.type] as? FileAttributeType
        #expect(kind == .typeSymbolicLink)
    }

    // MARK: the user's files are never lost

    /// A report folder of the tool's, holding `index` and the user's `entries`.
    func report(_ reports: String, user entries: [String] = []) throws -> ReportFolder {
        let folder = ReportFolder(reports + "/latest")
        _ = try folder.install(try stage(folder, index: "first"))
        for entry in entries { write("mine: \(entry)", folder.path + "/" + entry) }
        return folder
    }

    @Test func aFileOfTheUsersUnderANameTheReportWritesIsRefusedBeforeWork() throws {
        let reports = try reportsDirectory()
        let folder = try report(reports, user: ["lenet5.safetensors", "fig-3-1-accuracy.png", "notes.md"])
        let names = ReportFolder.fileNames(experiments: ["2.3", "3.1"])
        let error = try #require(throws: ReportError.self) { try folder.checkBeforeWork(writing: names) }
        #expect(error.description.contains("fig-3-1-accuracy.png, lenet5.safetensors"), "\(error)")
        #expect(!error.description.contains("notes.md"))
        #expect(read(folder.path + "/lenet5.safetensors") == "mine: lenet5.safetensors")
        // A report of 2.3 alone writes neither: they are kept.
        _ = try folder.checkBeforeWork(writing: ReportFolder.fileNames(experiments: ["2.3"]))
    }

    @Test func theNamesOfAReportFollowItsSections() {
        let names = ReportFolder.fileNames(experiments: ["2.3"])
        #expect(names.isSuperset(of: ["index.html", "results.json", "fig-1-digits.svg", "fig-2-3-accuracy.png"]))
        #expect(!names.contains("lenet5.safetensors") && !names.contains("fig-3-1-accuracy.png"))
        #expect(ReportFolder.fileNames(experiments: ["3.1"]).contains("lenet5.safetensors"))
    }

    @Test func aFileSavedDuringTheBuildIsKept() throws {
        let reports = try reportsDirectory()
        let folder = try report(reports)
        let staging = try stage(folder, index: "second")
        write("saved while rendering", folder.path + "/late.txt")   // after the staged folder was made
        let swap = try folder.install(staging)
        #expect(swap.kept == ["late.txt"])
        #expect(read(folder.path + "/late.txt") == "saved while rendering")
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports) == ["latest"])
    }

    @Test func aFileSavedDuringTheBuildUnderAReportsNameStopsTheSwap() throws {
        let reports = try reportsDirectory()
        let folder = try report(reports)
        let staging = try stage(folder, index: "second")
        write("mine", folder.path + "/results.txt")
        try FileManager.default.removeItem(atPath: folder.path + "/index.html")
        write("my own page", folder.path + "/index.html")
        // The marker lists index.html as the tool's: the user's edit of the tool's file is replaced.
        _ = try folder.install(staging)
        #expect(read(folder.path + "/index.html") == "second")
        #expect(read(folder.path + "/results.txt") == "mine")
    }

    @Test func aSubFolderOfTheUsersIsMovedWithItsTimes() throws {
        let reports = try reportsDirectory()
        let folder = try report(reports)
        let sub = folder.path + "/data"
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: false)
        write("x", sub + "/a.csv")
        let old = Date(timeIntervalSince1970: 1_600_000_000)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: sub + "/a.csv")
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: sub)
        let inode = try FileManager.default.attributesOfItem(atPath: sub)[.systemFileNumber] as? Int
        _ = try folder.install(try stage(folder, index: "second"))
        let after = try FileManager.default.attributesOfItem(atPath: sub)
        #expect(after[.systemFileNumber] as? Int == inode)   // the same folder, renamed, not a copy
        #expect(after[.modificationDate] as? Date == old)
        #expect(try FileManager.default.attributesOfItem(atPath: sub + "/a.csv")[.modificationDate] as? Date == old)
    }

    @Test func aFileThatReachesTheOldFolderAfterTheExchangeIsMovedIn() throws {
        let reports = try reportsDirectory()
        let folder = try report(reports)
        // The old folder as an exchange leaves it: the old marker, the old files, and a late file.
        let old = try stage(folder, index: "old")
        try FileManager.default.copyItem(atPath: folder.path + "/" + ReportFolder.marker, toPath: old + "/" + ReportFolder.marker)
        write("late", old + "/late.txt")
        let swap = folder.settle(old)
        #expect(swap.kept == ["late.txt"] && swap.leftIn == nil)
        #expect(read(folder.path + "/late.txt") == "late")
        #expect(read(folder.path + "/index.html") == "first")
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports) == ["latest"])
    }

    @Test func aLateFileThatCannotBeMovedInKeepsTheOldFolderUnderAVisibleName() throws {
        let reports = try reportsDirectory()
        let folder = try report(reports, user: ["notes.md"])
        let old = try stage(folder, index: "old")
        try FileManager.default.copyItem(atPath: folder.path + "/" + ReportFolder.marker, toPath: old + "/" + ReportFolder.marker)
        write("my notes, later", old + "/notes.md")   // the new report has a notes.md already
        let swap = folder.settle(old)
        let kept = try #require(swap.leftIn)
        #expect(swap.left == ["notes.md"])
        #expect(!(kept as NSString).lastPathComponent.hasPrefix("."))
        #expect(try FileManager.default.contentsOfDirectory(atPath: kept) == ["notes.md"])
        #expect(read(kept + "/notes.md") == "my notes, later")
        #expect(read(folder.path + "/notes.md") == "mine: notes.md")
    }

    /// A report folder `latest`, and the staged folder of a dead build beside it holding `files`.
    func deadBuild(_ files: [String: String]) throws -> (reports: String, folder: ReportFolder) {
        let reports = try reportsDirectory()
        let folder = try report(reports)
        let staged = reports + "/.latest.tmp-\(try deadProcess())-1@\(TemporaryName.host)"
        try FileManager.default.createDirectory(atPath: staged, withIntermediateDirectories: false)
        for (name, text) in files { write(text, staged + "/" + name) }
        return (reports, folder)
    }

    @Test func theUsersFilesInTheStagedFolderOfADeadBuildGoBack() throws {
        // A build died after moving notes.md into its staged folder, before the exchange.
        let (reports, folder) = try deadBuild(["index.html": "second", ReportFolder.marker: "# marker\nindex.html\n", "notes.md": "my notes"])
        let done = folder.recoverInterruptedBuilds()
        #expect(done.contains { $0.contains("moved notes.md") }, "\(done)")
        #expect(read(folder.path + "/notes.md") == "my notes")
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports) == ["latest"])
    }

    @Test func aFolderWithoutAMarkerIsToldApartByName() throws {
        // Rendered files and a temporary are the tool's; anything else is kept as the user's.
        let (reports, folder) = try deadBuild(["fig-1-digits.svg": "<svg/>", ".index.html.tmp-1-1@h": "", "late.txt": "mine"])
        _ = folder.recoverInterruptedBuilds()
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports) == ["latest"])
        #expect(read(folder.path + "/late.txt") == "mine")
        #expect(InputFile.kind(folder.path + "/fig-1-digits.svg") == nil)
    }
}
