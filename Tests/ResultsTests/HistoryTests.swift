import Analysis
import Foundation
import Testing
@testable import Results
import ReportFixtures
@testable import Rendering

@Suite("History of results")
struct HistoryTests {
    @Test func historyFlagsExactlyThePlannedChanges() throws {
        let git = try PlannedRuns.repository()
        let base = PlannedRuns.base()
        try PlannedRuns.commit(nil, "before any results", in: git)
        try PlannedRuns.commit(base, "first results", in: git)
        try PlannedRuns.commit(nil, "docs only: results unchanged", in: git)
        var same = base
        same.run.created = "2026-11-26T00:00:00Z"   // another file, the same trainings: identical steps
        try PlannedRuns.commit(same, "rebuilt, same bits", in: git)
        // Seed noise: 2.3 retrained, 40 images newly wrong and 40 newly right.
        var noise = same
        let i23 = PlannedRuns.index("2.3", in: noise)
        var wrong23 = Set(stride(from: 0, to: PlannedRuns.labels.count, by: 33))
        let (fixed, broken) = (Array(wrong23.sorted().prefix(40)), (0..<PlannedRuns.labels.count).filter { !wrong23.contains($0) }.prefix(40))
        wrong23.subtract(fixed)
        wrong23.formUnion(broken)
        noise.trainings[i23] = PlannedRuns.retrained(noise.trainings[i23], wrong: wrong23, weights: "a1")
        try PlannedRuns.commit(noise, "another seed for 2.3", in: git)
        // 300 images worse for 3.1.
        var worse = noise
        let i31 = PlannedRuns.index("3.1", in: worse)
        let wrong31 = Set(stride(from: 0, to: PlannedRuns.labels.count, by: 100)).union((0..<PlannedRuns.labels.count).filter { $0 % 100 == 1 }.prefix(300))
        worse.trainings[i31] = PlannedRuns.retrained(worse.trainings[i31], wrong: wrong31, weights: "b1")
        let worseCommit = try PlannedRuns.commit(worse, "3.1 loses 300 images", in: git)
        // A sweep step: the first sweep point's replicates all lose 0.01.
        var sweep = worse
        let point = sweep.trainings.compactMap(\.sweepIndex).min()!
        for i in sweep.trainings.indices where sweep.trainings[i].sweepIndex == point {
            let last = sweep.trainings[i].history.valAccuracy.count - 1
            sweep.trainings[i].history.valAccuracy[last] -= 0.01
            sweep.trainings[i].weightsSHA256 = String(repeating: "d\(point)", count: 32)
        }
        let sweepCommit = try PlannedRuns.commit(sweep, "the sweep's smallest factor got worse", in: git)

        let history = try ResultsHistory.load(range: nil, resultsPath: "reports/latest/results.json", repository: git)
        #expect(history.commitsInRange == 7)
        #expect(history.points.count == 5)
        #expect(history.unchanged == 1)
        #expect(history.without == 1)
        #expect(history.points.map(\.subject) == ["first results", "rebuilt, same bits", "another seed for 2.3", "3.1 loses 300 images",
                                                  "the sweep's smallest factor got worse"])
        let analysis = HistoryAnalysis(history.points, labels: PlannedRuns.labels)
        let significant = analysis.significant
        #expect(significant.count == 2)
        #expect(significant.map(\.series) == ["3.1", HistoryAnalysis.sweepID(sweep.trainings.filter { $0.sweepIndex == point })])
        #expect(significant.allSatisfy { $0.verdict == .worse && $0.metric == .accuracy })
        #expect(significant.map { analysis.points[$0.to].commit } == [worseCommit, sweepCommit])
        // The seed change is a change of weights, not of the result.
        let seed = try #require(analysis.changes.first { $0.series == "2.3" })
        #expect(seed.verdict == .changed)
        #expect(analysis.points[seed.to].subject == "another seed for 2.3")
        // Every other step is identical.
        #expect(analysis.steps.filter { $0.metric == .accuracy && !$0.verdict.isChange }.allSatisfy { $0.verdict == .identical })

        // The JSON document says the same, with full hashes and the test's statistic and p.
        let document = analysis.document
        #expect(document.commits.count == 5)
        let worseChange = try #require(document.changes.first { $0.training == "3.1" })
        #expect(worseChange.commit == worseCommit)
        #expect(worseChange.verdict == "worse")
        #expect((worseChange.p ?? 1) < 1e-10)
        #expect(worseChange.statistic != nil)
        let text = String(decoding: try JSONEncoder().encode(document), as: UTF8.self)
        #expect(text.contains("\"changes\""))

        // A range and a gate: the acknowledged worse change no longer counts.
        let acknowledgements = [Acknowledgement(commit: String(worseCommit.prefix(8)), training: "3.1", reason: "smaller model on purpose")]
        let acknowledged = HistoryAnalysis(history.points, labels: PlannedRuns.labels, acknowledgements: acknowledgements)
        #expect(acknowledged.unacknowledgedWorse.map(\.series) == [significant[1].series])
        #expect(acknowledged.changes.first { $0.series == "3.1" }?.acknowledged == "smaller model on purpose")
        let last2 = try ResultsHistory.load(range: "HEAD~2..HEAD", resultsPath: "reports/latest/results.json", repository: git)
        #expect(last2.points.map(\.commit) == [worseCommit, sweepCommit])
    }

    /// A commit that renames a training (and its model) leaves its recipe alone: the history
    /// follows it as one series under its new id, the old one kept, and judges the step.
    @Test func aRenamedTrainingStaysOneSeries() throws {
        let base = PlannedRuns.base()
        var renamed = base
        let i = PlannedRuns.index("2.3", in: renamed)
        renamed.trainings[i].id = "2.3-small"
        let point = { (results: ResultsDocument, label: String) in
            ResultsHistory.Point(commit: nil, label: label, date: "", subject: label, results: results)
        }
        let analysis = HistoryAnalysis([point(base, "before"), point(renamed, "renamed")], labels: PlannedRuns.labels)
        let series = try #require(analysis.series.first { $0.id == "2.3-small" })
        #expect(series.formerIDs == ["2.3"] && series.values.map(\.point) == [0, 1])
        #expect(series.id(at: 0) == "2.3" && series.id(at: 1) == "2.3-small")
        #expect(!analysis.series.contains { $0.id == "2.3" })
        let step = try #require(analysis.steps.first { $0.series == "2.3-small" && $0.metric == .accuracy })
        #expect(step.verdict == .identical)
        // Another recipe under the new name is a new series, not a rename.
        var other = renamed
        other.trainings[i].seed += 1
        let apart = HistoryAnalysis([point(base, "before"), point(other, "other")], labels: PlannedRuns.labels)
        #expect(apart.series.contains { $0.id == "2.3" } && apart.series.contains { $0.id == "2.3-small" })
    }

    @Test func theTableAndThePageShowEveryTrainingAndTheChanges() throws {
        let base = PlannedRuns.base()
        var worse = base
        let i31 = PlannedRuns.index("3.1", in: worse)
        worse.trainings[i31] = PlannedRuns.retrained(worse.trainings[i31], wrong: Set(0..<400), weights: "b1")
        let points = [base, worse].enumerated().map { index, run in
            ResultsHistory.Point(commit: String(repeating: "\(index + 1)", count: 40), label: "\(index + 1)111111", date: "2026-12-0\(index + 1)T00:00:00Z",
                                 subject: "commit <\(index + 1)> \u{1b}[31m", tags: index == 1 ? ["v1"] : [], results: run)
        }
        let analysis = HistoryAnalysis(points, labels: PlannedRuns.labels)
        let table = analysis.table()
        #expect(table.contains("3.1 — test accuracy"))
        #expect(table.contains("WORSE"))
        #expect(!table.contains("\u{1b}"))
        let page = try StrictTemplates(directory: Fixtures.templatesDirectory)
        let html = try page.render("history", viewModel: try analysis.context(title: "History", summary: "2 commits."))
        #expect(html.contains("commit &lt;2&gt;"))
        #expect(!html.contains("commit <2>"))
        #expect(html.contains("<rect"))
        #expect(html.contains("<title>#2 2111111 [v1]"))
        #expect(html.contains("class=\"bad\">worse"))
    }

    @Test func acknowledgementsAreReadAndBadLinesNamed() throws {
        let text = """
            # known changes
            [[change]]
            commit = "f0a2094b"   # engine 3
            training = "*"
            metric = "speed"
            reason = "engine 3: the engine's own \\"kernels\\""

            [[change]]
            commit = "ABCDEF0123"
            training = "3.1"
            reason = "smaller"
            """
        let list = try Acknowledgement.parse(text, source: "ack.toml")
        #expect(list == [Acknowledgement(commit: "f0a2094b", training: "*", metric: .speed, reason: "engine 3: the engine's own \"kernels\""),
                         Acknowledgement(commit: "abcdef0123", training: "3.1", reason: "smaller")])
        #expect(list[0].covers(commit: "f0a2094b" + String(repeating: "0", count: 32), series: "2.3", metric: .speed))
        #expect(!list[0].covers(commit: "f0a2094b" + String(repeating: "0", count: 32), series: "2.3", metric: .accuracy))
        #expect(!list[1].covers(commit: nil, series: "3.1", metric: .accuracy))
        for (bad, message) in [("[[change]]\ncommit = \"xyz\"\ntraining = \"a\"\nreason = \"r\"", "ack.toml:1: commit must be a hash"),
                               ("commit = \"abcdef0\"", "ack.toml:1: commit outside a [[change]] table"),
                               ("[[change]]\ncolour = \"red\"", "ack.toml:2: unknown key"),
                               ("[[change]]\ncommit = \"abcdef0\"\ntraining = \"a\"", "ack.toml:1: [[change]] needs reason"),
                               ("[[change]]\nreason = \"open", "ack.toml:2: the string has no closing quote")] {
            #expect {
                try Acknowledgement.parse(bad, source: "ack.toml")
            } throws: { String(describing: $0).hasPrefix(message) }
        }
    }

    /// Every form of TOML string a user may write: escapes, literal strings, multi-line strings.
    @Test func acknowledgementsTakeTOMLsStrings() throws {
        let text = #"""
            [[change]]
            commit = 'abcdef0'
            training = "2.3"
            reason = "escape \u001b, tab\t, \U0001F600, quote \" and C:\\dir" # comment
            [[change]]
            commit = "abcdef1"
            training = '''*'''
            reason = """
            first line
            second \
                line, "quoted", ""two quotes"""""
            [[change]]
            commit = "abcdef2"
            training = "3.1"
            reason = '''
            raw \n stays'''
            """#
        let list = try Acknowledgement.parse(text, source: "ack.toml")
        #expect(list.map(\.commit) == ["abcdef0", "abcdef1", "abcdef2"])
        #expect(list[0].reason == "escape \u{1b}, tab\t, \u{1F600}, quote \" and C:\\dir")
        #expect(list[1].training == "*")
        #expect(list[1].reason == "first line\nsecond line, \"quoted\", \"\"two quotes\"\"")
        #expect(list[2].reason == "raw \\n stays")
        for (bad, message) in [(#"reason = "\q""#, #"ack.toml:2: unknown escape \q"#),
                               (#"reason = "\u12""#, #"ack.toml:2: \u needs 4 hexadecimal digits"#),
                               (#"reason = "\uD800""#, #"ack.toml:2: \u needs 4 hexadecimal digits"#),
                               ("reason = \"\"\"\nopen", "ack.toml:2: the multi-line string has no closing")] {
            #expect {
                try Acknowledgement.parse("[[change]]\n" + bad, source: "ack.toml")
            } throws: { String(describing: $0).hasPrefix(message) }
        }
    }

    @Test func aShallowCloneSaysItsHistoryIsCutShort() throws {
        let git = try PlannedRuns.repository()
        try PlannedRuns.commit(PlannedRuns.base(), "first", in: git)
        try PlannedRuns.commit(nil, "second", in: git)
        let full = try ResultsHistory.load(range: nil, resultsPath: "reports/latest/results.json", repository: git)
        #expect(!full.shallow && !full.summary(resultsPath: "r").contains("shallow"))
        let clone = try Fixtures.temporaryDirectory() + "/clone"
        try git.run(["clone", "-q", "--depth", "1", "file://" + git.directory, clone])
        let cut = try ResultsHistory.load(range: nil, resultsPath: "reports/latest/results.json",
                                          repository: GitRepository(directory: clone, environment: ["GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"]))
        #expect(cut.shallow && cut.commitsInRange == 1)
        #expect(cut.summary(resultsPath: "r").contains("shallow clone: the history stops at its oldest fetched commit"))
    }

    @Test func aRangeThatIsNoRangeIsRefusedByName() throws {
        let git = try PlannedRuns.repository()
        try PlannedRuns.commit(PlannedRuns.base(), "first", in: git)
        #expect { try ResultsHistory.load(range: "nosuchbranch", resultsPath: "reports/latest/results.json", repository: git) }
            throws: { String(describing: $0).contains("nosuchbranch is not a revision range") }
        #expect { try ResultsHistory.load(range: "--all", resultsPath: "reports/latest/results.json", repository: git) }
            throws: { String(describing: $0).contains("is not a revision range") }
        let other = try ResultsHistory.load(range: nil, resultsPath: "elsewhere/results.json", repository: git)
        #expect(other.points.isEmpty && other.without == 1)
    }
}

@Suite("History under noise")
struct HistoryNoiseTests {
    /// SplitMix64: a small seeded generator, the same draws on every machine.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Fifty commits of pure noise: every commit retrains 2.3 with another seed (each image
    /// wrong with probability 4 %, independently) and times it on a shared machine (±10 % per
    /// epoch, log-normal). The history must flag nothing in at least 95 % of such histories.
    @Test func fiftyNoiseOnlyCommitsKeepTheFamilyWiseFalseAlarmRate() {
        let labels = Array(PlannedRuns.labels.prefix(1000))
        var run = PlannedRuns.base()
        let template = run.trainings[PlannedRuns.index("2.3", in: run)]
        let (histories, commits) = (200, 50)
        var falseAlarms = 0
        for seed in 0..<histories {
            var random = SplitMix(state: UInt64(seed) &* 7919 &+ 1)
            var points: [ResultsHistory.Point] = []
            for c in 0..<commits {
                let wrong = Set(labels.indices.filter { _ in Double.random(in: 0..<1, using: &random) < 0.04 })
                var record = PlannedRuns.retrained(template, wrong: wrong, weights: String(format: "%02x", c % 256), labels: labels)
                record.secondsPerEpoch = (0..<3).map { _ in
                    let (u, v) = (Double.random(in: Double.ulpOfOne..<1, using: &random), Double.random(in: 0..<1, using: &random))
                    return 0.5 * exp(0.1 * (-2 * log(u)).squareRoot() * cos(2 * .pi * v))
                }
                run.trainings = [record]
                points.append(ResultsHistory.Point(commit: String(repeating: "0", count: 40), label: "\(c)", date: "", subject: "", results: run))
            }
            let analysis = HistoryAnalysis(points, labels: labels)
            if !analysis.significant.isEmpty { falseAlarms += 1 }
        }
        let rate = Double(falseAlarms) / Double(histories)
        #expect(rate <= 0.05, "family-wise false alarms in \(falseAlarms) of \(histories) histories")
    }
}
