import Assignment
import Foundation
#if canImport(Glibc)
import Glibc
#endif
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

    @Test func goodEqualToBadHasItsOwnMessage() throws {
        let (git, hashes) = try Self.repository(count: 1, change: 99)
        #expect { try Bisection.commits(from: hashes[1], to: "HEAD", in: git, maximum: 100) }
            throws: { String(describing: $0).hasPrefix("GOOD \(hashes[1]) and BAD HEAD are the same commit") }
    }

    /// An interrupt ends the search: the probe it stopped is no verdict ("does not train").
    @Test func anInterruptedProbeStopsTheSearchWithoutAVerdict() throws {
        let (git, hashes) = try Self.repository(count: 8, change: 5)
        let commits = try Bisection.commits(from: hashes[0], to: hashes[8], in: git, maximum: 100)
        struct Interrupting: BisectProbe {
            let inner: StubProbe
            let at: String
            func probe(commit: String) -> ProbeOutcome { commit == at ? .interrupted : inner.probe(commit: commit) }
        }
        let stub = StubProbe(git: git)
        var heard: [String] = []
        let bisection = Bisection(commits: commits, training: "3.1", labels: PlannedRuns.labels,
                                  probe: Interrupting(inner: stub, at: hashes[8])) { heard.append($0.verdict) }
        #expect(bisection.failure == Bisection.interrupted)
        #expect(bisection.firstChanged == nil && bisection.candidates.isEmpty)
        #expect(heard == ["GOOD: the reference"])
        #expect(stub.asked == [hashes[0]])
    }

    /// What --training is checked against before anything is built.
    @Test func theTrainingsOfAPlanNameSinglesAndSweepPoints() {
        let trainings = Bisection.trainings(of: ExperimentPlan(profile: .quick))
        let ids = trainings.map(\.id)
        #expect(ids.contains("2.3") && ids.contains("3.1") && ids.contains("3.1b-all"))
        #expect(ids.contains("2.4 sweep L2 0.001"))
        #expect(Set(ids).count == ids.count)
        #expect(!ids.contains { $0.hasPrefix("2.4-sweep") })   // a replicate is no training to follow alone
        #expect(trainings.first { $0.id == "2.4 sweep L2 0.001" }?.section == "2.4")
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

    /// The probe removes its own worktrees by path: a worktree of the user's whose folder is
    /// absent for a moment (an unmounted disk) keeps its registration.
    @Test func onlyItsOwnWorktreesAreRemovedAndAnEarlierRunsAreReclaimed() throws {
        let git = try PlannedRuns.repository()
        try PlannedRuns.commit(PlannedRuns.base(), "first", in: git)
        let (workspace, elsewhere) = (try Fixtures.temporaryDirectory(), try Fixtures.temporaryDirectory())
        let users = elsewhere + "/on-a-disk"
        try git.run(["worktree", "add", "--detach", users, "HEAD"])
        try FileManager.default.removeItem(atPath: users)   // the disk is unmounted
        // What a killed run left: a worktree with its folder, and one whose folder went.
        let (left, gone) = (workspace + "/worktree-0000aaaa", workspace + "/worktree-0000bbbb")
        try git.run(["worktree", "add", "--detach", left, "HEAD"])
        try git.run(["worktree", "add", "--detach", gone, "HEAD"])
        try FileManager.default.removeItem(atPath: gone)
        let probe = WorktreeProbe(repository: git, workspace: workspace, cacheDirectory: workspace + "/cache", profile: "quick", section: "2.3")
        let canonical = { (path: String) in URL(fileURLWithPath: path).resolvingSymlinksInPath().path }
        #expect(probe.reclaim() == [left, gone].map(canonical).sorted())
        probe.cleanUp()
        let listed = try git.run(["worktree", "list", "--porcelain"])
        #expect(!listed.contains("worktree-0000"))
        #expect(listed.contains("on-a-disk"))
        #expect(!FileManager.default.fileExists(atPath: left))
    }

    /// A probe's log has a predictable name: a link planted there is not written through.
    @Test func aPlantedLogLinkIsNotFollowed() throws {
        let (workspace, elsewhere) = (try Fixtures.temporaryDirectory(), try Fixtures.temporaryDirectory())
        try Data("victim".utf8).write(to: URL(fileURLWithPath: elsewhere + "/target"))
        #expect(symlink(elsewhere + "/target", workspace + "/probe-12345678.log") == 0)
        #expect { try WorktreeProbe.openLog(workspace + "/probe-12345678.log") }
            throws: { String(describing: $0).contains("is a symbolic link") }
        #expect(try String(contentsOfFile: elsewhere + "/target", encoding: .utf8) == "victim")
        let fresh = try WorktreeProbe.openLog(workspace + "/probe-87654321.log")
        close(fresh)
    }
}

@Suite("A probe's process group")
struct ProcessGroupTests {
    /// Stopping the child stops what it started too (the whole group).
    @Test func stoppingTheChildStopsItsGroup() throws {
        let folder = try Fixtures.temporaryDirectory()
        let output = open(folder + "/log", O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        defer { close(output) }
        let child = try ProcessGroup(["sh", "-c", "sleep 60 & echo $! > grandchild; wait"], in: folder, output: output)
        var grandchild: pid_t?
        for _ in 0..<100 where grandchild == nil {
            grandchild = (try? String(contentsOfFile: folder + "/grandchild", encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if grandchild == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        let pid = try #require(grandchild)
        #expect(getpgid(pid) == child.pid)
        child.stop()
        let started = Date()
        #expect(!child.wait(until: Date().addingTimeInterval(30)))
        #expect(Date().timeIntervalSince(started) < 10)
        // The grandchild is gone, or a zombie waiting for a reaper.
        var alive = true
        for _ in 0..<50 where alive {
            let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: " ").dropFirst(2).first
            alive = state != nil && state != "Z"
            if alive { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(!alive)
    }

    @Test func aChildThatSucceedsIsSaidToSucceed() throws {
        let folder = try Fixtures.temporaryDirectory()
        let output = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(output) }
        #expect(try ProcessGroup(["true"], in: folder, output: output).wait(until: .distantFuture))
        #expect(try !ProcessGroup(["false"], in: folder, output: output).wait(until: .distantFuture))
    }
}
