/// One setup's accuracy against a published figure, judged against the seed-to-seed spread.
///
/// A published accuracy comes with no spread, so the question is whether this setup's
/// trainings differ from it by more than seed noise. When the reference is itself one training
/// (a published result, another run's), it carries a seed draw of its own: the difference of one
/// training and another then has standard deviation √2 · σ, not σ.
/// - With two or more trainings of the setup, a Student test of their mean, its standard error
///   s · √(1/n) against a fixed value, s · √(1/n + 1) against one training;
/// - with one training, its difference in units of that yardstick, from a seed standard
///   deviation measured elsewhere (`borrowedSD`, for example the pooled spread of a sweep's
///   replicates): beyond two of them the difference counts as real.
/// Short of that, the run *matches* the figure, on the side the difference falls.
public struct ReferenceComparison: Sendable, Equatable {
    public enum Verdict: String, Sendable, Equatable, CaseIterable {
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
    /// Whether the reference is one training (a seed draw of its own) rather than a fixed value.
    public let referenceIsOneTraining: Bool
    /// The standard deviation a single training's difference is measured in: σ against a fixed
    /// value, √2 · σ against one training; nil without a spread.
    public var yardstick: Double? { seedSD.map { referenceIsOneTraining ? $0 * 2.0.squareRoot() : $0 } }
    public let borrowed: Bool
    /// The one-sample test's p (two or more trainings), nil otherwise.
    public let p: Double?
    public let verdict: Verdict

    /// - Parameters:
    ///   - accuracies: one or more trainings of the same setup.
    ///   - reference: the published accuracy.
    ///   - referenceIsOneTraining: the reference is one training's result, not a fixed value.
    ///   - borrowedSD: the seed spread to use when `accuracies` holds a single value.
    public init?(accuracies: [Double], reference: Double, referenceIsOneTraining: Bool, borrowedSD: Double?) {
        guard !accuracies.isEmpty, accuracies.allSatisfy(\.isFinite), reference.isFinite else { return nil }
        let summary = Statistics.Summary(accuracies)
        (mean, count, self.reference) = (summary.mean, accuracies.count, reference)
        self.referenceIsOneTraining = referenceIsOneTraining
        difference = summary.mean - reference
        let real: Bool
        if accuracies.count >= 2 {
            let sd = summary.sampleSD
            (seedSD, borrowed) = (sd, false)
            if sd > 0 {
                let n = Double(accuracies.count)
                let t = difference / (sd * (1 / n + (referenceIsOneTraining ? 1 : 0)).squareRoot())
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
                real = abs(difference) > Self.standardDeviations * sd * (referenceIsOneTraining ? 2.0.squareRoot() : 1)
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

    /// The difference in units of the yardstick (σ, or √2 · σ against one training), when a
    /// spread is known.
    public var inStandardDeviations: Double? {
        guard let sd = yardstick, sd > 0 else { return nil }
        return difference / sd
    }
}
