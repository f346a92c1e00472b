import Files
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

@Suite("Writing files into a folder the user named")
struct FolderWriterTests {
    func text(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    @Test func writesNewFilesAndLeavesNoTemporary() throws {
        let folder = try scratchFolder()
        let writer = FolderWriter(folder: folder, option: "--out", replacing: false)
        try writer.checkFree(["a.txt", "b.txt"])
        try writer.write(Array("A".utf8), named: "a.txt")
        #expect(text(folder + "/a.txt") == "A")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["a.txt"])
    }

    @Test func aFileOfTheUsersIsRefusedBeforeAnythingIsWritten() throws {
        let folder = try scratchFolder()
        try Data("mine".utf8).write(to: URL(fileURLWithPath: folder + "/b.txt"))
        let writer = FolderWriter(folder: folder, option: "--out", replacing: false)
        let error = try #require(throws: FileProblem.self) { try writer.checkFree(["a.txt", "b.txt"]) }
        #expect(error.description.hasPrefix("\(folder)/b.txt: already exists; nothing was written: give --force"))
        // Planted between the check and the write: still not replaced.
        #expect(throws: FileProblem.self) { try writer.write(Array("new".utf8), named: "b.txt") }
        #expect(text(folder + "/b.txt") == "mine")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["b.txt"])
    }

    @Test func aPlantedLinkIsNeverFollowed() throws {
        let (folder, outside) = (try scratchFolder(), try scratchFolder())
        try Data("victim".utf8).write(to: URL(fileURLWithPath: outside + "/target"))
        #expect(symlink(outside + "/target", folder + "/0-label7.png") == 0)
        let careful = FolderWriter(folder: folder, option: "--out", replacing: false)
        #expect(throws: FileProblem.self) { try careful.checkFree(["0-label7.png"]) }
        #expect(throws: FileProblem.self) { try careful.write(Array("png".utf8), named: "0-label7.png") }
        // --force replaces the link itself with a file; its target is untouched.
        try FolderWriter(folder: folder, option: "--out", replacing: true).write(Array("png".utf8), named: "0-label7.png")
        var info = stat()
        #expect(lstat(folder + "/0-label7.png", &info) == 0 && info.st_mode & S_IFMT == S_IFREG)
        #expect(text(folder + "/0-label7.png") == "png")
        #expect(text(outside + "/target") == "victim")
    }

    @Test func newFilesRespectTheUmask() throws {
        let folder = try scratchFolder()
        let previous = umask(0o077)
        defer { umask(previous) }
        try FolderWriter(folder: folder, option: "--out", replacing: false).write(Array("x".utf8), named: "private.txt")
        try OutputFile.write(Array("y".utf8), to: folder + "/saved.json")
        for name in ["private.txt", "saved.json"] {
            var info = stat()
            #expect(stat(folder + "/" + name, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o600, "\(name): \(String(info.st_mode & 0o777, radix: 8))")
        }
    }
}
