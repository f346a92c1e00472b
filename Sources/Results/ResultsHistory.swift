import Foundation

/// The results committed along a branch, oldest first: each commit whose results file differs
/// from its first parent's (the commits that changed the results), read with git, plus report
/// folders named by the user after them. How many commits carry the results unchanged, lack
/// them or hold a file that does not read is counted, so nothing is left out silently.
public struct ResultsHistory: Sendable {
    /// One results file of the history: a commit's or a folder's.
    public struct Point: Sendable {
        /// The full commit hash; nil for a report folder.
        public var commit: String?
        /// The short hash, or the folder's path.
        public var label: String
        /// The committer date (ISO 8601), or the run's creation date for a folder.
        public var date: String
        /// The commit's subject, or "report folder".
        public var subject: String
        /// The tags naming the commit.
        public var tags: [String]
        public var results: ResultsDocument

        public init(commit: String?, label: String, date: String, subject: String, tags: [String] = [], results: ResultsDocument) {
            (self.commit, self.label, self.date, self.subject, self.tags, self.results) = (commit, label, date, subject, tags, results)
        }
    }

    public var points: [Point]
    /// The commits of the range, along first parents.
    public var commitsInRange = 0
    /// Commits holding the same results file as their first parent: shown by the earlier one.
    public var unchanged = 0
    /// Commits without the results file.
    public var without = 0
    /// Commits whose results file does not read or validate, with the reason.
    public var unreadable: [(label: String, reason: String)] = []
    /// Whether the repository is a shallow clone, whose history stops at its oldest fetched
    /// commit: the summary says so, since older results are not read.
    public var shallow = false
    /// The labels of the results a gate judges: the last commit's results (missing ones too, when
    /// earlier commits had the file) and every report folder added.
    var judged: Set<String> = []

    /// The results a gate must judge but could not read, with the reason: the newest commit's
    /// results or a report folder that does not read, validate, or agree with its own
    /// predictions. A gate fails on them rather than passing what it never saw.
    public var unjudged: [(label: String, reason: String)] { unreadable.filter { judged.contains($0.label) } }

    public init(points: [Point]) { self.points = points }

    /// The longest range accepted, in commits: every one is listed by a single `git log`.
    public static let maximumCommits = 100_000

    /// Reads the results at `resultsPath` along the first parents of `range` (a revision, or
    /// `A..B`; every commit of HEAD's branch by default).
    /// - Throws: `ReportError` when `range` is not a range of this repository, or the range is too long.
    public static func load(range: String?, resultsPath: String, repository: GitRepository) throws -> ResultsHistory {
        let range = range ?? "HEAD"
        guard !range.hasPrefix("-"), !range.isEmpty else {
            throw ReportError("'\(UntrustedText.terminal(range))' is not a revision range (a revision such as HEAD or main, or A..B)")
        }
        let log: String
        do {
            log = try repository.run(["log", "--first-parent", "--reverse", "--format=%H%x1f%cI%x1f%D%x1f%s",
                                      "--end-of-options", range, "--"])
        } catch {
            throw ReportError("\(UntrustedText.terminal(range)) is not a revision range of \(repository.directory) (\(error))")
        }
        let commits = log.split(separator: "\n", omittingEmptySubsequences: true).map { line in
            line.split(separator: "\u{1f}", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        }.filter { $0.count == 4 }
        guard commits.count <= maximumCommits else {
            throw ReportError("\(UntrustedText.terminal(range)) holds \(commits.count) commits; at most \(maximumCommits) are read (give a shorter range, A..B)")
        }
        var history = ResultsHistory(points: [])
        history.commitsInRange = commits.count
        history.shallow = (try? repository.run(["rev-parse", "--is-shallow-repository"]))?.hasPrefix("true") ?? false
        guard !commits.isEmpty else { return history }
        // One git process answers for every commit: the blob of the results file, or "missing".
        let objects = try repository.run(["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"],
                                         input: commits.map { "\($0[0]):\(resultsPath)\n" }.joined())
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var previous: String?
        for (index, fields) in commits.enumerated() {
            let answer = index < objects.count ? objects[index].split(separator: " ").map(String.init) : []
            guard answer.count == 3, answer[1] == "blob", let size = Int(answer[2]) else {
                history.without += 1
                previous = nil
                continue
            }
            let blob = answer[0]
            if blob == previous { history.unchanged += 1; continue }
            previous = blob
            let (hash, label) = (fields[0], String(fields[0].prefix(8)))
            history.judged = [label]
            let source = "\(label):\(resultsPath)"
            do {
                guard size <= ResultsDocument.maximumFileSize else {
                    throw ReportError("\(source): larger than \(ResultsDocument.maximumFileSize >> 20) MiB, the most accepted for a results file")
                }
                let text = try repository.run(["cat-file", "blob", blob])
                let results = try ResultsDocument.decode(Data(text.utf8), source: source)
                let tags = fields[2].components(separatedBy: ", ").filter { $0.hasPrefix("tag: ") }.map { String($0.dropFirst(5)) }
                history.points.append(Point(commit: hash, label: label, date: fields[1], subject: fields[3], tags: tags, results: results))
            } catch {
                history.unreadable.append((label, String(describing: error)))
            }
        }
        // The newest commit removed the results file that earlier commits had: a gate must not
        // judge the older file in its place.
        if let tip = commits.last, previous == nil, !history.judged.isEmpty {
            let label = String(tip[0].prefix(8))
            history.unreadable.append((label, "\(label): \(resultsPath) is missing, though earlier commits of the range have it"))
            history.judged = [label]
        }
        return history
    }

    /// Adds the report folder (or `results.json` file) at `path` after the commits.
    /// - Throws: `ReportError` or `FileProblem` when it holds no readable results.
    public mutating func addFolder(_ path: String) throws {
        let (results, name) = try RunReference.load(path)
        judged.insert(name)
        points.append(Point(commit: nil, label: name, date: results.run.created, subject: "report folder", results: results))
    }

    /// Moves the points whose test accuracies do not match their own predictions and `labels`
    /// to ``unreadable``: an edited accuracy is left out rather than judged.
    public mutating func dropInconsistent(labels: [UInt8]) {
        points = points.filter { point in
            do {
                try point.results.checkPredictions(labels: labels, source: point.label)
                return true
            } catch {
                unreadable.append((point.label, String(describing: error)))
                return false
            }
        }
    }

    /// The counts in one sentence: "173 commits: 10 changed the results, 152 kept them, 11 have none."
    public func summary(resultsPath: String) -> String {
        var parts = ["\(commitsInRange) commit\(commitsInRange == 1 ? "" : "s")"]
        let folders = points.filter { $0.commit == nil }.count
        let committed = points.count - folders
        var counts = ["\(committed) with new results (shown)"]
        if unchanged > 0 { counts.append("\(unchanged) with the same results as the commit before (not repeated)") }
        if without > 0 { counts.append("\(without) without \(resultsPath) (skipped)") }
        if !unreadable.isEmpty { counts.append("\(unreadable.count) whose results do not read (skipped)") }
        parts.append(counts.joined(separator: ", "))
        var text = parts.joined(separator: ": ")
        if folders > 0 { text += "; and \(folders) report folder\(folders == 1 ? "" : "s")" }
        if shallow { text += ". The repository is a shallow clone: the history stops at its oldest fetched commit (git fetch --unshallow reads it all)" }
        return text + "."
    }
}
