import Foundation
import Testing
@testable import Results
import ReportFixtures

/// What a history gate must judge and could not: the newest results and the folders added.
@Suite("History gate inputs")
struct HistoryGateTests {
    static let path = "reports/latest/results.json"

    @Test func newestResultsThatDoNotReadAreUnjudged() throws {
        let git = try PlannedRuns.repository()
        try PlannedRuns.commit(PlannedRuns.base(), "good results", in: git)
        let folder = URL(fileURLWithPath: git.directory).appendingPathComponent(Self.path)
        try Data("{\"schema_version\": 3, \"trun".utf8).write(to: folder)
        let broken = try PlannedRuns.commit(nil, "truncated results", in: git)
        try PlannedRuns.commit(nil, "docs only", in: git)
        let history = try ResultsHistory.load(range: nil, resultsPath: Self.path, repository: git)
        #expect(history.points.count == 1)
        #expect(history.unjudged.map(\.label) == [String(broken.prefix(8))])
    }

    /// A newest commit that removed the results file is not judged by an older file in its place.
    @Test func newestCommitWithoutTheResultsFileIsUnjudged() throws {
        let git = try PlannedRuns.repository()
        try PlannedRuns.commit(PlannedRuns.base(), "good results", in: git)
        try FileManager.default.removeItem(at: URL(fileURLWithPath: git.directory).appendingPathComponent(Self.path))
        let removed = try PlannedRuns.commit(nil, "results removed", in: git)
        let history = try ResultsHistory.load(range: nil, resultsPath: Self.path, repository: git)
        #expect(history.points.count == 1)
        #expect(history.unjudged.map(\.label) == [String(removed.prefix(8))])
        #expect(history.unjudged.first?.reason.contains("is missing") == true)
    }

    @Test func anOlderUnreadableCommitIsSkippedNotUnjudged() throws {
        let git = try PlannedRuns.repository()
        let folder = URL(fileURLWithPath: git.directory).appendingPathComponent(Self.path)
        try FileManager.default.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("not json".utf8).write(to: folder)
        try PlannedRuns.commit(nil, "broken results", in: git)
        try PlannedRuns.commit(PlannedRuns.base(), "good results", in: git)
        let history = try ResultsHistory.load(range: nil, resultsPath: Self.path, repository: git)
        #expect(history.unreadable.count == 1)
        #expect(history.unjudged.isEmpty)
    }

    @Test func aFolderWhoseAccuracyDisagreesWithItsPredictionsIsUnjudged() throws {
        // 2.3 and 3.1, whose accuracies agree with their predictions (the fixture's sweep points' do not).
        var good = PlannedRuns.base()
        good.trainings.removeAll { $0.sweepIndex != nil }
        let git = try PlannedRuns.repository()
        try PlannedRuns.commit(good, "good results", in: git)
        var history = try ResultsHistory.load(range: nil, resultsPath: Self.path, repository: git)
        var edited = good
        edited.trainings[PlannedRuns.index("2.3", in: edited)].testAccuracy -= 0.3
        let report = try Fixtures.temporaryDirectory()
        try Fixtures.recorded(edited).encoded().write(to: URL(fileURLWithPath: report).appendingPathComponent("results.json"))
        try history.addFolder(report)
        history.dropInconsistent(labels: PlannedRuns.labels)
        #expect(history.unjudged.count == 1, "\(history.unjudged)")
        #expect(history.unjudged.first?.reason.contains("2.3") == true)
    }
}
