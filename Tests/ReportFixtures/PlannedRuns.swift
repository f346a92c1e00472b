import Foundation
import Results
import Assignment
import Architecture

/// Runs made to plan: predictions of a chosen accuracy, changed image by image as a test says.
public enum PlannedRuns {
    public static let labels = Fixtures.testSplit.labels

    /// A git repository of its own in a temporary folder, with an identity and a configuration
    /// that do not depend on the machine's (no global or system git config, no network).
    public static func repository() throws -> GitRepository {
        let git = GitRepository(directory: try Fixtures.temporaryDirectory(), environment: [
            "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
            "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
        ])
        try git.run(["init", "-q", "-b", "main"])
        return git
    }

    /// Commits `results` (nil: a commit that touches only another file) with `subject`; returns its hash.
    @discardableResult
    public static func commit(_ results: ResultsDocument?, _ subject: String, in git: GitRepository, path: String = "reports/latest/results.json") throws -> String {
        let folder = URL(fileURLWithPath: git.directory)
        if let results {
            let file = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Recorded as a build records it: the images the figures of these trainings draw.
            try Fixtures.recorded(results).encoded().write(to: file)
        }
        try Data(subject.utf8).write(to: folder.appendingPathComponent("NOTES"))
        try git.run(["add", "-A"])
        try git.run(["commit", "-q", "-m", subject])
        return try git.commit("HEAD")
    }

    /// `record` with predictions right on all but `wrong` images (those listed wrong, each
    /// predicted as the next digit), the accuracy they give, and new weights named `weights`.
    public static func retrained(_ record: TrainingRecord, wrong: Set<Int>, weights: String, labels: [UInt8] = labels) -> TrainingRecord {
        var r = record
        r.testPredictions = String(labels.indices.map { i in
            Character(String(wrong.contains(i) ? (Int(labels[i]) + 1) % 10 : Int(labels[i])))
        })
        r.testAccuracy = Double(labels.count - wrong.count) / Double(labels.count)
        r.weightsSHA256 = String(repeating: weights, count: 64 / weights.count)
        return r
    }

    /// A small run: the single trainings 2.3 and 3.1 (3 % and 1 % of the images wrong) and the
    /// sweep points of the fixture's plan (validation accuracies 0.980 + 0.001 × replicate).
    public static func base() -> ResultsDocument {
        var run = Fixtures.results()
        run.trainings = run.trainings.filter { $0.id == "2.3" || $0.id == "3.1" || $0.sweepIndex != nil }
        for i in run.trainings.indices {
            let r = run.trainings[i]
            if r.sweepIndex == nil {
                let wrong = Set(stride(from: 0, to: labels.count, by: r.id == "2.3" ? 33 : 100))
                run.trainings[i] = retrained(r, wrong: wrong, weights: r.id == "2.3" ? "a0" : "b0")
            } else {
                run.trainings[i].history.valAccuracy[run.trainings[i].history.valAccuracy.count - 1] = 0.980 + 0.001 * Double(r.replicate ?? 0)
                run.trainings[i].weightsSHA256 = String(repeating: "c\(r.sweepIndex ?? 0)", count: 32)
            }
        }
        return Fixtures.recorded(run)
    }

    public static func index(_ id: String, in run: ResultsDocument) -> Int { run.trainings.firstIndex { $0.id == id }! }
}
