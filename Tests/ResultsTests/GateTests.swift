import Foundation
import Testing
@testable import Results
import ReportFixtures
@testable import Rendering

/// The CI gate of `compare`: each way a regression used to slip through (a row that cannot be
/// tested, the same weights with other metrics, a training missing from B) now fails it, and
/// passes only when the matching option accepts it by name, which the decision then reports.
@Suite("The comparison gate")
struct GateTests {
    static let labels = Fixtures.testSplit.labels
    static let otherWeights = String(repeating: "ef", count: 32)

    /// Makes `record` a collapsed training: accuracy 0.10, every test image predicted wrong.
    static func collapse(_ record: inout TrainingRecord) {
        record.testAccuracy = 0.10
        record.testPredictions = String(labels.map { Character(String(($0 + 1) % 10)) })
    }

    static func index(_ id: String, in run: ResultsDocument) throws -> Int {
        try #require(run.trainings.firstIndex { $0.id == id })
    }

    static func compare(_ a: ResultsDocument, _ b: ResultsDocument) throws -> RunComparison {
        try RunComparison(a, b, nameA: "a", nameB: "b", labels: labels)
    }

    // MARK: identical

    @Test func sameWeightsAndSameMetricsStillSayIdenticalAndPass() throws {
        let run = Fixtures.results()
        let comparison = try Self.compare(run, run)
        #expect(comparison.rows.allSatisfy { $0.verdict == .identical && !$0.sameWeightsDifferentMetrics })
        #expect(comparison.rows.first { $0.id == "2.3" }?.test == "same weights (SHA-256) and metrics")
        let gate = GateDecision(comparison, policy: .init(failOnWorse: true, tolerance: 0.002))
        #expect(gate.passes)
        #expect(gate.lines == ["Gate passed."])
        #expect(gate.accepted.isEmpty)
    }

    @Test func withoutFailOnOrToleranceTheGateSaysNothing() throws {
        let a = Fixtures.results()
        var b = a
        b.trainings.removeAll { $0.id == "3.1" }
        let gate = GateDecision(try Self.compare(a, b), policy: .init())
        #expect(gate.passes && gate.lines.isEmpty && gate.failures.isEmpty)
    }

    // MARK: the same cache key must give the same bits

    @Test func aTrainingThatKeptItsKeyMustBeIdentical() throws {
        let a = Fixtures.results()
        var b = a
        let i = try Self.index("2.3", in: b)
        b.trainings[i].weightsSHA256 = Self.otherWeights   // another result under the same key
        b.trainings[i].testAccuracy += 0.0001
        let comparison = try Self.compare(a, b)
        #expect(comparison.rows.allSatisfy { $0.sameCacheKey })
        let gate = GateDecision(comparison, policy: .init(requireIdentical: true))
        #expect(!gate.passes)
        #expect(gate.failures.first?.hasPrefix("not identical under the same cache key") == true, "\(gate.failures)")
        #expect(gate.failures.first?.hasSuffix(": 2.3") == true, "\(gate.failures)")
        #expect(gate.lines.contains("Gate: every training kept its cache key, and each must be identical."))
        // The statistical gate alone lets such a small drift through.
        #expect(GateDecision(comparison, policy: .init(failOnWorse: true)).passes)
    }

    @Test func aTrainingWhoseKeyChangedIsJudgedByTheTestsAndNamed() throws {
        let a = Fixtures.results()
        var b = a
        let i = try Self.index("2.3", in: b)
        b.trainings[i].cacheKey = String(repeating: "0", count: 64)
        b.trainings[i].weightsSHA256 = Self.otherWeights
        let comparison = try Self.compare(a, b)
        let row = try #require(comparison.rows.first { $0.id == "2.3" })
        #expect(!row.sameCacheKey && row.verdict != .identical)
        let gate = GateDecision(comparison, policy: .init(failOnWorse: true, requireIdentical: true))
        #expect(gate.passes, "\(gate.failures)")
        #expect(gate.changedKeys == ["2.3"])
        #expect(gate.lines.contains { $0.hasPrefix("Gate: cache keys changed for 2.3;") })
        // A key that changed does not excuse a collapse.
        Self.collapse(&b.trainings[i])
        let collapsed = try Self.compare(a, b)
        #expect(!GateDecision(collapsed, policy: .init(failOnWorse: true, requireIdentical: true)).passes)
    }

    // MARK: same weights, different metrics

