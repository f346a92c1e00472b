import Foundation

/// Where a run's results come from: a report folder, a `results.json` file, or a git
/// revision whose committed results are read with `git show`.
public enum RunReference {
    /// The results named by `reference`, and a short name for it.
    /// - Parameters:
    ///   - resultsPath: for a git revision, the results file's path in the repository.
    ///   - repository: the folder git runs in.
    /// - Throws: `ReportError` saying what `reference` is not, or what it lacks.
    public static func load(_ reference: String, resultsPath: String = "reports/latest/results.json",
                            repository: String = FileManager.default.currentDirectoryPath) throws -> (ResultsDocument, String) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: reference, isDirectory: &isDirectory) {
            let path = isDirectory.boolValue ? (reference as NSString).appendingPathComponent("results.json") : reference
            guard FileManager.default.fileExists(atPath: path) else {
                throw ReportError("\(reference) is a folder without results.json")
            }
            return (try ResultsDocument.read(path: path), reference)
        }
        guard !reference.isEmpty else {
            throw ReportError("an empty run reference: give a report folder, a results file or a git revision")
        }
        guard MachineFacts.onPath("git") else {
            throw ReportError("\(reference) is neither a report folder nor a results file, and it cannot be looked up as a git revision: "
                              + "git is not on PATH (install git, or give a report folder or results file)")
        }
        guard let commit = git(["rev-parse", "--verify", "--quiet", reference + "^{commit}"], in: repository)?
            .trimmingCharacters(in: .whitespacesAndNewlines), !commit.isEmpty else {
            throw ReportError("\(reference) is neither a report folder, a results file nor a git revision of \(repository)")
        }
        guard let text = git(["show", "\(commit):\(resultsPath)"], in: repository) else {
            throw ReportError("revision \(reference) (\(commit.prefix(12))) has no \(resultsPath): it was committed before results were kept, or under another path (see --results-path)")
        }
        let name = "\(reference) (\(commit.prefix(8)))"
        guard text.utf8.count <= ResultsDocument.maximumFileSize else {
            throw ReportError("\(name):\(resultsPath): larger than \(ResultsDocument.maximumFileSize >> 20) MiB, the most accepted for a results file")
        }
        // Decoding validates: committed results are no more trusted than a file handed over.
        return (try ResultsDocument.decode(Data(text.utf8), source: "\(name):\(resultsPath)"), name)
    }

    static func git(_ arguments: [String], in directory: String) -> String? {
        MachineFacts.run(["git", "-C", directory] + arguments)
    }
}
