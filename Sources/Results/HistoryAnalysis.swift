import Analysis
import Foundation

/// Every step of every training along a history of results, judged as `compare` judges a
/// pair, with the error rate controlled over the whole history.
///
/// A *series* is one training (by id) or one sweep point (its replicates together). A step
/// joins two consecutive points of the history that both hold the series, and is judged twice:
/// - its accuracy: *identical* when every outcome is (same weights and metrics); otherwise
///   McNemar's test on the paired test predictions for a training, Welch's test on the
///   replicates' final validation accuracies for a sweep point (``RunComparison``'s tests);
/// - its speed (median seconds per epoch): only between runs on the same kind of machine (the
///   same CPU description and threads per training), and only when the later run measured anew
///   (a training taken from the cache repeats its timings); tested against ``SpeedNoise``, the
///   noise the history's own steps show.
///
/// Every p-value of the history, accuracy and speed, forms one family, adjusted with Holm's
/// method: so a history of pure noise flags no step, whatever its length, with probability at
/// least 1 − `significance`. A step whose adjusted p falls below `significance` is *better* or
/// *worse*; an accuracy step that is not, but whose weights changed, is *changed* (since the
/// same inputs give the same bits, changed weights are an exact fact; the test says whether the
/// result moved). Acknowledged changes (``Acknowledgement``) keep their verdict and carry the reason.
public struct HistoryAnalysis: Sendable {
    public enum Metric: String, Sendable, Codable {
        case accuracy
        case speed = "seconds per epoch"
    }

    public enum Verdict: String, Sendable, Codable {
        case identical
        case withinNoise = "within noise"
        case better
        case worse
        case changed
        case untested = "not tested"

        /// Whether the step is listed as a change.
        public var isChange: Bool { self == .better || self == .worse || self == .changed }
    }

    /// One training or sweep point across the history: its value at each point that holds it.
    public struct Series: Sendable {
        /// The training's id (`2.3`), or the sweep point's (`2.4 sweep L2 0.0001`): its latest,
        /// when a commit renamed the training.
        public var id: String
        /// The ids the training had before a commit renamed it, oldest first (its recipe, the
        /// recorded layers, optimiser, hyper-parameters and seed, unchanged).
        public var formerIDs: [String] = []
        /// The training's id at each point where it differs from `id`.
        var idAtPoint: [Int: String] = [:]
        public var section: String
        /// What `accuracy` measures: "test accuracy", or the sweep's "mean validation accuracy".
        public var accuracyName: String
        /// The history's points that hold the series, with the accuracy and the median seconds per
        /// epoch (the replicates' mean for a sweep point) there.
        public var values: [(point: Int, accuracy: Double, seconds: Double)]

        /// The training's id at point `point` of the history.
        public func id(at point: Int) -> String { idAtPoint[point] ?? id }
    }

    /// One judged step of one series, from point `from` to point `to` of the history.
    public struct Step: Sendable {
        public var series: String
        public var metric: Metric
        public var from: Int
        public var to: Int
        public var a: Double
        public var b: Double
        public var verdict: Verdict
        /// The test, or why there was none.
        public var test: String
        /// McNemar's χ² (or exact binomial's b), Welch's t, or the speed's t; nil without a test.
        public var statistic: Double?
        /// The test's own p-value.
        public var p: Double?
        /// Holm's adjusted p over the whole history's family.
        public var adjustedP: Double?
        /// Whether the weights changed (accuracy steps).
        public var weightsChanged = false
        /// The reason given in the acknowledgements, when the change is acknowledged.
        public var acknowledged: String?
    }

    public var points: [ResultsHistory.Point]
    public var series: [Series]
    public var steps: [Step]
    public let significance: Double
    /// The speed noise learnt from the history; nil with too few comparable steps.
    public var speedNoise: SpeedNoise?
    /// The size of the Holm family: every test of the history.
    public var familySize: Int