    @Test func sameWeightsWithOtherMetricsAreTestedAndACollapseFailsTheGate() throws {
        let a = Fixtures.results()
        var b = a
        Self.collapse(&b.trainings[try Self.index("2.3", in: b)])   // the weights' hash is left as it was
        let comparison = try Self.compare(a, b)
        let row = try #require(comparison.rows.first { $0.id == "2.3" })
        #expect(row.verdict == .worse)
        #expect(row.sameWeightsDifferentMetrics)
        #expect(row.test.hasPrefix("⚠ same weights (SHA-256) but different test accuracy; McNemar"))
        #expect(comparison.summary.contains("Same weights (SHA-256) but different metrics: 2.3"))
        #expect(comparison.table().contains("same weights (SHA-256) but different test accuracy"))
        let gate = GateDecision(comparison, policy: .init(failOnWorse: true))
        #expect(!gate.passes)
        #expect(gate.failures == ["significantly worse: 2.3"])
        let tolerance = GateDecision(comparison, policy: .init(tolerance: 0.002))
        #expect(tolerance.failures == ["dropped by more than 0.002: 2.3"])
    }

    @Test func aDifferentFinalValueOfTheHistoryIsNotIdenticalEither() throws {
        let a = Fixtures.results()
        var b = a
        let single = try Self.index("2.4", in: b)
        b.trainings[single].history.valAccuracy[b.trainings[single].history.valAccuracy.count - 1] -= 0.01
        let replicate = try Self.index("2.4-sweep-3-r2", in: b)
        b.trainings[replicate].testLoss += 0.5
        let comparison = try Self.compare(a, b)
        let row = try #require(comparison.rows.first { $0.id == "2.4" })
        // The predictions are the same, so McNemar finds nothing; but the row is not "identical".
        #expect(row.verdict == .withinNoise)
        #expect(row.test.contains("different final validation accuracy"))
        let sweep = try #require(comparison.rows.first { $0.id == "2.4 sweep L2 0.0005005" })
        #expect(sweep.verdict != .identical && sweep.sameWeightsDifferentMetrics)
        #expect(sweep.test.contains("same weights (SHA-256) for every replicate but different test loss"))
        #expect(comparison.rows.filter { $0.verdict == .identical }.count == comparison.rows.count - 2)
    }

    // MARK: rows that cannot be tested

    @Test func aCollapseWithoutPairedPredictionsFailsUnlessAccepted() throws {
        let a = Fixtures.results()
        var b = a
        let i = try Self.index("2.3", in: b)
        Self.collapse(&b.trainings[i])
        b.trainings[i].weightsSHA256 = Self.otherWeights
        b.trainings[i].testPredictions = ""
        let comparison = try Self.compare(a, b)
        #expect(comparison.rows.first { $0.id == "2.3" }?.verdict == .untested)
        let reason = "2.3 (no paired test predictions: A has 10000, B has 0 of 10000)"

        let gate = GateDecision(comparison, policy: .init(failOnWorse: true))
        #expect(!gate.passes)
        #expect(gate.failures == ["not tested: \(reason) — pass --accept-untested to accept"])
        #expect(gate.lines == ["Gate failed: not tested: \(reason) — pass --accept-untested to accept."])

        let accepting = GateDecision(comparison, policy: .init(failOnWorse: true, acceptUntested: true))
        #expect(accepting.passes)
        #expect(accepting.lines == ["Gate passed.", "Gate: --accept-untested accepted rows that could not be tested: \(reason)."])
        // Accepting what is missing does not accept what is untested.
        #expect(!GateDecision(comparison, policy: .init(failOnWorse: true, acceptMissing: true)).passes)
    }

    @Test func toleranceModeAlsoRefusesAnUntestedRow() throws {
        let a = Fixtures.results()
        var b = a
        let i = try Self.index("3.1", in: b)
        b.trainings[i].testAccuracy -= 0.001              // within the tolerance…
        b.trainings[i].weightsSHA256 = Self.otherWeights
        b.trainings[i].testPredictions = String(b.trainings[i].testPredictions.prefix(100))   // …but not testable
        let comparison = try Self.compare(a, b)
        let gate = GateDecision(comparison, policy: .init(tolerance: 0.002))
        #expect(gate.failures.count == 1 && gate.failures[0].hasPrefix("not tested: 3.1 ("))
        #expect(GateDecision(comparison, policy: .init(tolerance: 0.002, acceptUntested: true)).passes)
    }

