import Results
import Training
import Assignment
import Foundation

/// What trying one commit gave: the training's records there (one, or a sweep point's
/// replicates), or why the commit could not be tried.
public enum ProbeOutcome: Sendable {
    case results(ResultsDocument)
    case skipped(String)
    /// The bisection was interrupted while the commit was tried: the search stops.
    case interrupted
}

/// Builds and trains one commit. The real one works in a `git worktree` of its own
/// (``WorktreeProbe``); a test puts a stub in its place.
public protocol BisectProbe {
    func probe(commit: String) -> ProbeOutcome
}

/// The search for the first commit between GOOD and BAD at which one training's result
/// changed, as `git bisect` searches: a commit is *changed* when the training's outcome there
/// (weights and metrics; results are the same bits on every machine) differs from GOOD's, and
/// the change is assumed to persist. Each probe's verdict against GOOD is `history`'s for a
/// step of two (McNemar, Welch for a sweep point). A probe that does not build or train is
/// skipped, as `git bisect skip` would, and another commit of the range tried instead.
public struct Bisection: Sendable {
    public struct Commit: Sendable {
        public var hash: String
        public var subject: String
        public init(hash: String, subject: String) { (self.hash, self.subject) = (hash, subject) }
    }

    /// One probe: the commit, its place in the range (0 is GOOD), and its verdict against GOOD.
    public struct Probe: Sendable {
        public var index: Int
        public var commit: Commit
        /// Nil when skipped.
        public var changed: Bool?
        /// "identical", "changed (within noise: McNemar exact …)", "worse (…)", or why it was skipped.
        public var verdict: String
    }

    public var commits: [Commit]
    public var training: String
    public var probes: [Probe] = []
    /// The first changed commit's index, when the search narrowed down to one.
    public var firstChanged: Int?
    /// When skipped probes leave several candidates: the indices that could be the first.
    public var candidates: [Int] = []
    /// Why the search stopped without a first changed commit (GOOD did not probe, BAD is not
    /// changed, ``interrupted``).
    public var failure: String?

    /// The failure of a search stopped by an interrupt.
    public static let interrupted = "interrupted"

    /// Searches `commits` (GOOD first, BAD last, along first parents) for the first commit at
    /// which `training` changed, probing with `probe`; `report` hears of each probe as it ends.
    public init(commits: [Commit], training: String, labels: [UInt8], significance: Double = 0.05,
                probe: some BisectProbe, report: (Probe) -> Void = { _ in }) {
        (self.commits, self.training) = (commits, training)
        guard commits.count >= 2 else {
            failure = "GOOD and BAD are the same commit, or BAD does not descend from GOOD along first parents"
            return
        }
        var probes: [Probe] = []
        var reference: ResultsHistory.Point?
        var interrupted = false
        func run(_ index: Int) -> Bool? {
            guard !interrupted else { return nil }
            let commit = commits[index]
            var entry = Probe(index: index, commit: commit, changed: nil, verdict: "")
            let outcome = probe.probe(commit: commit.hash)
            if case .interrupted = outcome {
                interrupted = true
                return nil
            }
            defer { probes.append(entry); report(entry) }
            switch outcome {
            case .interrupted:
                return nil
            case let .skipped(reason):
                entry.verdict = "skipped: " + reason
                return nil
            case let .results(results):
                let point = ResultsHistory.Point(commit: commit.hash, label: String(commit.hash.prefix(8)), date: "", subject: commit.subject, results: results)
                guard !HistoryAnalysis.records(training, in: results).isEmpty else {
                    entry.verdict = "skipped: its results hold no training \(training)"
                    return nil
                }
                guard let reference else {
                    reference = point
                    entry.changed = false
                    entry.verdict = "GOOD: the reference"
                    return false
                }
                let analysis = HistoryAnalysis([reference, point], labels: labels, significance: significance)
                guard let step = analysis.steps.first(where: { $0.metric == .accuracy && $0.series == training }) else {
                    entry.verdict = "skipped: no step to judge"
                    return nil
                }
                entry.changed = step.verdict != .identical
                entry.verdict = step.verdict == .identical ? "identical to GOOD"
                    : "\(step.verdict.rawValue) against GOOD (\(NumberFormat.accuracy(step.a)) → \(NumberFormat.accuracy(step.b)); \(step.test))"
                return entry.changed
            }
        }
        defer {
            self.probes = probes
            if interrupted { failure = Self.interrupted }
        }
        guard run(0) != nil else {
            failure = "GOOD (\(commits[0].hash.prefix(8))) could not be probed: nothing to compare with"
            return
        }
        let last = commits.count - 1
        guard let badChanged = run(last) else {
            failure = "BAD (\(commits[last].hash.prefix(8))) could not be probed"
            return
        }
        guard badChanged else {
            failure = "\(training) is identical at GOOD and BAD: no change to find"
            return
        }
        var (low, high) = (0, last)   // low is like GOOD, high is changed
        var skipped = Set<Int>()
        while high - low > 1, !interrupted {
            let middle = (low + high) / 2
            // The untried commit nearest the middle, as git bisect picks another after a skip.
            let open = (low + 1..<high).filter { !skipped.contains($0) }
            guard let next = open.min(by: { (abs($0 - middle), $0) < (abs($1 - middle), $1) }) else { break }
            switch run(next) {
            case nil: skipped.insert(next)
            case true?: high = next
            case false?: low = next
            }
        }
        if high - low == 1 {
            firstChanged = high
        } else {
            candidates = Array(low + 1...high)
        }
    }

