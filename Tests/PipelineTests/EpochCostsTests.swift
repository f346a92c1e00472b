import Analysis
import Assignment
import Foundation
@testable import Pipeline
import Results
import Testing

@Suite("What an epoch of each model costs")
struct EpochCostsTests {
    /// The committed full report, whose timings a build of this checkout weighs by.
    static let committedResults = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../reports/latest/results.json").standardized.path

    static let cnn16 = ModelKind(rawValue: "cnn16")!

    @Test func theCommittedReportMeasuresEveryModel() throws {
        let document = try ResultsDocument.read(path: Self.committedResults)
        let costs = EpochCosts(measuredIn: document, source: "latest")
        #expect(costs.source == "measured in latest")
        #expect(Set(costs.seconds.keys) == Set(ModelKind.allCases))
        // Each model's cost is the median of its trainings' median epochs: mlp500's sixteen.
        let mlp500 = document.trainings.filter { $0.model == .mlp500 }.map { Statistics.median($0.secondsPerEpoch)! }
        #expect(mlp500.count == 16)
        #expect(costs.perEpoch(.mlp500) == Statistics.median(mlp500))
        // The orders of magnitude the bench shows: the 3 × 3 CNN above LeNet-5 above the dense networks.
        #expect(costs.perEpoch(Self.cnn16) > costs.perEpoch(.lenet5))
        #expect(costs.perEpoch(.lenet5) > costs.perEpoch(.mlp500))
        #expect(costs.perEpoch(.mlp500) > costs.perEpoch(.mlp64))
    }

    @Test func aModelTheRunDidNotTrainIsEstimatedFromItsOperations() throws {
        var document = try ResultsDocument.read(path: Self.committedResults)
        document.trainings = document.trainings.filter { $0.model == .mlp500 }
        let costs = EpochCosts(measuredIn: document, source: "latest")
        #expect(costs.source.contains("estimated from their operations"))
        #expect(costs.source.contains("lenet5") && !costs.source.contains("mlp500,"))
        // At mlp500's measured seconds per operation.
        let ratio = costs.perEpoch(.lenet5) / costs.perEpoch(.mlp500)
        let expected = try #require(EpochCosts.flops(.lenet5)) / #require(EpochCosts.flops(.mlp500))
        #expect(abs(ratio - expected) < 1e-9 * expected)
    }

    @Test func withoutAReadableRunEveryModelIsEstimated() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("epoch-costs-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let absent = EpochCosts.load(resultsPath: folder.appendingPathComponent("none.json").path)
        #expect(absent.source.contains("(absent)"))
        let broken = folder.appendingPathComponent("broken.json")
        try Data("{\"schema_version\": ".utf8).write(to: broken)
        let unreadable = EpochCosts.load(resultsPath: broken.path)
        #expect(unreadable.source.contains("(unreadable)"))
        for costs in [absent, unreadable] {
            #expect(costs.seconds.count == ModelKind.allCases.count)
            let flops = try #require(EpochCosts.flops(.mlp500))
            #expect(costs.perEpoch(.mlp500) == flops * EpochCosts.unmeasuredSecondsPerFLOP)
            #expect(costs.perEpoch(Self.cnn16) > costs.perEpoch(.mlp500))
        }
    }

    @Test func theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        #expect(Statistics.median([]) == nil)
        #expect(Statistics.median([3, 1, 2]) == 2)
        #expect(Statistics.median([4, 1, 3, 2]) == 2.5)
    }
}