    @Test func aSweepPointWithOneReplicateFailsUnlessBothAreAccepted() throws {
        let a = Fixtures.results()
        var b = a
        b.trainings.removeAll { $0.id == "2.4-sweep-1-r2" || $0.id == "2.4-sweep-1-r3" }
        let i = try Self.index("2.4-sweep-1-r1", in: b)
        b.trainings[i].weightsSHA256 = Self.otherWeights
        b.trainings[i].history.valAccuracy[b.trainings[i].history.valAccuracy.count - 1] = 0.10
        let comparison = try Self.compare(a, b)
        let row = try #require(comparison.rows.first { $0.id == "2.4 sweep L2 1e-06" })
        #expect(row.verdict == .untested)
        #expect(row.test == "fewer than 2 replicates on a side: A has 3, B has 1")

        let gate = GateDecision(comparison, policy: .init(failOnWorse: true))
        #expect(gate.failures == [
            "in A but missing from B: 2.4-sweep-1-r2, 2.4-sweep-1-r3 — pass --accept-missing to accept",
            "not tested: 2.4 sweep L2 1e-06 (fewer than 2 replicates on a side: A has 3, B has 1) — pass --accept-untested to accept",
        ])
        #expect(!GateDecision(comparison, policy: .init(failOnWorse: true, acceptUntested: true)).passes)
        let accepting = GateDecision(comparison, policy: .init(failOnWorse: true, acceptMissing: true, acceptUntested: true))
        #expect(accepting.passes)
        #expect(accepting.accepted == [
            "--accept-missing accepted trainings in A but missing from B: 2.4-sweep-1-r2, 2.4-sweep-1-r3",
            "--accept-untested accepted rows that could not be tested: 2.4 sweep L2 1e-06 (fewer than 2 replicates on a side: A has 3, B has 1)",
        ])
    }

    @Test func aSweepOfSingleReplicatesOnBothSidesIsNotTested() throws {
        var a = Fixtures.results()
        a.trainings.removeAll { $0.replicate.map { $0 > 0 } ?? false }
        var b = a
        for i in b.trainings.indices where b.trainings[i].sweepIndex != nil {
            b.trainings[i].weightsSHA256 = Self.otherWeights
        }
        let comparison = try Self.compare(a, b)
        #expect(comparison.onlyInA.isEmpty)
        let gate = GateDecision(comparison, policy: .init(failOnWorse: true))
        #expect(gate.failures.count == 1)
        #expect(gate.failures[0].hasPrefix("not tested: 2.4 sweep L2 1e-06 (fewer than 2 replicates on a side: A has 1, B has 1), 2.4 sweep L2 0.0002507 ("))
    }

    @Test func aSingleTrainingFacingASweepPointIsNotTested() throws {
        let a = Fixtures.results()
        var b = a
        let i = try Self.index("2.3", in: b)
        b.trainings[i].sweepIndex = 0
        b.trainings[i].replicate = 0
        let comparison = try Self.compare(a, b)
        let row = try #require(comparison.rows.first { $0.id == "2.3" })
        #expect(row.verdict == .untested && row.test == "B's 2.3 is a sweep point, A's a single training")
        #expect(!GateDecision(comparison, policy: .init(failOnWorse: true)).passes)
    }

    // MARK: trainings missing from B

    @Test func aTrainingMissingFromBFailsUnlessAccepted() throws {
        let a = Fixtures.results()
        var b = a
        b.trainings.removeAll { $0.id == "3.1" }
        let comparison = try Self.compare(a, b)
        #expect(comparison.onlyInA == ["3.1"])
        for policy in [GateDecision.Policy(failOnWorse: true), GateDecision.Policy(tolerance: 0.002),
                       GateDecision.Policy(requireComplete: true)] {
            let gate = GateDecision(comparison, policy: policy)
            #expect(gate.failures == ["in A but missing from B: 3.1 — pass --accept-missing to accept"])
        }
        let accepting = GateDecision(comparison, policy: .init(failOnWorse: true, acceptMissing: true))
        #expect(accepting.passes)
        #expect(accepting.lines == ["Gate passed.", "Gate: --accept-missing accepted trainings in A but missing from B: 3.1."])
        #expect(comparison.markdown(gate: accepting).contains("**Gate: --accept-missing accepted trainings in A but missing from B: 3.1.**"))
    }

    /// `requireComplete` alone (history's newest step) fails on nothing else: a worse row passes it.
    @Test func requireCompleteJudgesMissingAndUntestedOnly() throws {
        let a = Fixtures.results()
        var b = a
        Self.collapse(&b.trainings[try Self.index("2.3", in: b)])
        let comparison = try Self.compare(a, b)
        #expect(GateDecision(comparison, policy: .init(failOnWorse: true)).failures == ["significantly worse: 2.3"])
        #expect(GateDecision(comparison, policy: .init(requireComplete: true)).passes)
    }

    @Test func aMetricWithoutAFiniteDifferenceCountsAsADrop() throws {
        let a = Fixtures.results()
        var b = a
        b.trainings[try Self.index("2.3", in: b)].testAccuracy = .nan
        let comparison = try Self.compare(a, b)
        #expect(comparison.drops(beyond: 0.002).map(\.id) == ["2.3"])
    }
}
