import Foundation
import Analysis
import Assignment

/// Two runs side by side: what differs in their configuration, and for every training (or
/// sweep point) present in both, the metric of each, the difference, and a verdict that
/// knows the noise. Differences are B − A: B is the run under test, A the reference.
public struct RunComparison {
    public enum Verdict: String, Codable, Sendable {
        case identical = "identical"
        case withinNoise = "within noise"
        case better = "significantly better"
        case worse = "significantly worse"
        case untested = "not tested"
    }

    public struct Row: Sendable {
        public var id: String
        public var section: String
        public var metric: String
        public var a: Double
        public var b: Double
        public var difference: Double { b - a }
        public var verdict: Verdict
        /// The test used, or why there was none ("McNemar exact: only A right 12, only B right 7").
        public var test: String
        public var p: Double?
        /// Both sides have the same weights (SHA-256) but not the same metrics: a results file was
        /// edited, or the evaluation is not deterministic. Such a row is tested like any other,
        /// and its `test` says which metrics differ.
        public var sameWeightsDifferentMetrics = false
        /// Both sides were trained under the same cache key (every replicate, for a sweep point):
        /// the same inputs and engine numerics, so since engine 3 they must be identical.
        public var sameCacheKey = false
    }

    /// What a training produced, as far as "identical" looks: the weights' SHA-256, the test
    /// accuracy and loss, and the history's final values. Equal outcomes make two trainings
    /// identical; equal weights alone do not.
    struct Outcome: Equatable {
        static let names = ["test accuracy", "test loss", "final training loss", "final training accuracy",
                            "final validation loss", "final validation accuracy"]
        var weights: String
        var metrics: [Double?]

        init(_ r: TrainingRecord) {
            weights = r.weightsSHA256
            metrics = [r.testAccuracy, r.testLoss, r.history.loss.last, r.history.accuracy.last,
                       r.history.valLoss.last, r.history.valAccuracy.last]
        }

        /// The names of the metrics that differ from `other`'s.
        func differences(from other: Outcome) -> [String] {
            zip(Self.names, zip(metrics, other.metrics)).filter { $0.1.0 != $0.1.1 }.map(\.0)
        }
    }

    public struct Difference: Sendable {
        public var field: String
        public var a: String
        public var b: String
    }

    public var nameA: String
    public var nameB: String
    public var configuration: [Difference]
    public var rows: [Row]
    public var onlyInA: [String]
    public var onlyInB: [String]
    public let significance: Double

    /// Compares `a` with `b`, pairing test predictions against `labels` (the test labels).
    /// - Throws: `ReportError` when the runs share no training.
    public init(_ a: ResultsDocument, _ b: ResultsDocument, nameA: String, nameB: String, labels: [UInt8],
                significance: Double = 0.05) throws {
        (self.nameA, self.nameB, self.significance) = (nameA, nameB, significance)
        configuration = Self.configurationDifferences(a, b)
        let idsA = Set(a.trainings.map(\.id)), idsB = Set(b.trainings.map(\.id))
        onlyInA = a.trainings.map(\.id).filter { !idsB.contains($0) }
        onlyInB = b.trainings.map(\.id).filter { !idsA.contains($0) }
        var rows: [Row] = []
        // A single training that a later commit renamed (or whose model it renamed) is paired by
        // its recipe, the recorded layers, optimiser, hyper-parameters and seed, with the one
        // of the other run's unpaired trainings that has the same: shown under both names.
        var renamed: [String: TrainingRecord] = [:]
        for ra in a.trainings where ra.sweepIndex == nil && !idsB.contains(ra.id) {
            guard let rb = b.trainings.first(where: { rb in
                rb.sweepIndex == nil && !idsA.contains(rb.id) && !renamed.values.contains { $0.id == rb.id } && Self.sameRecipe(ra, rb)
            }) else { continue }
            renamed[ra.id] = rb
        }
        onlyInA.removeAll { renamed[$0] != nil }
        onlyInB.removeAll { id in renamed.values.contains { $0.id == id } }
        for ra in a.trainings where ra.sweepIndex == nil {
            if let rb = renamed[ra.id] {
                var row = Self.singleRow(ra, rb, labels: labels, significance: significance)
                row.id = "\(rb.id) (A: \(ra.id))"
                rows.append(row)
                continue
            }
            guard let rb = b.training(ra.id) else { continue }
            guard rb.sweepIndex == nil else {
                // Not missing, not comparable: the gate sees it as a row that could not be tested.
                rows.append(Row(id: ra.id, section: ra.section, metric: "test accuracy", a: ra.testAccuracy, b: rb.testAccuracy,
                                verdict: .untested, test: "B's \(ra.id) is a sweep point, A's a single training", p: nil))
                continue
            }
            rows.append(Self.singleRow(ra, rb, labels: labels, significance: significance))
        }
        let sweepIndices = Set(a.trainings.compactMap(\.sweepIndex)).intersection(b.trainings.compactMap(\.sweepIndex)).sorted()
        for index in sweepIndices {
            let ra = a.trainings.filter { $0.sweepIndex == index }, rb = b.trainings.filter { $0.sweepIndex == index }
            rows.append(Self.sweepRow(index: index, ra, rb, significance: significance))
        }
        guard !rows.isEmpty else {
            throw ReportError("\(nameA) and \(nameB) have no training in common (\(nameA): \(a.trainings.map(\.id).prefix(4).joined(separator: ", ")); \(nameB): \(b.trainings.map(\.id).prefix(4).joined(separator: ", ")))")
        }
        self.rows = rows
    }