    /// GOOD and the commits after it along BAD's first parents, up to BAD, oldest first.
    /// - Throws: `ReportError` when either is not a commit, GOOD is not an ancestor of BAD on
    ///   its first-parent line, or the range holds more than `maximum` commits.
    public static func commits(from good: String, to bad: String, in git: GitRepository, maximum: Int) throws -> [Commit] {
        let (goodHash, badHash) = (try git.commit(good), try git.commit(bad))
        let plain = UntrustedText.terminal
        guard goodHash != badHash else {
            throw ReportError("GOOD \(plain(good)) and BAD \(plain(bad)) are the same commit (\(goodHash.prefix(8))): give a GOOD commit before BAD")
        }
        do { try git.run(["merge-base", "--is-ancestor", goodHash, badHash]) } catch {
            throw ReportError("\(plain(good)) is not an ancestor of \(plain(bad)): give GOOD first, then the later BAD")
        }
        let log = try git.run(["log", "--first-parent", "--reverse", "--format=%H%x1f%s", "\(goodHash)..\(badHash)", "--"])
        let subject = try git.run(["log", "-1", "--format=%s", goodHash]).trimmingCharacters(in: .newlines)
        let commits = [Commit(hash: goodHash, subject: subject)] + log.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\u{1f}", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            return fields.count == 2 ? Commit(hash: fields[0], subject: fields[1]) : nil
        }
        guard commits.count <= maximum else { throw ReportError("\(plain(good))..\(plain(bad)) holds more than \(maximum) commits") }
        guard commits.count >= 2, commits.last?.hash == badHash else {
            throw ReportError("\(plain(bad)) is not on the first-parent line after \(plain(good)); bisect along first parents only")
        }
        return commits
    }

    /// The trainings of `plan` a bisection can follow, with their sections: each single
    /// training's id, and each sweep point's ("2.4 sweep L2 0.0001"), in plan order.
    public static func trainings(of plan: ExperimentPlan) -> [(id: String, section: String)] {
        var seen = Set<String>()
        return plan.trainings.compactMap { t in
            let id = t.isSweep ? HistoryAnalysis.sweepID(l2: t.spec.hyperparameters.l2) : t.id
            return seen.insert(id).inserted ? (id, t.section) : nil
        }
    }

    /// The steps taken: the probes other than GOOD and BAD.
    public var steps: Int { max(0, probes.count - 2) }

    /// ⌈log2 N⌉ for the N commits between GOOD and BAD (BAD included): what a bisection needs.
    public var expectedSteps: Int {
        let n = commits.count - 1
        return n <= 1 ? 0 : Int((log2(Double(n))).rounded(.up))
    }
}
