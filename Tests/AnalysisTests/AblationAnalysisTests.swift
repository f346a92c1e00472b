import Analysis
import Testing

/// The ablation's verdicts: Welch and Holm with replicates, 2 √2 σ of a borrowed σ without.
/// Expected figures from SciPy 1.x (`scipy.stats.t.sf`, `t.isf`) on the same numbers.
@Suite struct AblationAnalysisTests {
    static let reference = [0.990, 0.992, 0.991]
    static let variants = [[0.985, 0.987, 0.986], [0.9905, 0.9915, 0.9910], [0.9926, 0.9936, 0.9931]]

    @Test func replicatesUseTheirOwnSpreadsAndHolmGuardsTheFamily() throws {
        let a = try #require(AblationAnalysis(reference: Self.reference, variants: Self.variants, borrowedSD: 0.5))
        #expect(a.replicated && a.borrowedSD == nil && a.yardstick == nil)
        let p = a.rows.map { $0.p! }
        #expect(abs(p[0] - 0.0036022326) < 1e-8 && abs(p[1] - 1) < 1e-9 && abs(p[2] - 0.0487251295) < 1e-8)
        // The last variant's raw p is below 0.05, but Holm's second step doubles it: 0.097.
        #expect(abs(a.rows[2].adjustedP! - 2 * p[2]) < 1e-12)
        #expect(a.rows.map(\.verdict) == [.costs, .inconclusive, .inconclusive])
        #expect(abs(a.rows[0].difference + 0.005) < 1e-12)
        // The smallest difference each test finds: Welch's df 4 and 2.94 at α = 0.05 / 3, power 0.8.
        #expect(abs(try #require(a.rows[0].detectable) - 0.00400226298) < 1e-8)
        #expect(abs(try #require(a.rows[2].detectable) - 0.00382240672) < 1e-8)
    }

    @Test func aClearGainCountsAsOne() throws {
        let a = try #require(AblationAnalysis(reference: Self.reference, variants: [[0.996, 0.997, 0.998]], borrowedSD: nil))
        #expect(a.rows[0].verdict == .gains)
    }

    @Test func singleTrainingsBorrowSigmaAndNeedTwoRootTwoSigma() throws {
        // σ = 0.001: the bar is 2 √2 σ = 0.00283.
        let a = try #require(AblationAnalysis(reference: [0.9900], variants: [[0.9870], [0.9875], [0.9930]], borrowedSD: 0.001))
        #expect(!a.replicated && a.borrowedSD == 0.001 && a.p(0) == nil)
        #expect(abs(try #require(a.yardstick) - 0.002828427) < 1e-9)
        #expect(a.rows.map(\.verdict) == [.costs, .inconclusive, .gains])
        #expect(AblationAnalysis(reference: [0.99], variants: [[0.98]], borrowedSD: nil)?.rows[0].verdict == .inconclusive)
    }

    @Test func aGroupOfOneMeansBorrowingAndEmptyInputIsRefused() {
        let mixed = AblationAnalysis(reference: [0.990, 0.991], variants: [[0.985]], borrowedSD: 0.001)
        #expect(mixed?.replicated == false)
        #expect(AblationAnalysis(reference: [0.99], variants: [], borrowedSD: 0.001) == nil)
        #expect(AblationAnalysis(reference: [0.99], variants: [[]], borrowedSD: 0.001) == nil)
        #expect(AblationAnalysis(reference: [.nan], variants: [[0.99]], borrowedSD: 0.001) == nil)
    }
}

private extension AblationAnalysis {
    func p(_ row: Int) -> Double? { rows[row].p }
}
