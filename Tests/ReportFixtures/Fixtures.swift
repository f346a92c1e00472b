import Assignment
import Foundation
import MNIST
import NeuralEngine
import Rendering
import Results

/// Made-up runs for the tests of the report's stages (a library target: test targets cannot share
/// files). A complete, made-up run: every training of the full plan with plausible histories.
public enum Fixtures {
    /// As many as MNIST's: results read from disk must hold one prediction per test image.
    public static let testImages = ResultsDocument.Limits.testImages

    public static func record(_ training: PlannedTraining, accuracy: Double, fromCache: Bool = false) -> TrainingRecord {
        let epochs = training.spec.hyperparameters.epochs
        var history = History()
        for e in 0..<epochs {
            let progress = Double(e + 1) / Double(epochs)
            history.accuracy.append(accuracy - 0.05 * (1 - progress))
            history.valAccuracy.append(accuracy - 0.03 * (1 - progress))
            history.loss.append(0.5 * (1 - progress) + 0.05)
            history.valLoss.append(0.4 * (1 - progress) + 0.07)
        }
        // The test split's labels are 0, 1, …, 9, 0, …: the predictions get `accuracy` of them
        // right (to the nearest image), the wrong ones spread evenly and off by two.
        let wrong = Int(((1 - accuracy) * Double(testImages)).rounded())
        let wrongImages = Set((0..<wrong).map { $0 * testImages / max(wrong, 1) })
        let predictions = String((0..<testImages).map { i in
            Character(String(wrongImages.contains(i) ? (i % 10 + 2) % 10 : i % 10))
        })
        // The parameters its layers hold, as a build counts them.
        let model = try? ModelDescription(training.spec.layers, inputShape: TrainingSpec.inputShape)
        var record = TrainingRecord(
            id: training.id, section: training.section, model: training.spec.model, params: model?.parameters ?? 0,
            hyperparameters: training.spec.hyperparameters, seed: training.spec.seed,
            sweepIndex: training.sweepIndex, replicate: training.replicate, history: history,
            testLoss: 0.07, testAccuracy: Double(testImages - wrong) / Double(testImages), secondsPerEpoch: Array(repeating: 1.0, count: epochs), threads: 2,
            weightsSHA256: String(repeating: "ab", count: 32), testPredictions: predictions,
            cacheKey: String(repeating: "cd", count: 32), fromCache: fromCache)
        (record.layers, record.optimizer) = (training.spec.layers, training.spec.optimizer)
        return record
    }

    public static func results(cpu: String = "Test CPU", sections: [Section] = Section.allCases) -> ResultsDocument {
        let plan = ExperimentPlan(profile: .quick, sections: sections)
        let records = plan.trainings.enumerated().map { index, training in
            record(training, accuracy: 0.97 + 0.0005 * Double(index % 5), fromCache: index.isMultiple(of: 2))
        }
        let run = RunInfo(gitCommit: "0123456789abcdef", gitDirty: false, toolchain: "Swift 6.3", cpu: cpu, cores: 2,
                          threads: 2, jobs: 1, profile: .quick, seed: 1, overrides: [], sections: sections.map(\.rawValue),
                          engineVersion: Engine.version, datasetChecksum: "ff", totalSeconds: 12, created: "2026-11-25T00:00:00Z")
        return recorded(ResultsDocument(run: run, trainings: records))
    }

    /// `document` with the stand-in test split recorded as a build records it.
    public static func recorded(_ document: ResultsDocument) -> ResultsDocument {
        document.recordingFigureImages(labels: testSplit.labels) { Array(testSplit.image($0)) }
    }

    /// A stand-in for the MNIST test split: one made-up image repeated, labels 0, 1, …, 9, 0, ….
    public static let testSplit: MNISTSplit = {
        let image = (0..<784).map { UInt8(truncatingIfNeeded: $0 % 251) }
        var pixels: [UInt8] = []
        pixels.reserveCapacity(testImages * image.count)
        for _ in 0..<testImages { pixels += image }
        return MNISTSplit(pixels: pixels, labels: (0..<testImages).map { UInt8($0 % 10) })
    }()

    /// The project's templates folder.
    public static var templatesDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("templates").path
    }

    public static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "report-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
