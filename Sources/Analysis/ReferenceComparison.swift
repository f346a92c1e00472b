/// One setup's accuracy against a published figure, judged against the seed-to-seed spread.
///
/// A published accuracy comes with no spread, so the question is whether this setup's
/// trainings differ from it by more than their own seed noise:
/// - with two or more trainings of the setup, a one-sample Student test of their mean;
/// - with one training, its difference in units of a seed standard deviation measured
///   elsewhere (`borrowedSD`, for example the pooled spread of a sweep's replicates), beyond
///   two of which the difference counts as real.
/// Short of that, the run *matches* the figure, on the side the difference falls.
public struct ReferenceComparison: Sendable, Equatable {
    public enum Verdict: String, Sendable, Equatable {
        case above, matchesOrSlightlyAbove, matchesOrSlightlyBelow, below
    }

    public static let significance = 0.05
    /// With one training, the difference in seed standard deviations beyond which it counts.
    public static let standardDeviations = 2.0

    public let mean: Double
    public let count: Int
    public let reference: Double
    /// mean − reference.
    public let difference: Double
    /// The spread used: the trainings' own sample SD, or the borrowed one.
    public let seedSD: Double?
    public let borrowed: Bool
    /// The one-sample test's p (two or more trainings), nil otherwise.
    public let p: Double?
    public let verdict: Verdict

    /// - Parameters:
    ///   - accuracies: one or more trainings of the same setup.
    ///   - reference: the published accuracy.
    ///   - borrowedSD: the seed spread to use when `accuracies` holds a single value.
    public init?(accuracies: [Double], reference: Double, borrowedSD: Double?) {
        guard !accuracies.isEmpty, accuracies.allSatisfy(\.isFinite), reference.isFinite else { return nil }
        let summary = Statistics.Summary(accuracies)
        (mean, count, self.reference) = (summary.mean, accuracies.count, reference)
        difference = summary.mean - reference
        let real: Bool
        if accuracies.count >= 2 {
            let sd = summary.sampleSD
            (seedSD, borrowed) = (sd, false)
            if sd > 0 {
                let t = difference / (sd / Double(accuracies.count).squareRoot())
                let p = Statistics.studentTwoSidedP(t: t, df: Double(accuracies.count - 1))
                self.p = p
                real = p < Self.significance
            } else {
                p = difference == 0 ? 1 : 0
                real = difference != 0
            }
        } else {
            (seedSD, borrowed, p) = (borrowedSD, true, nil)
            if let sd = borrowedSD, sd > 0 {
                real = abs(difference) > Self.standardDeviations * sd
            } else {
                real = false
            }
        }
        switch (real, difference >= 0) {
        case (true, true): verdict = .above
        case (true, false): verdict = .below
        case (false, true): verdict = .matchesOrSlightlyAbove
        case (false, false): verdict = .matchesOrSlightlyBelow
        }
    }

    /// The difference in seed standard deviations, when a spread is known.
    public var inStandardDeviations: Double? {
        guard let sd = seedSD, sd > 0 else { return nil }
        return difference / sd
    }
}
