import Foundation

/// What `compare` decides as a CI gate (`--fail-on worse`, `--tolerance`): whether run B
/// passes, and why not. Besides the verdicts and drops asked for, two things fail an active
/// gate, since a regression can hide behind either: a training of A that B lacks, and a row
/// that could not be tested (no paired test predictions, fewer than 2 replicates on a side).
/// Each passes only when the user accepts it by its option (`--accept-missing`,
/// `--accept-untested`), and what was accepted is listed by training, so a pass hides nothing.
public struct GateDecision: Sendable {
    /// What the gate checks and what it lets through.
    public struct Policy: Sendable {
        /// Fail on a significantly worse row (`--fail-on worse`).
        public var failOnWorse: Bool
        /// Fail on a metric that dropped by more than this (`--tolerance`).
        public var tolerance: Double?
        /// Let trainings of A that B lacks pass (`--accept-missing`).
        public var acceptMissing: Bool
        /// Let rows that could not be tested pass (`--accept-untested`).
        public var acceptUntested: Bool
        /// Fail on a row whose trainings share their cache key but are not identical
        /// (`--require-identical`): the same inputs and numerics must give the same bits.
        public var requireIdentical: Bool
        /// Fail on trainings of A that B lacks and on rows no test could judge, and on nothing
        /// else (the newest step of `history`, whose worse rows are judged with acknowledgements).
        /// Every other check implies these two.
        public var requireComplete: Bool

        public init(failOnWorse: Bool = false, tolerance: Double? = nil, acceptMissing: Bool = false, acceptUntested: Bool = false,
                    requireIdentical: Bool = false, requireComplete: Bool = false) {
            (self.failOnWorse, self.tolerance, self.acceptMissing, self.acceptUntested) = (failOnWorse, tolerance, acceptMissing, acceptUntested)
            (self.requireIdentical, self.requireComplete) = (requireIdentical, requireComplete)
        }

        /// Whether any check was asked for: an inactive gate passes everything.
        public var isActive: Bool { failOnWorse || tolerance != nil || requireIdentical || requireComplete }
    }

    /// The command-line options that accept what would fail the gate.
    public static let acceptMissingOption = "--accept-missing"
    public static let acceptUntestedOption = "--accept-untested"

    public var policy: Policy
    /// Why the gate fails, one phrase per reason, naming the trainings and, where one exists,
    /// the option that would accept them. Empty when it passes.
    public var failures: [String] = []
    /// What an accept option let through, one phrase per option, naming the trainings.
    public var accepted: [String] = []
    /// With `requireIdentical`: the rows whose cache keys changed, which the statistical
    /// verdicts judge instead (empty when every key is unchanged).
    public var changedKeys: [String] = []

    public var passes: Bool { failures.isEmpty }

    public init(_ comparison: RunComparison, policy: Policy) {
        self.policy = policy
        guard policy.isActive else { return }
        if policy.requireIdentical {
            let drifted = comparison.rows.filter { $0.sameCacheKey && $0.verdict != .identical }
            if !drifted.isEmpty {
                failures.append("not identical under the same cache key (the numerics changed without a new engine version, "
                                + "or a result was edited): " + drifted.map(\.id).joined(separator: ", "))
            }
            changedKeys = comparison.rows.filter { !$0.sameCacheKey }.map(\.id)
        }
        if policy.failOnWorse {
            let worse = comparison.rows.filter { $0.verdict == .worse }
            if !worse.isEmpty { failures.append("significantly worse: " + worse.map(\.id).joined(separator: ", ")) }
        }
        if let tolerance = policy.tolerance {
            let drops = comparison.drops(beyond: tolerance)
            if !drops.isEmpty { failures.append("dropped by more than \(tolerance): " + drops.map(\.id).joined(separator: ", ")) }
        }
        if !comparison.onlyInA.isEmpty {
            let ids = comparison.onlyInA.joined(separator: ", ")
            if policy.acceptMissing {
                accepted.append("\(Self.acceptMissingOption) accepted trainings in A but missing from B: \(ids)")
            } else {
                failures.append("in A but missing from B: \(ids) — pass \(Self.acceptMissingOption) to accept")
            }
        }
        let untested = comparison.rows.filter { $0.verdict == .untested }
        if !untested.isEmpty {
            let rows = untested.map { "\($0.id) (\($0.test))" }.joined(separator: ", ")
            if policy.acceptUntested {
                accepted.append("\(Self.acceptUntestedOption) accepted rows that could not be tested: \(rows)")
            } else {
                failures.append("not tested: \(rows) — pass \(Self.acceptUntestedOption) to accept")
            }
        }
    }

    /// The decision in a few lines: `Gate passed.` or `Gate failed: …`, then each thing an
    /// option accepted. Empty for an inactive gate.
    public var lines: [String] {
        guard policy.isActive else { return [] }
        var lines = [passes ? "Gate passed." : "Gate failed: " + failures.joined(separator: "; ") + "."]
        if policy.requireIdentical {
            lines.append(changedKeys.isEmpty
                ? "Gate: every training kept its cache key, and each must be identical."
                : "Gate: cache keys changed for \(changedKeys.joined(separator: ", ")); those are judged by the tests, the rest must be identical.")
        }
        return lines + accepted.map { "Gate: \($0)." }
    }
}