    /// Judges every step of `points` (oldest first), pairing predictions against `labels`.
    public init(_ points: [ResultsHistory.Point], labels: [UInt8], significance: Double = 0.05,
                acknowledgements: [Acknowledgement] = []) {
        self.points = points
        self.significance = significance
        series = Self.series(of: points)
        var steps: [Step] = []
        var speedSteps: [(step: Step, logRatio: Double)] = []
        for s in series {
            for (earlier, later) in zip(s.values, s.values.dropFirst()) {
                let (ra, rb) = (Self.records(s.id(at: earlier.point), in: points[earlier.point].results),
                                Self.records(s.id(at: later.point), in: points[later.point].results))
                steps.append(Self.accuracyStep(s.id, ra, rb, from: earlier.point, to: later.point, labels: labels))
                let speed = Self.speedStep(s.id, ra, rb, from: (earlier.point, points[earlier.point].results.run, earlier.seconds),
                                           to: (later.point, points[later.point].results.run, later.seconds))
                if let logRatio = speed.logRatio { speedSteps.append((speed.step, logRatio)) } else { steps.append(speed.step) }
            }
        }
        speedNoise = SpeedNoise(logRatios: speedSteps.map(\.logRatio))
        for (var step, logRatio) in speedSteps {
            if let noise = speedNoise {
                let test = noise.test(logRatio: logRatio)
                (step.statistic, step.p) = (test.t, test.p)
                step.test = String(format: "%+.1f %% against a noise of ±%.1f %% (σ of %d steps), t = %.2f", 100 * (exp(logRatio) - 1),
                                   100 * noise.sd, noise.steps, test.t)
            } else {
                step.test = "fewer than \(SpeedNoise.minimumSteps) comparable speed steps in the history: the noise is unknown"
            }
            steps.append(step)
        }
        // One Holm family over every test of the history.
        let tested = steps.indices.filter { steps[$0].p != nil && steps[$0].verdict != .identical }
        familySize = tested.count
        for (index, adjusted) in zip(tested, Statistics.holm(tested.map { steps[$0].p! })) {
            steps[index].adjustedP = adjusted
            let higherIsBetter = steps[index].metric == .accuracy
            if adjusted < significance {
                steps[index].verdict = (steps[index].b > steps[index].a) == higherIsBetter ? .better : .worse
            } else {
                steps[index].verdict = steps[index].weightsChanged ? .changed : .withinNoise
            }
        }
        for index in steps.indices where steps[index].verdict == .untested && steps[index].weightsChanged && steps[index].metric == .accuracy {
            steps[index].verdict = .changed
        }
        for index in steps.indices where steps[index].verdict.isChange {
            let commit = points[steps[index].to].commit
            steps[index].acknowledged = acknowledgements.first { $0.covers(commit: commit, series: steps[index].series, metric: steps[index].metric) }?.reason
        }
        // In the order a reader follows: series by series, each step in history order, accuracy first.
        let order = Dictionary(uniqueKeysWithValues: series.enumerated().map { ($1.id, $0) })
        self.steps = steps.sorted { (order[$0.series] ?? 0, $0.to, $0.metric == .speed ? 1 : 0) < (order[$1.series] ?? 0, $1.to, $1.metric == .speed ? 1 : 0) }
    }

    /// The steps judged a change, in history order.
    public var changes: [Step] {
        steps.filter(\.verdict.isChange).sorted { ($0.to, $0.series) < ($1.to, $1.series) }
    }

    /// The changes judged worse that no acknowledgement covers.
    public var unacknowledgedWorse: [Step] { changes.filter { $0.verdict == .worse && $0.acknowledged == nil } }

    // MARK: - Series and records

    /// The sweep point's id, as ``RunComparison`` names its row.
    static func sweepID(_ records: [TrainingRecord]) -> String { sweepID(l2: records.first?.hyperparameters.l2) }

    /// The id of the sweep point with L2 factor `l2`: "2.4 sweep L2 0.0001".
    public static func sweepID(l2: Float?) -> String {
        "2.4 sweep L2 " + (l2.map { String(format: "%.4g", Double($0)) } ?? "?")
    }

    /// The series of the history, in the order they first appear (a training's position in its run).
    /// A single training that a commit renamed (or whose model it renamed) continues its series:
    /// the one whose id the new point no longer holds and whose last training had the same
    /// recipe, as `compare` pairs them.
    static func series(of points: [ResultsHistory.Point]) -> [Series] {
        var result: [Series] = []
        var index: [String: Int] = [:]
        var lastSingle: [Int: TrainingRecord] = [:]
        func add(_ id: String, section: String, name: String, point: Int, accuracy: Double, seconds: Double) {
            if index[id] == nil {
                index[id] = result.count
                result.append(Series(id: id, section: section, accuracyName: name, values: []))
            }
            result[index[id]!].values.append((point, accuracy, seconds))
        }
        for (p, point) in points.enumerated() {
            var sweepDone = Set<Int>()
            let ids = Set(point.results.trainings.map(\.id))
            for record in point.results.trainings {
                guard let sweep = record.sweepIndex else {
                    if index[record.id] == nil, let renamed = lastSingle.keys.sorted().first(where: { i in
                        result[i].values.last.map { $0.point < p } == true && !ids.contains(result[i].id)
                            && RunComparison.sameRecipe(lastSingle[i]!, record)
                    }) {
                        let former = result[renamed].id
                        for value in result[renamed].values where result[renamed].idAtPoint[value.point] == nil {
                            result[renamed].idAtPoint[value.point] = former
                        }
                        result[renamed].formerIDs.append(former)
                        result[renamed].id = record.id
                        index[record.id] = renamed
                    }
                    add(record.id, section: record.section, name: "test accuracy", point: p, accuracy: record.testAccuracy,
                        seconds: record.medianSecondsPerEpoch)
                    lastSingle[index[record.id]!] = record
                    continue
                }
                guard sweepDone.insert(sweep).inserted else { continue }
                let replicates = point.results.trainings.filter { $0.sweepIndex == sweep }
                let mean = { (values: [Double]) in values.reduce(0, +) / Double(values.count) }
                add(sweepID(replicates), section: record.section, name: "mean validation accuracy", point: p,
                    accuracy: mean(replicates.map(\.finalValidationAccuracy)), seconds: mean(replicates.map(\.medianSecondsPerEpoch)))
            }
        }
        return result
    }

