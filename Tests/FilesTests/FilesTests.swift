import Files
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// A fresh folder of its own for one test.
func scratchFolder() throws -> String {
    let path = NSTemporaryDirectory() + "files-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite("Reading files handed to the tool")
struct InputFileTests {
    @Test func readsARegularFile() throws {
        let folder = try scratchFolder()
        let path = folder + "/a.bin"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        #expect(try InputFile.read(path, limit: 3) == [1, 2, 3])
    }

    @Test func refusesAFileLargerThanTheLimit() throws {
        let folder = try scratchFolder()
        let path = folder + "/big.bin"
        try Data(repeating: 7, count: 2048).write(to: URL(fileURLWithPath: path))
        #expect(throws: FileProblem(path, "is larger than 1 KiB, the most accepted for a model file")) {
            try InputFile.read(path, limit: 1024, what: "a model file")
        }
    }

    @Test func namesAFolderAFIFOAndADevice() throws {
        let folder = try scratchFolder()
        #expect(throws: FileProblem(folder, "is a folder, not a regular file")) { try InputFile.read(folder, limit: 10) }
        let fifo = folder + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        // Without a writer, a blocking open would wait forever: the read must return at once.
        #expect(throws: FileProblem(fifo, "is a named pipe (FIFO), not a regular file")) { try InputFile.read(fifo, limit: 10) }
        #expect(throws: FileProblem("/dev/zero", "is a character device, not a regular file")) {
            try InputFile.read("/dev/zero", limit: 10)
        }
        #expect(throws: FileProblem(folder + "/none", "cannot open: no such file or folder")) {
            try InputFile.read(folder + "/none", limit: 10)
        }
    }
}

@Suite("Writing where the user points")
struct OutputFileTests {
    @Test func replacesARegularFileKeepingItsMode() throws {
        let folder = try scratchFolder()
        let path = folder + "/out.txt"
        try OutputFile.write(Array("old".utf8), to: path)
        #expect(chmod(path, 0o600) == 0)
        try OutputFile.write(Array("new".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out.txt"])   // no temporary left
    }

    @Test func writesThroughASymbolicLink() throws {
        let folder = try scratchFolder()
        try FileManager.default.createDirectory(atPath: folder + "/real", withIntermediateDirectories: true)
        try "old".write(toFile: folder + "/real/target.md", atomically: false, encoding: .utf8)
        #expect(symlink("real/target.md", folder + "/link.md") == 0)
        try OutputFile.write(Array("new".utf8), to: folder + "/link.md")
        #expect(try String(contentsOfFile: folder + "/real/target.md", encoding: .utf8) == "new")
        let kind = try FileManager.default.attributesOfItem(atPath: folder + "/link.md")[.type] as? FileAttributeType
        #expect(kind == .typeSymbolicLink)
        // A dangling link: its target is created.
        #expect(symlink(folder + "/real/new.md", folder + "/dangling.md") == 0)
        try OutputFile.write(Array("made".utf8), to: folder + "/dangling.md")
        #expect(try String(contentsOfFile: folder + "/real/new.md", encoding: .utf8) == "made")
    }

    @Test func writesIntoADeviceInsteadOfReplacingIt() throws {
        try OutputFile.write(Array("discarded".utf8), to: "/dev/null")
        let kind = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType
        #expect(kind == .typeCharacterSpecial)
    }

    @Test func refusesAFolder() throws {
        let folder = try scratchFolder()
        #expect(throws: FileProblem(folder, "is a folder; give the name of a file to write")) {
            try OutputFile.write([1], to: folder)
        }
    }
}

@Suite("Temporary names")
struct TemporaryNameTests {
    @Test func readsTheOwnerFromANameOfOurs() {
        #expect(TemporaryName.owner(of: ".results.json.tmp-123-4") == 123)
        #expect(TemporaryName.owner(of: ".latest.tmp-77") == 77)
        #expect(TemporaryName.owner(of: "results.json.tmp-123") == nil)     // not hidden: not ours
        #expect(TemporaryName.owner(of: ".notes.tmp-abc") == nil)
        #expect(TemporaryName.owner(of: ".tmp-12") == nil)                  // nothing before the marker
        #expect(TemporaryName.owner(of: ".results.json.tmp-123-4@node_7.lan") == 123)
        #expect(TemporaryName.host(of: ".results.json.tmp-123-4@node_7.lan") == "node_7.lan")
        #expect(TemporaryName.host(of: ".results.json.tmp-123-4") == nil)
        #expect(TemporaryName.beside("/x/a.json").hasSuffix("@\(TemporaryName.host)"))
        #expect(!TemporaryName.host.contains("-") && !TemporaryName.host.contains("@") && !TemporaryName.host.contains("/"))
    }

    /// Issue 18: a build on host B must not remove host A's live temporary in a shared cache.
    @Test func anotherHostsTemporaryIsLeftAloneUntilItIsADayOld() throws {
        let folder = try scratchFolder()
        let fresh = ".a.json.tmp-1-1@another_host", stale = ".b.json.tmp-1-1@another_host"
        for name in [fresh, stale] { FileManager.default.createFile(atPath: folder + "/" + name, contents: Data()) }
        let old = Date().addingTimeInterval(-TemporaryName.foreignAge - 60)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: folder + "/" + stale)
        #expect(TemporaryName.removeStale(in: folder) == [stale])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [fresh])
    }

    @Test func removesOnlyTheLeftoversOfDeadProcesses() throws {
        let folder = try scratchFolder()
        // A child that has exited: its pid names a dead process.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        let names = [".a.json.tmp-\(dead)-1", ".a.json.tmp-\(getpid())-1", ".keep.tmp-x", "plain.txt"]
        for name in names { FileManager.default.createFile(atPath: folder + "/" + name, contents: Data()) }
        try FileManager.default.createDirectory(atPath: folder + "/.latest.tmp-\(dead)", withIntermediateDirectories: true)
        let removed = TemporaryName.removeStale(in: folder)
        #expect(removed == [".a.json.tmp-\(dead)-1", ".latest.tmp-\(dead)"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
                == [".a.json.tmp-\(getpid())-1", ".keep.tmp-x", "plain.txt"])
    }
}
