import Files
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

@Suite("Why a path cannot be used, in words")
struct FileProblemTests {
    @Test func aMissingPathSaysWhy() throws {
        let folder = try scratchFolder()
        #expect(FileProblem.whyMissing(folder + "/none", what: "cache folder") == "no such cache folder")
        #expect(symlink("loop", folder + "/loop") == 0)
        #expect(FileProblem.whyMissing(folder + "/loop").hasPrefix("is a loop of symbolic links"))
        #expect(symlink(folder + "/nowhere", folder + "/dangling") == 0)
        #expect(FileProblem.whyMissing(folder + "/dangling") == "is a symbolic link to \"\(folder)/nowhere\", which does not exist")
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/file"))
        #expect(FileProblem.whyMissing(folder + "/file/sub/x") == "its part \(folder)/file is a regular file, not a folder")
    }

    /// /proc exists and is a folder, yet takes no new files: not "no such file or folder".
    @Test func aVirtualFileSystemIsNamedAsSuch() throws {
        guard InputFile.kind("/proc") == .directory else { return }
        let error = try #require(throws: FileProblem.self) { try OutputFolder.checkWritable("/proc") }
        #expect(error.description.contains("takes no new files"), "\(error)")
    }
}
