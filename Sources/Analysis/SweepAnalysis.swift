/// What a sweep over one hyper-parameter with replicate trainings supports: which settings are
/// indistinguishable, which is worse and by how much, and whether there is a trend.
///
/// The family of tests is the steps between adjacent settings plus the two extremes against
/// each other: Welch's test for each, and Holm's correction over the family, since the chance
/// that one of several tests of pure noise falls below 0.05 is much larger than 0.05.
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
    /// value), the difference of their means (higher − lower), Welch's p and Holm's adjusted p.
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

    /// The shape of the response, from the slope over all settings and the steps.
    public enum Shape: String, Sendable {
        /// The slope over all settings is negative (p < 0.05) and stays negative without the
        /// largest setting: a decline across the range.
        case decreasing
        /// Likewise, increasing.
        case increasing
        /// Only the last step is a decline (p < 0.05); without the largest setting the slope is
        /// not negative beyond chance: the response is flat, then drops.
        case dropAtLargest
        /// Neither the slope nor any step is distinguishable from the seed-to-seed spread.
        case flat
        /// Some step is significant but the pattern is none of the above.
        case irregular
    }

    public static let significance = 0.05

    public let settings: [Setting]
    public let steps: [Step]
    public let best: Int
    public let worst: Int
    public let slope: (slope: Double, standardError: Double, p: Double)?
    public let slopeWithoutLargest: (slope: Double, standardError: Double, p: Double)?
    /// The spread between replicates of one setting, pooled over the settings: √(Σ(nᵢ − 1)sᵢ² / Σ(nᵢ − 1)).
    public let pooledSD: Double
    public let pooledDegreesOfFreedom: Int
    public let shape: Shape

    /// - Parameter settings: at least two, in increasing order of value, each with at least two replicates.
    public init?(_ settings: [Setting]) {
        guard settings.count >= 2, settings.allSatisfy({ $0.summary.count >= 2 }),
              zip(settings, settings.dropFirst()).allSatisfy({ $0.value < $1.value }) else { return nil }
        self.settings = settings
        let means = settings.map(\.summary.mean)
        best = means.indices.max { means[$0] < means[$1] }!
        worst = means.indices.min { means[$0] < means[$1] }!

        var pairs = zip(settings.indices, settings.indices.dropFirst()).map { ($0, $1) }
        if settings.count > 2 { pairs.append((0, settings.count - 1)) }
        let tests = pairs.map { Statistics.welch(settings[$0.1].summary, settings[$0.0].summary) }
        let adjusted = Statistics.holm(tests.map(\.p))
        steps = pairs.indices.map { i in
            let (a, b) = pairs[i]
            return Step(lower: a, higher: b, difference: means[b] - means[a], t: tests[i].t, p: tests[i].p,
                        adjustedP: adjusted[i], separated: Self.separated(settings[a], settings[b]))
        }

        var within = 0.0, df = 0
        for s in settings {
            within += Double(s.summary.count - 1) * s.summary.variance
            df += s.summary.count - 1
        }
        pooledSD = df > 0 ? (within / Double(df)).squareRoot() : 0
        pooledDegreesOfFreedom = df

        let values = settings.map(\.value)
        slope = Statistics.slope(x: values, groups: settings.map(\.summary))
        slopeWithoutLargest = settings.count > 2
            ? Statistics.slope(x: Array(values.dropLast()), groups: settings.dropLast().map(\.summary)) : nil

        let significant = { (s: (slope: Double, standardError: Double, p: Double)?) -> Int in
            guard let s, s.p < Self.significance else { return 0 }
            return s.slope > 0 ? 1 : -1
        }
        let adjacentSteps = steps.filter(\.adjacent)
        let significantSteps = adjacentSteps.filter { $0.p < Self.significance }
        let overall = significant(slope), rest = significant(slopeWithoutLargest)
        if overall < 0, rest < 0 {
            shape = .decreasing
        } else if overall > 0, rest > 0 {
            shape = .increasing
        } else if let last = adjacentSteps.last, significantSteps.count == 1, significantSteps[0].higher == last.higher,
                  last.difference < 0, rest >= 0 {
            shape = .dropAtLargest
        } else if overall == 0, significantSteps.isEmpty {
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

    /// The step between adjacent settings with the smallest p-value.
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
