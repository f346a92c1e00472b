/// What each ingredient of a recipe brings: the test accuracies of the recipe with every
/// ingredient (the reference group) and without each in turn, every group trained from the
/// same seeds, in the same order.
///
/// - With two or more trainings in every group, each variant is tested against the reference
///   with the paired t-test on the seeds' differences: the same seed starts both trainings
///   (initial weights, batch order), so what a seed does to both cancels, and no common σ of
///   the groups is assumed (an ingredient may change how far the seeds spread: a schedule that
///   anneals to zero narrows it). The p-values are Holm-adjusted over the variants, and a
///   difference counts where the adjusted p is below 0.05. Each row also gives the smallest
///   difference its test finds with 80 % power, since a test that finds nothing does not show
///   that an ingredient does nothing.
/// - With one training per group there is no spread of the family's own. σ is borrowed from
///   elsewhere, and a difference counts only beyond two standard deviations of the difference of
///   two single trainings, 2 √2 σ.
public struct AblationAnalysis: Sendable {
    public enum Verdict: Sendable, Equatable {
        /// Leaving the ingredient out costs accuracy.
        case costs
        /// Leaving it out gains accuracy.
        case gains
        /// The data cannot tell.
        case inconclusive
    }

    public struct Row: Sendable {
        public var summary: Statistics.Summary
        /// The variant's mean minus the reference's.
        public var difference: Double
        /// The paired test against the reference, raw and Holm-adjusted (with replicates).
        public var p: Double?
        public var adjustedP: Double?
        /// With replicates: the smallest true difference this row's test finds with 80 % power
        /// at the first Holm step's level (α / number of variants).
        public var detectable: Double?
        public var verdict: Verdict
    }

    public let reference: Statistics.Summary
    /// The variants, in the order given.
    public let rows: [Row]
    /// Every group holds two or more trainings: the tests use the groups' own spreads.
    public let replicated: Bool
    /// Without replicates: the borrowed σ and 2 √2 σ, the bar a single difference must clear.
    public let borrowedSD: Double?
    public let yardstick: Double?

    public static let significance = 0.05
    static let power = 0.8

    /// - Parameters:
    ///   - reference: the accuracies of the full recipe, one per seed.
    ///   - variants: each variant's accuracies, from the same seeds in the same order (with
    ///     replicates, as many as the reference's).
    ///   - borrowedSD: the seed spread to use when some group holds a single training.
    public init?(reference: [Double], variants: [[Double]], borrowedSD: Double?) {
        let groups = [reference] + variants
        guard !variants.isEmpty, groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isFinite) }) else { return nil }
        let summaries = groups.map(Statistics.Summary.init)
        self.reference = summaries[0]
        let differences = summaries.dropFirst().map { $0.mean - summaries[0].mean }
        replicated = groups.allSatisfy { $0.count >= 2 && $0.count == reference.count }
        if replicated {
            let level = Self.significance / Double(variants.count)
            let tests = variants.map { Statistics.pairedT($0, reference) }
            let adjusted = Statistics.holm(tests.map(\.p))
            rows = tests.indices.map { i in
                let (variant, test) = (summaries[i + 1], tests[i])
                let se = test.sdDifference / Double(reference.count).squareRoot()
                let detectable = (Statistics.studentQuantile(upper: level / 2, df: test.df)
                    + Statistics.studentQuantile(upper: 1 - Self.power, df: test.df)) * se
                let real = adjusted[i] < Self.significance
                return Row(summary: variant, difference: differences[i], p: test.p, adjustedP: adjusted[i], detectable: detectable,
                           verdict: real ? (differences[i] < 0 ? .costs : .gains) : .inconclusive)
            }
            (self.borrowedSD, yardstick) = (nil, nil)
        } else {
            let bar = borrowedSD.map { ReferenceComparison.standardDeviations * 2.0.squareRoot() * $0 }
            rows = differences.indices.map { i in
                let d = differences[i]
                let real = bar.map { $0 > 0 && abs(d) > $0 } ?? false
                return Row(summary: summaries[i + 1], difference: d, p: nil, adjustedP: nil, detectable: nil,
                           verdict: real ? (d < 0 ? .costs : .gains) : .inconclusive)
            }
            (self.borrowedSD, yardstick) = (borrowedSD, bar)
        }
    }
}
