import Analysis
import Testing

/// The sweep's rules on the full-profile run of this project (replicates known) and on the
/// notebook's published summaries (means and np.std only), against scipy 1.17's values.
@Suite struct SweepAnalysisTests {
    static let factors = [1e-6, 2.5075e-4, 5.005e-4, 7.5025e-4, 1e-3]
    static let run: [[Double]] = [[0.9824, 0.9814, 0.9813], [0.9803, 0.9834, 0.9820], [0.9827, 0.9818, 0.9839],
                                  [0.9819, 0.9827, 0.9830], [0.9806, 0.9807, 0.9792]]
    static let training: [[Double]] = [[1.0, 1.0, 1.0], [0.9995, 0.9994, 0.9995], [0.9979, 0.9976, 0.9977],
                                       [0.9959, 0.9961, 0.9958], [0.9930, 0.9938, 0.9935]]

    static func analysis(_ replicates: [[Double]], training: [[Double]]? = nil) -> SweepAnalysis? {
        SweepAnalysis(zip(factors, replicates).enumerated().map { i, pair in
            SweepAnalysis.Setting(value: pair.0, replicates: pair.1, training: training?[i])
        })
    }

    @Test func pooledStepsAnovaAndHolmMatchScipy() throws {
        let sweep = try #require(Self.analysis(Self.run))
        #expect(sweep.steps.count == 5 && sweep.familySize == 7)
        // scipy: t-tests with the pooled SD on 10 degrees of freedom, f_oneway, Holm over all 7.
        let expected = [0.809893, 0.292332, 0.748682, 0.015221, 0.087514]
        for (a, b) in zip(sweep.steps.map(\.p), expected) { #expect(abs(a - b) < 1e-5) }
        #expect(abs(sweep.steps[3].t - -2.923024) < 1e-5)
        #expect(abs(sweep.steps[3].adjustedP - 7 * 0.015221) < 1e-4)
        #expect(abs(sweep.steps[4].adjustedP - 6 * 0.087514) < 1e-4)
        #expect(sweep.steps[0].adjustedP == 1)
        #expect(abs(sweep.anova.f - 3.221356) < 1e-5 && abs(sweep.anova.p - 0.060775) < 1e-5)
        #expect(sweep.anova.df1 == 4 && sweep.anova.df2 == 10)
        // (t₀.₉₇₅ + t₀.₈) · s · √(2/3) on 10 degrees of freedom.
        #expect(abs(sweep.minimumDetectableDifference - 0.0025158) < 1e-6)
    }

    @Test func slopesMatchScipy() throws {
        let sweep = try #require(Self.analysis(Self.run))
        let slope = try #require(sweep.slope), rest = try #require(sweep.slopeWithoutLargest)
        #expect(abs(slope.slope - -0.974308) < 1e-5 && abs(slope.standardError - 0.923076) < 1e-5 && abs(slope.p - 0.310418) < 1e-5)
        #expect(abs(rest.slope - 1.361361) < 1e-5 && abs(rest.p - 0.197825) < 1e-5)
        #expect(abs(rest.adjustedP - min(1, 5 * 0.197825)) < 1e-4 && slope.adjustedP == 1)
        #expect(abs(sweep.pooledSD - 0.000991632) < 1e-8 && sweep.pooledDegreesOfFreedom == 10)
    }

    @Test func theRunsDropIsNotEstablishedOverTheFamily() throws {
        // The last step alone has p = 0.015, but the analysis of variance (p = 0.061) and Holm
        // over the seven tests (0.107) do not back it: the sweep cannot rank these factors.
        let sweep = try #require(Self.analysis(Self.run, training: Self.training))
        #expect(sweep.shape == .flat)
        #expect(sweep.worst == 4 && sweep.best == 2)
        #expect(sweep.strongestStep?.lower == 3 && sweep.strongestStep?.higher == 4)
        #expect(sweep.steps[3].separated)
        #expect(!sweep.steps[1].separated)
        #expect(sweep.settingsEntirelyAbove(4) == [0, 2, 3])
        #expect(sweep.trainingFallsThroughout == true)
    }

    @Test func aClearDropAtTheLargestFactorIsOne() throws {
        var replicates = Self.run
        replicates[4] = [0.9760, 0.9765, 0.9752]
        #expect(Self.analysis(replicates)?.shape == .dropAtLargest)
    }

    @Test func theNotebooksReplicatesShowNoSignificantTrend() throws {
        let sweep = try #require(Self.analysis([
            [0.9818999767303467, 0.9812999963760376, 0.9821000099182129], [0.9811000227928162, 0.9829999804496765, 0.9815999865531921],
            [0.9830999970436096, 0.9796000123023987, 0.9799000024795532], [0.9818999767303467, 0.9815000295639038, 0.9811999797821045],
            [0.9796000123023987, 0.9790999889373779, 0.9817000031471252]]))
        let slope = try #require(sweep.slope)
        // scipy: linregress over the 15 values, f_oneway over the five factors.
        #expect(abs(slope.slope - -1.454783) < 1e-5 && abs(slope.p - 0.099810) < 1e-5)
        #expect(abs(sweep.anova.p - 0.380507) < 1e-5)
        #expect(sweep.shape == .flat)
        #expect(sweep.trainingFallsThroughout == nil)
    }

    @Test func summariesWithoutReplicatesAreNeverCalledSeparated() throws {
        let means = [0.98177, 0.98190, 0.98087, 0.98153, 0.98013], sds = [0.00034, 0.00080, 0.00158, 0.00029, 0.00113]
        let sweep = try #require(SweepAnalysis(zip(Self.factors, zip(means, sds)).map {
            SweepAnalysis.Setting(value: $0.0, summary: Statistics.Summary(count: 3, mean: $0.1.0, populationSD: $0.1.1))
        }))
        #expect(!sweep.steps[3].separated)
    }

    @Test func aSteadyDeclineIsDecreasing() throws {
        let declining = (0..<5).map { i in [0.990, 0.9905, 0.9895].map { $0 - 0.002 * Double(i) } }
        #expect(Self.analysis(declining)?.shape == .decreasing)
        let rising = (0..<5).map { i in [0.980, 0.9805, 0.9795].map { $0 + 0.002 * Double(i) } }
        #expect(Self.analysis(rising)?.shape == .increasing)
        let flat = (0..<5).map { i in [0.980, 0.9810, 0.9790].map { $0 + 0.0001 * Double(i % 2) } }
        #expect(Self.analysis(flat)?.shape == .flat)
        let training = (0..<5).map { i in [0.999 - 0.001 * Double(i % 2)] }
        #expect(Self.analysis(flat, training: training)?.trainingFallsThroughout == false)
    }

    @Test func refusesWhatItCannotTest() {
        #expect(SweepAnalysis([SweepAnalysis.Setting(value: 1, replicates: [0.9, 0.91])]) == nil)
        #expect(SweepAnalysis([SweepAnalysis.Setting(value: 1, replicates: [0.9]), SweepAnalysis.Setting(value: 2, replicates: [0.9, 0.8])]) == nil)
        #expect(SweepAnalysis([SweepAnalysis.Setting(value: 2, replicates: [0.9, 0.91]), SweepAnalysis.Setting(value: 1, replicates: [0.9, 0.8])]) == nil)
    }

    @Test func summariesConvertBetweenSampleAndPopulationSD() {
        let s = Statistics.Summary([1, 2, 3])
        #expect(abs(s.sampleSD - 1) < 1e-12)
        #expect(abs(s.populationSD - (2.0 / 3).squareRoot()) < 1e-12)
        let published = Statistics.Summary(count: 3, mean: 2, populationSD: (2.0 / 3).squareRoot())
        #expect(abs(published.sampleSD - 1) < 1e-12)
    }

    @Test func holmIsStepDownAndMonotone() {
        let adjusted = Statistics.holm([0.01, 0.04, 0.03, 0.5])
        for (a, b) in zip(adjusted, [0.04, 0.09, 0.09, 0.5]) { #expect(abs(a - b) < 1e-12) }
        #expect(Statistics.holm([]) == [])
        #expect(Statistics.holm([0.6, 0.7]) == [1, 1])
    }
}