    /// Whether two records are the same training under other names: the same recorded layers
    /// (both recorded), optimiser, hyper-parameters and seed.
    static func sameRecipe(_ a: TrainingRecord, _ b: TrainingRecord) -> Bool {
        a.layers != nil && a.layers == b.layers && a.optimizer == b.optimizer
            && a.hyperparameters == b.hyperparameters && a.seed == b.seed
    }

    /// The test images only `a` classifies right and those only `b` does, McNemar's b and c;
    /// nil unless both hold one prediction per label.
    public static func disagreements(_ a: TrainingRecord, _ b: TrainingRecord, labels: [UInt8]) -> (onlyA: Int, onlyB: Int)? {
        let pa = Array(a.testPredictions.utf8), pb = Array(b.testPredictions.utf8)
        guard pa.count == labels.count, pb.count == labels.count else { return nil }
        var onlyA = 0, onlyB = 0
        for i in 0..<labels.count {
            let truth = UInt8(ascii: "0") + labels[i]
            let (okA, okB) = (pa[i] == truth, pb[i] == truth)
            if okA && !okB { onlyA += 1 }
            if okB && !okA { onlyB += 1 }
        }
        return (onlyA, onlyB)
    }

    static func singleRow(_ ra: TrainingRecord, _ rb: TrainingRecord, labels: [UInt8], significance: Double) -> Row {
        var row = Row(id: ra.id, section: ra.section, metric: "test accuracy", a: ra.testAccuracy, b: rb.testAccuracy,
                      verdict: .untested, test: "", p: nil)
        row.sameCacheKey = ra.cacheKey == rb.cacheKey
        let (outcomeA, outcomeB) = (Outcome(ra), Outcome(rb))
        if outcomeA == outcomeB {
            row.verdict = .identical
            row.test = "same weights (SHA-256) and metrics"
            row.p = 1
            return row
        }
        var note = ""
        if outcomeA.weights == outcomeB.weights {
            row.sameWeightsDifferentMetrics = true
            note = "⚠ same weights (SHA-256) but different \(outcomeA.differences(from: outcomeB).joined(separator: ", ")); "
        }
        guard let (onlyA, onlyB) = Self.disagreements(ra, rb, labels: labels) else {
            row.test = note + "no paired test predictions: A has \(ra.testPredictions.utf8.count), B has \(rb.testPredictions.utf8.count) of \(labels.count)"
            return row
        }
        let test = Statistics.mcNemar(b: onlyA, c: onlyB)
        row.p = test.p
        row.test = note + "McNemar \(test.exact ? "exact" : "χ²"): only A right \(onlyA), only B right \(onlyB)"
        row.verdict = test.p < significance ? (onlyB > onlyA ? .better : .worse) : .withinNoise
        return row
    }

    static func sweepRow(index: Int, _ ra: [TrainingRecord], _ rb: [TrainingRecord], significance: Double) -> Row {
        let va = ra.map(\.finalValidationAccuracy), vb = rb.map(\.finalValidationAccuracy)
        let l2 = ra.first?.hyperparameters.l2.map { String(format: "%.4g", Double($0)) } ?? "?"
        let section = ra.first?.section ?? Section.s2_4.rawValue
        var row = Row(id: "\(section) sweep L2 \(l2)", section: section, metric: "validation accuracy, mean of \(va.count) vs \(vb.count)",
                      a: Statistics.meanVariance(va).mean, b: Statistics.meanVariance(vb).mean, verdict: .untested, test: "", p: nil)
        // Replicates pair by their index: identical means every pair has the same outcome.
        func outcomes(_ records: [TrainingRecord]) -> [Outcome] {
            records.sorted { ($0.replicate ?? -1, $0.id) < ($1.replicate ?? -1, $1.id) }.map(Outcome.init)
        }
        let (outcomesA, outcomesB) = (outcomes(ra), outcomes(rb))
        func keys(_ records: [TrainingRecord]) -> [String] {
            records.sorted { ($0.replicate ?? -1, $0.id) < ($1.replicate ?? -1, $1.id) }.map(\.cacheKey)
        }
        row.sameCacheKey = !ra.isEmpty && keys(ra) == keys(rb)
        if outcomesA == outcomesB, !outcomesA.isEmpty {
            row.verdict = .identical
            row.test = "same weights (SHA-256) and metrics for every replicate"
            row.p = 1
            return row
        }
        var note = ""
        if outcomesA.map(\.weights) == outcomesB.map(\.weights), !outcomesA.isEmpty {
            row.sameWeightsDifferentMetrics = true
            let differing = Set(zip(outcomesA, outcomesB).flatMap { $0.differences(from: $1) })
            note = "⚠ same weights (SHA-256) for every replicate but different \(Outcome.names.filter(differing.contains).joined(separator: ", ")); "
        }
        guard va.count >= 2, vb.count >= 2 else {
            row.test = note + "fewer than 2 replicates on a side: A has \(va.count), B has \(vb.count)"
            return row
        }
        let test = Statistics.welch(va, vb)
        row.p = test.p
        row.test = note + (test.df.isNaN ? "Welch: both samples without variance" : String(format: "Welch t = %.2f, df = %.1f", test.t, test.df))
        row.verdict = test.p < significance ? (row.b > row.a ? .better : .worse) : .withinNoise
        return row
    }

