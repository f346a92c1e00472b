import Foundation

/// How much the seconds per epoch of one training move between consecutive runs on the same
/// kind of machine when nothing changed, learnt from a history of such steps, and how unusual
/// one step is against it.
///
/// A step is the log-ratio d = ln(later / earlier) of two runs' median seconds per epoch (the
/// same for a 0.2 s and a 3 s training: relative, and symmetric in faster and slower). On a
/// shared machine most steps are noise, a few are real changes; so the noise is the steps'
/// median absolute deviation from 0, scaled by 1.4826 to estimate a normal standard deviation,
/// which ignores up to half the steps being changes. A step's statistic is t = d / σ, tested
/// two-sided against Student's t. The median absolute deviation is robust but noisy: at the
/// normal it is as efficient as a standard deviation from 37 % of the steps, so the test gets
/// 0.37 (n − 1) degrees of freedom, not n − 1 (with n − 1, a simulated history of fifty noisy
/// commits flagged something in 5 % of the histories, at the edge of the family's level). The
/// p-values then go into the history's Holm family with every other test.
public struct SpeedNoise: Sendable, Equatable {
    /// Fewer steps than this do not tell the noise apart from changes: speeds stay untested.
    public static let minimumSteps = 5
    /// The smallest σ used, 1 % per step: below that, timings are not measured that finely, and
    /// a handful of equal timings would otherwise make every other step significant.
    public static let minimumSD = 0.01
    /// The scale turning a median absolute deviation into a normal standard deviation.
    static let madScale = 1.4826
    /// The asymptotic efficiency of the median absolute deviation at the normal, relative to the standard deviation.
    static let madEfficiency = 0.37

    /// The estimated standard deviation of a step's log-ratio.
    public var sd: Double
    /// The number of steps it was estimated from.
    public var steps: Int

    /// The noise of `logRatios`; nil with fewer than ``minimumSteps`` finite ones.
    public init?(logRatios: [Double]) {
        let finite = logRatios.filter(\.isFinite)
        guard finite.count >= Self.minimumSteps else { return nil }
        let deviations = finite.map { abs($0) }.sorted()
        let n = deviations.count
        let median = n % 2 == 1 ? deviations[n / 2] : (deviations[n / 2 - 1] + deviations[n / 2]) / 2
        sd = max(Self.madScale * median, Self.minimumSD)
        steps = n
    }

    /// The log-ratio of a step from `earlier` to `later` seconds; nil unless both are positive and finite.
    public static func logRatio(_ earlier: Double, _ later: Double) -> Double? {
        guard earlier > 0, later > 0, earlier.isFinite, later.isFinite else { return nil }
        return log(later / earlier)
    }

    /// The degrees of freedom of the test: those of a standard deviation as precise as σ.
    public var degreesOfFreedom: Double { max(1, (Self.madEfficiency * Double(steps - 1)).rounded()) }

    /// The step's statistic t = d / σ and its two-sided p-value.
    public func test(logRatio d: Double) -> (t: Double, p: Double) {
        let t = d / sd
        return (t, Statistics.studentTwoSidedP(t: t, df: degreesOfFreedom))
    }
}
