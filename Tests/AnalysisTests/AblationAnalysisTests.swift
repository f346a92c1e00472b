import Analysis
import Testing

/// The ablation's verdicts: the paired t-test on the seeds' differences and Holm with
/// replicates, 2 √2 σ of a borrowed σ without. Expected figures from SciPy 1.x
/// (`scipy.stats.ttest_rel`, `t.isf`) on the same numbers.
@Suite struct AblationAnalysisTests {
    static let reference = [0.9930, 0.9925, 0.9934]
    /// Without augmentation, each seed gains (+0.0021, +0.0024, +0.0017: the report's run);
    /// two rows whose seeds disagree.
    static let variants = [[0.9951, 0.9949, 0.9951], [0.9911, 0.9930, 0.9921], [0.9936, 0.9921, 0.9940]]

    @Test func replicatesArePairedBySeedAndHolmGuardsTheFamily() throws {
        let a = try #require(AblationAnalysis(reference: Self.reference, variants: Self.variants, borrowedSD: 0.5))
        #expect(a.replicated && a.borrowedSD == nil && a.yardstick == nil)
        let p = a.rows.map { $0.p! }
        #expect(abs(p[0] - 0.0094886105) < 1e-8 && abs(p[1] - 0.3383068401) < 1e-8 && abs(p[2] - 0.5076340361) < 1e-8)
        // Holm: the smallest p tripled, the others doubled and kept in order.
        #expect(abs(a.rows[0].adjustedP! - 0.0284658316) < 1e-8 && abs(a.rows[1].adjustedP! - 0.6766136802) < 1e-8)
        #expect(a.rows.map(\.verdict) == [.gains, .inconclusive, .inconclusive])
        #expect(abs(a.rows[0].difference - 0.0020666667) < 1e-9)
        // The smallest difference each test finds: df 2, α = 0.05 / 3, power 0.8, on the
        // differences' own spread.
        #expect(abs(try #require(a.rows[0].detectable) - 0.0017659201) < 1e-9)
        #expect(abs(try #require(a.rows[1].detectable) - 0.0062804839) < 1e-9)
    }

    /// The same numbers, unpaired, would not find the gain: the seeds spread as wide as it.
    @Test func pairingFindsWhatEverySeedShows() {
        let welch = Statistics.welch(Self.variants[0], Self.reference)
        let paired = Statistics.pairedT(Self.variants[0], Self.reference)
        #expect(welch.p > 0.01 && paired.p < 0.01)
        #expect(Statistics.pairedT([0.99, 0.98], [0.99, 0.98]).p == 1)
        #expect(Statistics.pairedT([0.99, 0.98], [0.98, 0.97]).p < 1e-6)
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
