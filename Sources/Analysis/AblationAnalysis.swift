/// What each ingredient of a recipe brings: the test accuracies of the recipe with every
/// ingredient (the reference group) and without each in turn, every group trained from the
/// same seeds.
///
/// - With two or more trainings in every group, σ is pooled within the groups: this family's
///   own seed spread, on N − k degrees of freedom. Each variant is tested against the reference
///   with Student's test on that σ, and the p-values are Holm-adjusted over the variants. A
///   difference counts where the adjusted p is below 0.05; the smallest difference the design
///   finds with 80 % power is given beside the verdicts, since a test that finds nothing does
///   not show that an ingredient does nothing.
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
        /// Student's pooled test against the reference, raw and Holm-adjusted (with replicates).
        public var p: Double?
        public var adjustedP: Double?
        public var verdict: Verdict
    }

    public let reference: Statistics.Summary
    /// The variants, in the order given.
    public let rows: [Row]
    /// The seed spread used: pooled within the groups, or the borrowed one (nil: none known).
    public let sd: Double?
    /// The pooled σ's degrees of freedom; nil when σ is borrowed.
    public let degreesOfFreedom: Int?
    public var borrowed: Bool { degreesOfFreedom == nil }
    /// With replicates: the smallest true difference found with 80 % power at the adjusted
    /// level of the first Holm step (α / number of variants).
    public let minimumDetectableDifference: Double?
    /// With one training per group: 2 √2 σ, the bar a single difference must clear.
    public let yardstick: Double?

    public static let significance = 0.05

    /// - Parameters:
    ///   - reference: the accuracies of the full recipe, one per seed.
    ///   - variants: each variant's accuracies, from the same seeds.
    ///   - borrowedSD: the seed spread to use when some group holds a single training.
    public init?(reference: [Double], variants: [[Double]], borrowedSD: Double?) {
        let groups = [reference] + variants
        guard !variants.isEmpty, groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isFinite) }) else { return nil }
        let summaries = groups.map(Statistics.Summary.init)
        self.reference = summaries[0]
        let differences = summaries.dropFirst().map { $0.mean - summaries[0].mean }
        if groups.allSatisfy({ $0.count >= 2 }) {
            let df = summaries.reduce(0) { $0 + $1.count - 1 }
            let sd = (summaries.reduce(0) { $0 + Double($1.count - 1) * $1.variance } / Double(df)).squareRoot()
            let p = summaries.dropFirst().map { Statistics.pooledT($0, summaries[0], sd: sd, df: df).p }
            let adjusted = Statistics.holm(p)
            rows = summaries.indices.dropFirst().map { i in
                let real = adjusted[i - 1] < Self.significance
                return Row(summary: summaries[i], difference: differences[i - 1], p: p[i - 1], adjustedP: adjusted[i - 1],
                           verdict: real ? (differences[i - 1] < 0 ? .costs : .gains) : .inconclusive)
            }
            (self.sd, degreesOfFreedom, yardstick) = (sd, df, nil)
            let smallest = summaries.map(\.count).min()!
            minimumDetectableDifference = Statistics.minimumDetectableDifference(
                sd: sd, df: df, count: smallest, significance: Self.significance / Double(variants.count))
        } else {
            let bar = borrowedSD.map { ReferenceComparison.standardDeviations * 2.0.squareRoot() * $0 }
            rows = summaries.indices.dropFirst().map { i in
                let d = differences[i - 1]
                let real = bar.map { $0 > 0 && abs(d) > $0 } ?? false
                return Row(summary: summaries[i], difference: d, p: nil, adjustedP: nil,
                           verdict: real ? (d < 0 ? .costs : .gains) : .inconclusive)
            }
            (sd, degreesOfFreedom, yardstick, minimumDetectableDifference) = (borrowedSD, nil, bar, nil)
        }
    }
}
