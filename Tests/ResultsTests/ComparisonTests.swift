import Analysis
import Assignment
import Foundation
import Testing
@testable import Results
import ReportFixtures
@testable import Rendering

@Suite("Statistics")
struct StatisticsTests {
    @Test func mcNemarExactMatchesTheBinomialByHand() {
        // b = 1, c = 9: P(X ≤ 1) for Binomial(10, ½) = 11/1024; two-sided 22/1024.
        let test = Statistics.mcNemar(b: 1, c: 9)
        #expect(test.exact)
        #expect(abs(test.p - 22.0 / 1024) < 1e-12)
        // Balanced disagreements give p = 1 (capped), no disagreement at all p = 1.
        #expect(Statistics.mcNemar(b: 5, c: 5).p == 1)
        #expect(Statistics.mcNemar(b: 0, c: 0).p == 1)
    }

    @Test func mcNemarChiSquareForManyDisagreements() {
        // b = 40, c = 70: χ² = (30 − 1)² / 110 = 7.6455; p = erfc(√(χ²/2)) ≈ 0.005692.
        let test = Statistics.mcNemar(b: 40, c: 70)
        #expect(!test.exact)
        #expect(abs(test.statistic - 841.0 / 110) < 1e-9)
        #expect(abs(test.p - 0.005692) < 2e-5)
    }

    @Test func welchMatchesAHandComputedCase() {
        // a = [1, 2, 3]: mean 2, s² 1; b = [4, 5, 6, 7]: mean 5.5, s² 5/3.
        // se² = 1/3 + 5/12 = 0.75, t = −3.5/√0.75 = −4.041452; df = 0.5625 / ((1/3)²/2 + (5/12)²/3) = 4.959184.
        // Two-sided p = 0.0100769 (checked with scipy.stats.ttest_ind(equal_var=False)).
        let test = Statistics.welch([1, 2, 3], [4, 5, 6, 7])
        #expect(abs(test.t + 4.041452) < 1e-5)
        #expect(abs(test.df - 4.959184) < 1e-5)
        #expect(abs(test.p - 0.0100769) < 1e-6)
    }

    @Test func welchEdgeCasesOfZeroVariance() {
        #expect(Statistics.welch([0.98, 0.98], [0.98, 0.98]).p == 1)
        #expect(Statistics.welch([0.98, 0.98], [0.97, 0.97]).p == 0)
        // One sample without variance is fine: the other carries the error.
        // scipy: t = −0.37796, df = 2, p = 0.74180.
        let p = Statistics.welch([0.98, 0.98, 0.98], [0.97, 0.98, 1.0]).p
        #expect(abs(p - 0.7418011) < 1e-5)
    }

    @Test func studentTailAgreesWithKnownQuantiles() {
        // t = 2.776 with 4 degrees of freedom is the 97.5 % quantile: two-sided p = 0.05.
        #expect(abs(Statistics.studentTwoSidedP(t: 2.776445, df: 4) - 0.05) < 1e-5)
        // t = 1.959964 with very many degrees of freedom approaches the normal: p = 0.05.
        #expect(abs(Statistics.studentTwoSidedP(t: 1.959964, df: 1e7) - 0.05) < 1e-5)
    }
}

@Suite("Comparing runs")
struct ComparisonTests {
    static let labels = Fixtures.testSplit.labels

    @Test func identicalRunsCompareAsIdenticalEverywhere() throws {
        let run = Fixtures.results()
        let comparison = try RunComparison(run, run, nameA: "a", nameB: "b", labels: Self.labels)
        #expect(comparison.rows.allSatisfy { $0.verdict == .identical })
        #expect(comparison.configuration.isEmpty)
        // One row per training of the plan that is not in a sweep, and one per sweep factor.
        #expect(comparison.rows.count == run.trainings.filter { $0.sweepIndex == nil }.count + 5)
        #expect(!comparison.hasSignificantlyWorse)
    }

    /// A later commit renamed a training and its model: the old results still read, the renamed
    /// training is paired with its old self by its recipe and shown under both names, and a
    /// training whose recipe changed too is shown under its recorded id on its side.
    @Test func aRenamedTrainingAndModelArePairedByTheirRecipe() throws {
        let old = Fixtures.results()
        var new = old
        new.trainings[0].id = "2.3-renamed"
        new.trainings[0].model = RecordedModel(name: "mlp64-old")
        let reread = try ResultsDocument.decode(try new.encoded(), source: "new.json")
        #expect(reread.trainings[0].model.rawValue == "mlp64-old" && reread.trainings[0].model.kind == nil)
        let comparison = try RunComparison(old, reread, nameA: "old", nameB: "new", labels: Self.labels)
        #expect(comparison.onlyInA.isEmpty && comparison.onlyInB.isEmpty)
        #expect(comparison.rows.count == old.trainings.filter { $0.sweepIndex == nil }.count + 5)
        #expect(comparison.rows.contains { $0.id == "2.3-renamed (A: 2.3)" && $0.verdict == .identical })
        // Renamed and trained with another seed: not the same training, so not paired.
        new.trainings[0].seed += 1
        let reseeded = try RunComparison(old, new, nameA: "old", nameB: "new", labels: Self.labels)
        #expect(reseeded.onlyInA == ["2.3"] && reseeded.onlyInB == ["2.3-renamed"])
        #expect(reseeded.rows.count == old.trainings.filter { $0.sweepIndex == nil }.count - 1 + 5)
    }

