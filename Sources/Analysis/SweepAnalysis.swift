/// What a sweep over one hyper-parameter with replicate trainings supports: which settings are
/// indistinguishable, which is worse and by how much, and whether there is a trend.
///
/// First a one-way analysis of variance asks whether the settings differ at all. The family of
/// tests the report quotes is then the steps between adjacent settings, the two extremes against
/// each other, and the least-squares slope with and without the largest setting. Each step is
/// Student's test with the standard deviation between replicates pooled over every setting (one
/// estimate on all the sweep's degrees of freedom, sharper than each pair's own), and Holm's
/// correction runs over the whole family, since the chance that one of several tests of pure
/// noise falls below 0.05 is much larger than 0.05. A difference the tests do not find may still
/// be there: `minimumDetectableDifference` says how small a difference the design could see.
public struct SweepAnalysis: Sendable {
    /// One setting of the swept parameter and the scores of its replicates.
    public struct Setting: Sendable {
        public var value: Double
        public var summary: Statistics.Summary
        /// The replicates' scores, when known (published results give only their summary).
        public var replicates: [Double]?
        /// The replicates' mean training accuracy, when known.
        public var trainingMean: Double?

        public init(value: Double, replicates: [Double], training: [Double]? = nil) {
            self.value = value
            summary = Statistics.Summary(replicates)
            self.replicates = replicates
            trainingMean = training.flatMap { $0.isEmpty ? nil : $0.reduce(0, +) / Double($0.count) }
        }

        public init(value: Double, summary: Statistics.Summary) {
            (self.value, self.summary, replicates, trainingMean) = (value, summary, nil, nil)
        }
    }

    /// One test of the family: setting `lower` against setting `higher` (indices, in order of
    /// value), the difference of their means (higher − lower), the pooled test's t and p, and
    /// Holm's adjusted p over the whole family.
    public struct Step: Sendable {
        public var lower: Int
        public var higher: Int
        public var difference: Double
        public var t: Double
        public var p: Double
        public var adjustedP: Double
        /// Every replicate of one setting lies below every replicate of the other.
        public var separated: Bool
        public var adjacent: Bool { higher == lower + 1 }
    }

    /// The shape of the response, from the family's Holm-adjusted p-values (below 0.05 counts).
    public enum Shape: String, Sendable, CaseIterable {
        /// The slope over all settings is negative and stays negative without the largest
        /// setting: a decline across the range.
        case decreasing
        /// Likewise, increasing.
        case increasing
        /// The settings differ (analysis of variance), the last step alone is a decline, and
        /// without the largest setting the slope is not negative: flat, then a drop.
        case dropAtLargest
        /// No test of the family, and not the analysis of variance, finds a difference beyond
        /// the seed-to-seed spread: the sweep cannot rank the settings.
        case flat
        /// Some test finds a difference but the pattern is none of the above.
        case irregular
    }

    /// A slope and its test, with Holm's adjusted p in the family.
    public typealias SlopeTest = (slope: Double, standardError: Double, p: Double, adjustedP: Double)

    public static let significance = 0.05

    public let settings: [Setting]
    public let steps: [Step]
    public let best: Int
    public let worst: Int
    public let slope: SlopeTest?
    public let slopeWithoutLargest: SlopeTest?
    /// The spread between replicates of one setting, pooled over the settings: √(Σ(nᵢ − 1)sᵢ² / Σ(nᵢ − 1)).
    public let pooledSD: Double
    public let pooledDegreesOfFreedom: Int
    /// The omnibus test: do the settings' means differ at all?
    public let anova: (f: Double, df1: Int, df2: Int, p: Double)
    /// The number of tests Holm's correction runs over (steps, extremes and slopes).
    public let familySize: Int
    /// The smallest difference between two settings' means that the pooled test finds four
    /// times in five at 0.05, with this many replicates.
    public let minimumDetectableDifference: Double
    public let shape: Shape

