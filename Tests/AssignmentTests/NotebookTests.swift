import Assignment
import Training
import Testing

/// The notebook's values are kept as it printed them; what it printed about them must follow.
@Suite struct NotebookTests {
    @Test func theSweepsPrintedMeansAndSDsFollowFromItsReplicates() {
        #expect(Notebook.sweepReplicateAccuracies.count == Notebook.sweepFactors.count)
        #expect(Notebook.sweepReplicateAccuracies.allSatisfy { $0.count == Notebook.sweepReplicates })
        for (mean, printed) in zip(Notebook.sweepMeans, Notebook.printedSweepMeans) { #expect(abs(mean - printed) < 1e-12) }
        for (sd, printed) in zip(Notebook.sweepStandardDeviations, Notebook.printedSweepPopulationSDs) { #expect(abs(sd - printed) < 1e-12) }
    }

    @Test func theLogHasEveryEpoch() {
        let columns = [Notebook.mlp64TrainingAccuracy, Notebook.mlp64ValidationAccuracy, Notebook.mlp64TrainingLoss, Notebook.mlp64ValidationLoss]
        #expect(columns.allSatisfy { $0.count == 10 })
        // Its final evaluate is the last epoch's validation, at full precision.
        #expect(abs(Notebook.mlp64TestAccuracy - Notebook.mlp64ValidationAccuracy[9]) < 5e-5)
        #expect(abs(Notebook.mlp64TestLoss - Notebook.mlp64ValidationLoss[9]) < 5e-5)
    }
}
