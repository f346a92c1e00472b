import ArgumentParser

/// Where `history` and `bisect` find committed results, and the level they judge at.
struct CommittedResultsOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The git repository to read.", valueName: "dir"))
    var repository: String = "."

    @Option(help: ArgumentHelp("The results file's path in the repository.", valueName: "path"))
    var resultsPath: String = "reports/latest/results.json"

    @Option(help: "Significance level: family-wise over a history (Holm), or of each bisect probe's verdict.")
    var significance: Double = 0.05

    /// The longest results path accepted.
    static let maximumPathLength = 4096

    func validate() throws {
        guard significance > 0 && significance < 1 else { throw ValidationError("--significance must lie in (0, 1), got \(significance)") }
        try Self.checkResultsPath(resultsPath)
    }

    /// Refuses a results path git cannot hold: empty, absolute, leaving the repository (`..`),
    /// with a line break, or too long. `compare` checks its own with it too.
    static func checkResultsPath(_ path: String) throws {
        guard !path.isEmpty, path.utf8.count <= maximumPathLength, !path.hasPrefix("/"), !path.contains("\n"),
              !path.split(separator: "/").contains("..") else {
            throw ValidationError("--results-path must be a relative path inside the repository, got '\(path)'")
        }
    }
}
