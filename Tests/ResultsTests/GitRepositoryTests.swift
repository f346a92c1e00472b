import Foundation
import Testing
@testable import Results
import ReportFixtures

@Suite("git as the tool runs it")
struct GitRepositoryTests {
    /// git may say what it was doing before what failed: the message quotes the failure.
    @Test func aFailureIsQuotedByItsFatalOrErrorLine() {
        #expect(GitRepository.complaint("Preparing worktree (detached HEAD 1234567)\nfatal: '/w/worktree-1' already exists\n")
                == "fatal: '/w/worktree-1' already exists")
        #expect(GitRepository.complaint("hint: something\nerror: pathspec 'x' did not match\n") == "error: pathspec 'x' did not match")
        #expect(GitRepository.complaint("something odd happened\n") == "something odd happened")
        #expect(GitRepository.complaint("") == nil)
    }

    @Test func aWorktreeOverAnExistingFolderIsRefusedWithTheCause() throws {
        let git = try PlannedRuns.repository()
        try PlannedRuns.commit(nil, "first", in: git)
        let taken = try Fixtures.temporaryDirectory()
        try Data("x".utf8).write(to: URL(fileURLWithPath: taken + "/file"))
        let error = try #require(throws: ReportError.self) { try git.run(["worktree", "add", "--detach", taken, "HEAD"]) }
        #expect(error.description.contains("fatal: "), "\(error)")
        #expect(!error.description.contains("Preparing worktree"), "\(error)")
    }
}
