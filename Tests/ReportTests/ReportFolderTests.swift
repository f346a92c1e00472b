import Files
import Foundation
@testable import Report
import Testing

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

    @Test(arguments: ["..", ".", "", "a/b", "../x", ".latest"])
    func aNameMustBeOnePlainComponent(name: String) {
        #expect(throws: ReportError.self) { try ReportFolder.checkName(name) }
    }

    @Test func plainNamesAreAccepted() throws {
        for name in ["latest", "ci", "run-2026.11", "ci-baseline"] { try ReportFolder.checkName(name) }
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

    @Test func aRebuildReplacesItsOwnFilesAndKeepsTheUsers() throws {
        let reports = try reportsDirectory()
        let folder = ReportFolder(reports + "/latest")
        #expect(try folder.foreignEntries() == nil)
        try folder.install(try stage(folder, index: "first"), keeping: [])
        #expect(read(reports + "/latest/index.html") == "first")
        let marker = try #require(read(reports + "/latest/\(ReportFolder.marker)"))
        #expect(marker.contains("index.html\nresults.json\n"))

        write("my notes", reports + "/latest/notes.txt")
        let keep = try #require(try folder.foreignEntries())
        #expect(keep == ["notes.txt"])
        try folder.install(try stage(folder, index: "second"), keeping: keep)
        #expect(read(reports + "/latest/index.html") == "second")
        #expect(read(reports + "/latest/notes.txt") == "my notes")
        // Nothing left beside it: the old report went, no temporary remains.
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports) == ["latest"])
        // The kept file is still the user's, not listed as the tool's.
        #expect(try folder.foreignEntries() == ["notes.txt"])
    }

    @Test func aReportFromBeforeTheMarkerIsRecognised() throws {
        let reports = try reportsDirectory()
        try FileManager.default.createDirectory(atPath: reports + "/latest", withIntermediateDirectories: true)
        for name in ["index.html", "results.json", "fig-1.svg", "fig-1.png", "lenet5.safetensors", "todo.txt"] {
            write(name, reports + "/latest/" + name)
        }
        #expect(try ReportFolder(reports + "/latest").foreignEntries() == ["todo.txt"])
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
        try target.install(try stage(target, index: "first"), keeping: [])
        try FileManager.default.createSymbolicLink(atPath: reports + "/latest", withDestinationPath: real)
        let folder = ReportFolder(reports + "/latest")
        try folder.install(try stage(folder, index: "second"), keeping: try folder.foreignEntries() ?? [])
        #expect(read(real + "/index.html") == "second")
        let kind = try FileManager.default.attributesOfItem(atPath: reports + "/latest")[.type] as? FileAttributeType
        #expect(kind == .typeSymbolicLink)
    }
}
