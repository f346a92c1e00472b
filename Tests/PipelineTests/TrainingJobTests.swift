import Assignment
import Foundation
import MNIST
import NeuralEngine
@testable import Pipeline
import ReportFixtures
import Results
import Testing
import Training

@Suite("A training job")
struct TrainingJobTests {
    /// A short training of the dense 64-64 network on the first images of the embedded copy.
    static func job(threads: Int) -> TrainingJob {
        var training = ExperimentPlan(profile: .quick, sections: [.s2_3]).trainings[0]
        training.spec.hyperparameters.epochs = 1
        return TrainingJob(training: training, profile: .quick, threads: threads)
    }

    @Test func aJobRunsOnTheThreadsItIsGivenWhateverItsCallerSet() throws {
        let data = PreparedData(try MNISTDataset.load(verifyChecksums: false), trainLimit: 128, testLimit: 100)
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The caller's setting (one thread) does not reach the job (two), nor its record.
        let two = try withComputeThreads(1) {
            try Self.job(threads: 2).run(on: data, cache: TrainingCache(directory: folder + "/a"), callbacks: FitCallbacks())
        }
        #expect(two.threads == 2)
        let one = try withComputeThreads(2) {
            try Self.job(threads: 1).run(on: data, cache: TrainingCache(directory: folder + "/b"), callbacks: FitCallbacks())
        }
        #expect(one.threads == 1)
        // And the thread count changes no bit.
        #expect(one.weightsSHA256 == two.weightsSHA256 && one.testPredictions == two.testPredictions)
        #expect(one.cacheKey == two.cacheKey)
    }
}
