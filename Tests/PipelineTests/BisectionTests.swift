import Foundation
import Testing
@testable import Results
import ReportFixtures
@testable import Pipeline
@testable import Rendering

/// A probe that "builds and trains" a commit by reading the results committed there, and fails
/// to build the commits it is told to; it records what it was asked.
final class StubProbe: BisectProbe, @unchecked Sendable {
    let git: GitRepository
    let broken: Set<String>
    var asked: [String] = []

    init(git: GitRepository, broken: Set<String> = []) { (self.git, self.broken) = (git, broken) }

    func probe(commit: String) -> ProbeOutcome {
        asked.append(commit)
        if broken.contains(commit) { return .skipped("does not build (stub)") }
        do {
            return .results(try RunReference.load(commit, repository: git.directory).0)
        } catch {
            return .skipped("no results: \(error)")
        }
    }
}

@Suite("Bisecting a change")
struct BisectionTests {
    /// A repository of `count` commits after GOOD whose 3.1 loses 300 images from commit `change` on
    /// (GOOD is commit 0); 2.3 changes seed at every commit but keeps its accuracy's noise only.
    static func repository(count: Int, change: Int) throws -> (GitRepository, [String]) {
        let git = try PlannedRuns.repository()
        let base = PlannedRuns.base()
        var hashes: [String] = []
        for index in 0...count {
            var run = base
            if index >= change {
                let i31 = PlannedRuns.index("3.1", in: run)
                let wrong = Set(stride(from: 0, to: PlannedRuns.labels.count, by: 100)).union((0..<PlannedRuns.labels.count).filter { $0 % 100 == 1 }.prefix(300))
                run.trainings[i31] = PlannedRuns.retrained(run.trainings[i31], wrong: wrong, weights: "b9")
            }
            run.run.created = "2026-12-01T00:00:\(String(format: "%02d", index))Z"
            hashes.append(try PlannedRuns.commit(run, "commit \(index)", in: git))
        }
        return (git, hashes)
    }

    @Test func findsTheFirstChangedCommitInAboutLog2NSteps() throws {
        let (git, hashes) = try Self.repository(count: 16, change: 11)
        let commits = try Bisection.commits(from: hashes[0], to: "HEAD", in: git, maximum: 100)
        #expect(commits.map(\.hash) == hashes)
        #expect(commits[3].subject == "commit 3")
        let probe = StubProbe(git: git)
        var heard: [Int] = []
        let bisection = Bisection(commits: commits, training: "3.1", labels: PlannedRuns.labels, probe: probe) { heard.append($0.index) }
        #expect(bisection.firstChanged == 11)
        #expect(bisection.failure == nil)
        #expect(bisection.steps <= bisection.expectedSteps)
        #expect(bisection.expectedSteps == 4)
        #expect(heard == bisection.probes.map(\.index))
        #expect(Array(heard.prefix(2)) == [0, 16])
        let found = try #require(bisection.probes.first { $0.index == 11 })
        #expect(found.verdict.hasPrefix("worse against GOOD"))
        #expect(bisection.probes.filter { $0.index < 11 && $0.index > 0 }.allSatisfy { $0.changed == false && $0.verdict == "identical to GOOD" })
    }

    @Test func aProbeThatDoesNotBuildIsSkippedAndAnotherTried() throws {
        let (git, hashes) = try Self.repository(count: 8, change: 5)
        let commits = try Bisection.commits(from: hashes[0], to: hashes[8], in: git, maximum: 100)
        // Two commits do not build, the second where the search first looks after 4.
        let probe = StubProbe(git: git, broken: [hashes[3], hashes[6]])
        let bisection = Bisection(commits: commits, training: "3.1", labels: PlannedRuns.labels, probe: probe)
        #expect(bisection.firstChanged == 5)
        let skipped = bisection.probes.filter { $0.changed == nil }
        #expect(!skipped.isEmpty)
        #expect(skipped.allSatisfy { $0.verdict == "skipped: does not build (stub)" })
        // When the only commits that could decide do not build, the candidates are said (as git
        // bisect says "the first bad commit could be any of").
        let between = Bisection(commits: commits, training: "3.1", labels: PlannedRuns.labels, probe: StubProbe(git: git, broken: [hashes[4]]))
        #expect(between.firstChanged == nil && between.candidates == [4, 5])
        let stuck = Bisection(commits: commits, training: "3.1", labels: PlannedRuns.labels,
                              probe: StubProbe(git: git, broken: [hashes[4], hashes[5], hashes[6]]))
        #expect(stuck.firstChanged == nil)
        #expect(stuck.candidates.count >= 2 && stuck.candidates.contains(5))
    }

    @Test func noChangeAndBadEndsAreSaid() throws {
        let (git, hashes) = try Self.repository(count: 4, change: 99)
        let commits = try Bisection.commits(from: hashes[0], to: hashes[4], in: git, maximum: 100)
        let same = Bisection(commits: commits, training: "3.1", labels: PlannedRuns.labels, probe: StubProbe(git: git))
        #expect(same.firstChanged == nil)
        #expect(same.failure?.contains("identical at GOOD and BAD") == true)
        let broken = Bisection(commits: commits, training: "3.1", labels: PlannedRuns.labels, probe: StubProbe(git: git, broken: [hashes[0]]))
        #expect(broken.failure?.hasPrefix("GOOD") == true)
        let missing = Bisection(commits: commits, training: "9.9", labels: PlannedRuns.labels, probe: StubProbe(git: git))
        #expect(missing.failure != nil)
        #expect { try Bisection.commits(from: hashes[4], to: hashes[0], in: git, maximum: 100) }
            throws: { String(describing: $0).contains("is not an ancestor") }
        #expect { try Bisection.commits(from: hashes[0], to: hashes[4], in: git, maximum: 2) }
            throws: { String(describing: $0).contains("more than 2 commits") }
    }
}

@Suite("The worktree probe")
struct WorktreeProbeTests {
    /// A commit that does not build (no Package.swift) is skipped, and the probe leaves the
    /// repository as it found it: no worktree left, the work tree and index untouched.
    @Test func aCommitThatDoesNotBuildIsSkippedAndItsWorktreeRemoved() throws {
        let git = try PlannedRuns.repository()
        let hash = try PlannedRuns.commit(PlannedRuns.base(), "results but no package", in: git)
        try Data("local edit".utf8).write(to: URL(fileURLWithPath: git.directory).appendingPathComponent("NOTES"))
        let before = try git.run(["status", "--porcelain"])
        let workspace = try Fixtures.temporaryDirectory()
        let probe = WorktreeProbe(repository: git, workspace: workspace, cacheDirectory: workspace + "/cache", profile: "quick", section: "2.3")
        guard case let .skipped(reason) = probe.probe(commit: hash) else {
            Issue.record("a commit without Package.swift was not skipped")
            return
        }
        #expect(reason.hasPrefix("does not build"))
        #expect(try git.run(["worktree", "list", "--porcelain"]).components(separatedBy: "worktree ").count == 2)
        #expect(try git.run(["status", "--porcelain"]) == before)
        #expect(!FileManager.default.fileExists(atPath: workspace + "/worktree-" + hash.prefix(8)))
        probe.cleanUp()
    }
}