    static func configurationDifferences(_ a: ResultsDocument, _ b: ResultsDocument) -> [Difference] {
        var result: [Difference] = []
        func check(_ field: String, _ x: String, _ y: String) { if x != y { result.append(Difference(field: field, a: x, b: y)) } }
        let (ra, rb) = (a.run, b.run)
        check("profile", ra.profile.rawValue, rb.profile.rawValue)
        check("overrides (--set)", ra.overrides.joined(separator: " ").ifEmpty("none"), rb.overrides.joined(separator: " ").ifEmpty("none"))
        check("seed", String(ra.seed), String(rb.seed))
        check("engine version", ra.engineVersion, rb.engineVersion)
        check("toolchain", ra.toolchain, rb.toolchain)
        check("threads per training", String(ra.threads), String(rb.threads))
        check("jobs", String(ra.jobs), String(rb.jobs))
        check("CPU", ra.cpu, rb.cpu)
        check("data set", String(ra.datasetChecksum.prefix(16)), String(rb.datasetChecksum.prefix(16)))
        check("sections", ra.sections.joined(separator: " "), rb.sections.joined(separator: " "))
        // Per-training settings, grouped by field so that one override reads as one line.
        var perField: [(field: String, changes: [(id: String, a: String, b: String)])] = []
        func note(_ field: String, _ id: String, _ x: String, _ y: String) {
            guard x != y else { return }
            if let i = perField.firstIndex(where: { $0.field == field }) {
                perField[i].changes.append((id, x, y))
            } else {
                perField.append((field, [(id, x, y)]))
            }
        }
        for ta in a.trainings {
            guard let tb = b.training(ta.id) else { continue }
            let (ha, hb) = (ta.hyperparameters, tb.hyperparameters)
            note("epochs", ta.id, String(ha.epochs), String(hb.epochs))
            note("batch size", ta.id, String(ha.batchSize), String(hb.batchSize))
            note("learning rate", ta.id, String(ha.learningRate), String(hb.learningRate))
            note("L2", ta.id, ha.l2.map { String($0) } ?? "none", hb.l2.map { String($0) } ?? "none")
            note("training seed", ta.id, String(ta.seed), String(tb.seed))
        }
        for (field, changes) in perField {
            // Changes sharing one transition (0.1 → 0.01) read as one line; many different
            // transitions (per-training seeds) as a count with an example.
            var transitions: [(key: String, changes: [(id: String, a: String, b: String)])] = []
            for c in changes {
                let key = c.a + "→" + c.b
                if let i = transitions.firstIndex(where: { $0.key == key }) { transitions[i].changes.append(c) }
                else { transitions.append((key, [c])) }
            }
            let singles = transitions.filter { $0.changes.count == 1 }
            if singles.count > 3 {
                result.append(Difference(field: "\(field) (differs in \(singles.count) trainings)",
                                         a: "e.g. \(singles[0].changes[0].id): \(singles[0].changes[0].a)", b: singles[0].changes[0].b))
            }
            for t in transitions where t.changes.count > 1 || singles.count <= 3 {
                let first = t.changes[0]
                let label = t.changes.count == 1 ? "\(first.id) \(field)" : "\(field) (\(t.changes.count) trainings)"
                result.append(Difference(field: label, a: first.a, b: first.b))
            }
        }
        return result
    }

    /// True when some result got significantly worse.
    public var hasSignificantlyWorse: Bool { rows.contains { $0.verdict == .worse } }

    /// The rows whose metric dropped by more than `tolerance` (or that have no finite difference).
    public func drops(beyond tolerance: Double) -> [Row] { rows.filter { !($0.a - $0.b <= tolerance) } }
}


extension String {
    public func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