    @Test func aShiftedRunIsFlaggedAndTheGateCatchesIt() throws {
        let a = Fixtures.results()
        var b = a
        for i in b.trainings.indices {
            b.trainings[i].weightsSHA256 = String(repeating: "ef", count: 32)
            // B gets 30 more test images wrong on every single training…
            var predictions = Array(b.trainings[i].testPredictions.utf8)
            for j in 0..<30 where predictions[j] == UInt8(ascii: "0") + Self.labels[j] {
                predictions[j] = UInt8(ascii: "0") + (Self.labels[j] + 1) % 10
            }
            b.trainings[i].testPredictions = String(decoding: predictions, as: UTF8.self)
            b.trainings[i].testAccuracy -= 0.01
            // …and every sweep replicate loses accuracy with a little spread.
            if b.trainings[i].sweepIndex != nil {
                b.trainings[i].history.valAccuracy[b.trainings[i].history.valAccuracy.count - 1] -= 0.02 + 0.001 * Double(b.trainings[i].replicate!)
            }
        }
        let comparison = try RunComparison(a, b, nameA: "a", nameB: "b", labels: Self.labels)
        #expect(comparison.rows.filter { $0.id == "2.3" }.first?.verdict == .worse)
        #expect(comparison.rows.filter { $0.id.contains("sweep") }.allSatisfy { $0.verdict == .worse })
        #expect(comparison.hasSignificantlyWorse)
        #expect(comparison.drops(beyond: 0.002).count == comparison.rows.count)
        #expect(comparison.markdown().utf8.count < 60_000)
        #expect(comparison.table().contains("significantly worse"))
    }

    @Test func configurationDifferencesAreListed() throws {
        let a = Fixtures.results()
        var b = a
        b.run.seed = 2
        b.run.overrides = ["learning-rate=0.01"]
        b.trainings[0].hyperparameters.learningRate = 0.01
        let comparison = try RunComparison(a, b, nameA: "a", nameB: "b", labels: Self.labels)
        let fields = comparison.configuration.map(\.field)
        #expect(fields.contains("seed") && fields.contains("overrides (--set)") && fields.contains("2.3 learning rate"))
        // One override applied to every training reads as one line.
        var c = a
        for i in c.trainings.indices { c.trainings[i].hyperparameters.learningRate = 0.01 }
        let grouped = try RunComparison(a, c, nameA: "a", nameB: "c", labels: Self.labels).configuration.map(\.field)
        // (the fixture's 3.1 and 3.1b trainings start from Adam's 0.001, the others from 0.1)
        let adam = Fixtures.results().trainings.filter { $0.hyperparameters.learningRate == 0.001 }.count
        #expect(grouped == ["learning rate (17 trainings)", "learning rate (\(adam) trainings)"])
    }

    @Test func runsWithNothingInCommonAreRefused() throws {
        let a = Fixtures.results(sections: [.s2_3])
        let b = Fixtures.results(sections: [.s3_1])
        let error = try #require(throws: ReportError.self) { try RunComparison(a, b, nameA: "a", nameB: "b", labels: Self.labels) }
        #expect(error.description.contains("no training in common"))
    }

    @Test func resultsAreReadFromAGitRevision() throws {
        let repository = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: repository) }
        func git(_ arguments: String...) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", repository, "-c", "user.name=t", "-c", "user.email=t@t"] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "git \(arguments.joined(separator: " "))")
        }
        try git("init", "-q")
        try FileManager.default.createDirectory(atPath: repository + "/reports/latest", withIntermediateDirectories: true)
        var first = Fixtures.results()
        first.run.seed = 11
        try first.encoded().write(to: URL(fileURLWithPath: repository + "/reports/latest/results.json"))
        try git("add", ".")
        try git("commit", "-q", "-m", "first")
        var second = first
        second.run.seed = 22
        try second.encoded().write(to: URL(fileURLWithPath: repository + "/reports/latest/results.json"))
        try git("commit", "-q", "-am", "second")
        let (previous, name) = try RunReference.load("HEAD~1", repository: repository)
        #expect(previous.run.seed == 11)
        #expect(name.hasPrefix("HEAD~1"))
        let (current, _) = try RunReference.load("HEAD", repository: repository)
        #expect(current.run.seed == 22)
        #expect(throws: ReportError.self) { try RunReference.load("no-such-branch", repository: repository) }
        let missing = try #require(throws: ReportError.self) {
            try RunReference.load("HEAD", resultsPath: "reports/other/results.json", repository: repository)
        }
        #expect(missing.description.contains("reports/other/results.json"))
    }
}