    /// - Parameter settings: at least two, in increasing order of value, each with at least two replicates.
    public init?(_ settings: [Setting]) {
        guard settings.count >= 2, settings.allSatisfy({ $0.summary.count >= 2 }),
              zip(settings, settings.dropFirst()).allSatisfy({ $0.value < $1.value }) else { return nil }
        self.settings = settings
        let means = settings.map(\.summary.mean)
        best = means.indices.max { means[$0] < means[$1] }!
        worst = means.indices.min { means[$0] < means[$1] }!

        var within = 0.0, df = 0
        for s in settings {
            within += Double(s.summary.count - 1) * s.summary.variance
            df += s.summary.count - 1
        }
        let pooledSD = (within / Double(df)).squareRoot()
        (self.pooledSD, pooledDegreesOfFreedom) = (pooledSD, df)
        anova = Statistics.oneWayANOVA(settings.map(\.summary))!

        var pairs = zip(settings.indices, settings.indices.dropFirst()).map { ($0, $1) }
        if settings.count > 2 { pairs.append((0, settings.count - 1)) }
        let tests = pairs.map { Statistics.pooledT(settings[$0.1].summary, settings[$0.0].summary, sd: pooledSD, df: df) }
        let values = settings.map(\.value)
        let fullSlope = Statistics.slope(x: values, groups: settings.map(\.summary))
        let restSlope = settings.count > 2
            ? Statistics.slope(x: Array(values.dropLast()), groups: settings.dropLast().map(\.summary)) : nil
        let family = tests.map(\.p) + [fullSlope, restSlope].compactMap { $0?.p }
        familySize = family.count
        let adjusted = Statistics.holm(family)
        steps = pairs.indices.map { i in
            let (a, b) = pairs[i]
            return Step(lower: a, higher: b, difference: means[b] - means[a], t: tests[i].t, p: tests[i].p,
                        adjustedP: adjusted[i], separated: Self.separated(settings[a], settings[b]))
        }
        var next = pairs.count
        func adjustedSlope(_ s: (slope: Double, standardError: Double, p: Double)?) -> SlopeTest? {
            guard let s else { return nil }
            defer { next += 1 }
            return (s.slope, s.standardError, s.p, adjusted[next])
        }
        slope = adjustedSlope(fullSlope)
        slopeWithoutLargest = adjustedSlope(restSlope)
        let perSetting = settings.map(\.summary.count).min()!
        minimumDetectableDifference = Statistics.minimumDetectableDifference(sd: pooledSD, df: df, count: perSetting)

        let direction = { (s: SlopeTest?) -> Int in
            guard let s, s.adjustedP < Self.significance else { return 0 }
            return s.slope > 0 ? 1 : -1
        }
        let adjacentSteps = steps.filter(\.adjacent)
        let found = steps.filter { $0.adjustedP < Self.significance }
        let foundAdjacent = adjacentSteps.filter { $0.adjustedP < Self.significance }
        let overall = direction(slope), rest = direction(slopeWithoutLargest)
        if overall < 0, rest < 0 {
            shape = .decreasing
        } else if overall > 0, rest > 0 {
            shape = .increasing
        } else if anova.p < Self.significance, let last = adjacentSteps.last, foundAdjacent.count == 1,
                  foundAdjacent[0].higher == last.higher, last.difference < 0, rest >= 0 {
            shape = .dropAtLargest
        } else if overall == 0, rest == 0, found.isEmpty, anova.p >= Self.significance {
            shape = .flat
        } else {
            shape = .irregular
        }
    }

    /// Whether all replicates of one setting lie on one side of all replicates of the other.
    static func separated(_ a: Setting, _ b: Setting) -> Bool {
        guard let x = a.replicates, let y = b.replicates, !x.isEmpty, !y.isEmpty else { return false }
        return x.max()! < y.min()! || y.max()! < x.min()!
    }

    /// The settings every replicate of which lies above every replicate of `index`.
    public func settingsEntirelyAbove(_ index: Int) -> [Int] {
        guard let low = settings[index].replicates?.max() else { return [] }
        return settings.indices.filter { i in
            i != index && (settings[i].replicates?.min()).map { $0 > low } == true
        }
    }

    /// The step between adjacent settings with the smallest p-value (before correction).
    public var strongestStep: Step? { steps.filter(\.adjacent).min { $0.p < $1.p } }

    /// The test of the two extreme settings against each other (absent with only two settings,
    /// where it is the single adjacent step).
    public var extremes: Step? { steps.first { !$0.adjacent } ?? (settings.count == 2 ? steps.first : nil) }

    /// Whether the training accuracy falls at every step of the settings (under-fitting
    /// growing with the setting); nil when training accuracies are unknown.
    public var trainingFallsThroughout: Bool? {
        let training = settings.compactMap(\.trainingMean)
        guard training.count == settings.count else { return nil }
        return zip(training, training.dropFirst()).allSatisfy { $0 > $1 }
    }
}