    /// The ids of the series `results` holds.
    public static func seriesIDs(in results: ResultsDocument) -> [String] {
        series(of: [ResultsHistory.Point(commit: nil, label: "", date: "", subject: "", results: results)]).map(\.id)
    }

    /// The records of series `id` in `results`: one training, or a sweep point's replicates.
    public static func records(_ id: String, in results: ResultsDocument) -> [TrainingRecord] {
        if let single = results.training(id), single.sweepIndex == nil { return [single] }
        let sweeps = Set(results.trainings.compactMap(\.sweepIndex))
        for sweep in sweeps.sorted() {
            let replicates = results.trainings.filter { $0.sweepIndex == sweep }
            if sweepID(replicates) == id { return replicates }
        }
        return []
    }

    // MARK: - Steps

    static func accuracyStep(_ id: String, _ ra: [TrainingRecord], _ rb: [TrainingRecord], from: Int, to: Int, labels: [UInt8]) -> Step {
        // The row's own verdict is decided again after Holm: its test and p are what count here.
        let isSweep = ra.first?.sweepIndex != nil || rb.first?.sweepIndex != nil
        var statistic: Double?
        let row: RunComparison.Row
        if isSweep {
            row = RunComparison.sweepRow(index: ra.first?.sweepIndex ?? 0, ra, rb, significance: 0)
            let (va, vb) = (ra.map(\.finalValidationAccuracy), rb.map(\.finalValidationAccuracy))
            if row.p != nil, row.verdict != .identical, va.count >= 2, vb.count >= 2 { statistic = Statistics.welch(va, vb).t }
        } else {
            row = RunComparison.singleRow(ra[0], rb[0], labels: labels, significance: 0)
            if row.p != nil, row.verdict != .identical, let (onlyA, onlyB) = RunComparison.disagreements(ra[0], rb[0], labels: labels) {
                statistic = Statistics.mcNemar(b: onlyA, c: onlyB).statistic
            }
        }
        var step = Step(series: id, metric: .accuracy, from: from, to: to, a: row.a, b: row.b,
                        verdict: row.verdict == .identical ? .identical : .untested, test: row.test, statistic: statistic, p: row.p)
        step.weightsChanged = ra.map(\.weightsSHA256).sorted() != rb.map(\.weightsSHA256).sorted()
        return step
    }

    /// A speed step, with the log-ratio to test when it can be tested; otherwise the step says why not.
    static func speedStep(_ id: String, _ ra: [TrainingRecord], _ rb: [TrainingRecord],
                          from: (point: Int, run: RunInfo, seconds: Double),
                          to: (point: Int, run: RunInfo, seconds: Double)) -> (step: Step, logRatio: Double?) {
        var step = Step(series: id, metric: .speed, from: from.point, to: to.point, a: from.seconds, b: to.seconds,
                        verdict: .untested, test: "", statistic: nil, p: nil)
        let (threadsA, threadsB) = (Set(ra.map(\.threads)), Set(rb.map(\.threads)))
        if from.run.cpu != to.run.cpu {
            step.test = "other machines: \(UntrustedText.terminal(from.run.cpu)) → \(UntrustedText.terminal(to.run.cpu))"
        } else if threadsA != threadsB {
            step.test = "other threads per training: \(threadsA.sorted().map(String.init).joined(separator: ", ")) → \(threadsB.sorted().map(String.init).joined(separator: ", "))"
        } else if ra.map(\.secondsPerEpoch) == rb.map(\.secondsPerEpoch) {
            step.verdict = .identical
            step.test = "the same timings (taken from the cache)"
        } else if let logRatio = SpeedNoise.logRatio(from.seconds, to.seconds) {
            return (step, logRatio)
        } else {
            step.test = "no positive seconds per epoch on a side"
        }
        return (step, nil)
    }
}
