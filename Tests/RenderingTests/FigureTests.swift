import Assignment
import Foundation
import NeuralEngine
import Plotting
import Testing
@testable import Results
import ReportFixtures
@testable import Rendering

/// What the report's figures show and say: the sweep's categories and bars, the accuracy
/// charts' ranges and reference lines, and the captions, titles and summaries computed from
/// the data.
@Suite("Report figures")
struct FigureTests {
    /// The fixture run with histories set by hand where a test needs exact numbers.
    static func results(edit: (inout TrainingRecord) -> Void = { _ in }) -> ResultsDocument {
        var results = Fixtures.results()
        for index in results.trainings.indices { edit(&results.trainings[index]) }
        return results
    }

    static func figure(_ id: String, in results: ResultsDocument) throws -> ReportFigure {
        try #require(ReportFigures.make(Fixtures.recorded(results)).first { $0.id == id })
    }

    /// A 2.3 history like the full run's: a low first epoch of training accuracy.
    static func setHistory(_ r: inout TrainingRecord) {
        guard r.id == "2.3" else { return }
        r.history.accuracy = [0.8587, 0.9337, 0.9480, 0.9556, 0.9610, 0.9660, 0.9700, 0.9740, 0.9770, 0.9791]
        r.history.valAccuracy = [0.9182, 0.9350, 0.9460, 0.9520, 0.9570, 0.9600, 0.9630, 0.9650, 0.9670, 0.9684]
        r.history.loss = r.history.accuracy.map { 1 - $0 }
        r.history.valLoss = r.history.valAccuracy.map { 1 - $0 }
    }

    // MARK: Sweep

    @Test func theSweepSitsOnCategoriesNamedByTheNotebooksFactors() throws {
        let chart = ReportFigures.sweepChart(Fixtures.results().sweepTrainings)
        #expect(chart.xAxis == .categories(["1e-6", "2.5075e-4", "5.005e-4", "7.5025e-4", "1e-3"]))
        #expect(chart.groups.count == 1)
        #expect(chart.offset(ofGroup: 0) == 0)  // each mean and bar exactly at its category
        let xs = chart.groups[0].measurements.map(\.x)
        #expect(xs == xs.map { $0.rounded() } && Set(xs).isSubset(of: [0, 1, 2, 3, 4]))
        // Two runs: symmetric about the category, the notebook in the middle.
        let both = ReportFigures.sweepChart(Fixtures.results().sweepTrainings, comparison: Fixtures.results().sweepTrainings)
        #expect(both.offset(ofGroup: 0) == -both.offset(ofGroup: 1) && both.offset(ofGroup: 1) > 0)
        #expect(both.referenceOffset == 0)
    }

    @Test func theNotebooksBarsAreItsSDsConvertedToSampleSDs() throws {
        let chart = ReportFigures.sweepChart(Fixtures.results().sweepTrainings)
        let notebook = try #require(chart.references.first)
        #expect(notebook.points.map(\.y) == Notebook.sweepMeans)
        // np.std over n = 3 divides by 3; the sample SD by 2: × √(3/2) = 1.2247.
        for (error, population) in zip(notebook.errors, Notebook.sweepStandardDeviations) {
            #expect(abs(error - population * 1.224744871391589) < 1e-12)
        }
        #expect(notebook.errors.count == Notebook.sweepStandardDeviations.count)
    }

    @Test func hintonsResultIsALabelledLineInsideTheRange() throws {
        let chart = ReportFigures.sweepChart(Fixtures.results().sweepTrainings)
        let line = try #require(chart.referenceLines.first)
        #expect(line.value == Notebook.hinton500300 && line.label == "Hinton 0.9847" && line.dashed)
        #expect(chart.fittedYDomain.contains(Notebook.hinton500300))
        #expect(chart.fittedYDomain.upperBound > Notebook.hinton500300)
    }

    @Test func theSweepCaptionCountsTheReplicatesFromTheData() throws {
        let results = Fixtures.results()
        let perFactor = Dictionary(grouping: results.sweepTrainings, by: { $0.sweepIndex ?? -1 }).mapValues(\.count)
        let n = try #require(perFactor.values.first)
        #expect(perFactor.values.allSatisfy { $0 == n })
        let caption = try Self.figure("fig-2-4-sweep", in: results).caption
        #expect(caption.contains("± 1 sample SD over n = \(n) replicates"))
        #expect(caption.contains("converted to sample SDs"))
        #expect(caption.contains("dashed dark red: Hinton's 0.9847"))
        #expect(caption.contains("grey diamonds"))
        // One replicate fewer at one factor: the caption follows.
        var fewer = results
        let drop = try #require(fewer.trainings.firstIndex { $0.sweepIndex == 0 })
        fewer.trainings.remove(at: drop)
        #expect(try Self.figure("fig-2-4-sweep", in: fewer).caption.contains("over n = \(n - 1) to \(n) replicates"))
    }

    @Test func theSweepSummaryGivesEachFactorsMean() throws {
        let results = Fixtures.results()
        let figure = try Self.figure("fig-2-4-sweep", in: results)
        let values = results.sweepTrainings.filter { $0.sweepIndex == 2 }.map(\.finalValidationAccuracy)
        let mean = values.reduce(0, +) / Double(values.count)
        #expect(figure.summary.contains("5.005e-4 \(String(format: "%.4f", mean))"))
        #expect(figure.summary.contains("The notebook's means: 1e-6 0.9818"))
        #expect(figure.summary.contains("Hinton 0.9847"))
    }

    // MARK: Accuracy and loss

    @Test func theAccuracyRangeLeavesOutTheFirstEpochAndMarksIt() throws {
        let results = Self.results(edit: Self.setHistory)
        let figure = try Self.figure("fig-2-3-accuracy", in: results)
        let chart = try #require(figure.figure as? LineChart)
        // Training accuracy chooses the range from epoch 2 on, validation accuracies all of them.
        #expect(chart.series.map(\.yFitFromX) == [2, nil, nil])
        let domain = chart.fittedYDomain
        #expect(!domain.contains(0.8587))
        // The rule: 0.9182 (validation, epoch 1) to 0.9791 (training, epoch 10), ± 5 %.
        #expect(abs(domain.lowerBound - (0.9182 - 0.05 * (0.9791 - 0.9182))) < 1e-12)
        #expect(abs(domain.upperBound - (0.9791 + 0.05 * (0.9791 - 0.9182))) < 1e-12)
        let clipped = chart.clippedPoints(outside: domain)
        #expect(clipped.map(\.y) == [0.8587])
        #expect(figure.caption.contains("A triangle marks epoch 1's training accuracy, 0.8587, below the axis."))
        // Two epochs only: every point chooses, nothing is clipped.
        let short = Self.results { r in
            if r.id == "2.3" { (r.history.accuracy, r.history.valAccuracy) = ([0.85, 0.95], [0.92, 0.96]) }
        }
        let shortChart = try #require(try Self.figure("fig-2-3-accuracy", in: short).figure as? LineChart)
        #expect(shortChart.clippedPoints(outside: shortChart.fittedYDomain).isEmpty)
    }

    @Test func figureTwosCaptionNamesTheColourTheNotebookLineIsDrawnIn() throws {
        let figure = try Self.figure("fig-2-3-accuracy", in: Self.results(edit: Self.setHistory))
        let chart = try #require(figure.figure as? LineChart)
        let notebook = try #require(chart.series.first { $0.name == ReportFigures.notebookSeriesName })
        #expect(notebook.dashed)
        let word = try #require(notebook.color.name)
        #expect(figure.caption.contains("dashed \(word): the notebook's validation accuracy"))
        // A real mid grey: legible on white (≥ 3 : 1), not the near-black of the text.
        #expect(word == "grey")
        #expect(notebook.color.contrastRatio(with: .white) >= 3)
        #expect(notebook.color.contrastRatio(with: .white) < 7)
    }

    @Test func referenceLinesWhereTheyBelong() throws {
        let results = Fixtures.results()
        let a24 = try #require(try Self.figure("fig-2-4-accuracy", in: results).figure as? LineChart)
        #expect(a24.referenceLines.map(\.value) == [Notebook.hinton500300])
        let a31 = try #require(try Self.figure("fig-3-1-accuracy", in: results).figure as? LineChart)
        #expect(a31.referenceLines.map(\.value) == [0.99, Notebook.lenet5Published])
        #expect(a31.referenceLines.map(\.label) == ["target 0.99", "LeNet-5 0.9905"])
        let a23 = try #require(try Self.figure("fig-2-3-accuracy", in: results).figure as? LineChart)
        #expect(a23.referenceLines.isEmpty)
        #expect(try Self.figure("fig-3-1-accuracy", in: results).caption.contains("LeNet-5's published 0.9905"))
    }

    @Test func theTitlesOf24TakeTheL2FactorFromTheRecord() throws {
        let results = Self.results { r in if r.id == "2.4" { r.hyperparameters.l2 = 2.5e-5 } }
        #expect(try Self.figure("fig-2-4-accuracy", in: results).title == "2.4 — dense 500-300, L2 2.5e-5: accuracy per epoch")
        #expect(try Self.figure("fig-2-4-loss", in: results).title == "2.4 — dense 500-300, L2 2.5e-5: loss per epoch")
        #expect(try Self.figure("fig-2-4-accuracy", in: results).caption.contains("per epoch, L2 = 2.5e-5;"))
    }

    @Test func theCurveSummaryIsComputedFromTheHistory() throws {
        let figure = try Self.figure("fig-2-3-accuracy", in: Self.results(edit: Self.setHistory))
        #expect(figure.summary == "Training accuracy rises from 0.8587 to 0.9791 and validation accuracy rises from 0.9182 to 0.9684 over 10 epochs; the notebook's validation accuracy ends at 0.9731.")
        let loss = try Self.figure("fig-2-4-loss", in: Fixtures.results())
        #expect(loss.summary.hasPrefix("Training loss falls from "))
    }

    // MARK: Digit grids

    @Test func theDigitGridsSayWhatTheyShow() throws {
        let results = Fixtures.results()
        let digits = try Self.figure("fig-1-digits", in: results)
        let grid = try #require(digits.figure as? ImageGrid)
        #expect(grid.columns == 8 && grid.rows == 3)
        #expect(digits.summary.hasPrefix("24 MNIST test images in 3 rows of 8, each captioned with its label: 0, 1, 2,"))
        let errors = try Self.figure("fig-3-1-errors", in: results)
        let mistakes = try #require(errors.figure as? ImageGrid)
        #expect(mistakes.columns == 6)
        #expect(errors.summary.hasPrefix("\(mistakes.cells.count) test images LeNet-5 misclassifies"))
        #expect(errors.summary.contains("3 → 5"))
    }

    @Test func theDigitGridsDrawThePixelsTheResultsRecord() throws {
        // Each recorded image its own: image i is filled with the value i % 256.
        let labels = Fixtures.testSplit.labels
        let results = Fixtures.results().recordingFigureImages(labels: labels) { [UInt8](repeating: UInt8($0 % 256), count: 784) }
        let recorded = Set(try #require(results.testSet).images.map(\.index))
        // The sample and LeNet-5's and the CNN's mistakes, nothing else.
        let lenet = ResultsDocument.mistakeIndices(try #require(results.training(.s3_1)), labels: labels)
        let cnn = ResultsDocument.mistakeIndices(try #require(results.training(.s3_1b)), labels: labels)
        #expect(recorded == Set(0..<24).union(lenet).union(cnn))
        #expect(!lenet.isEmpty && lenet.count <= ResultsDocument.mistakesShown)
        let figures = ReportFigures.make(results)
        let digits = try #require(figures.first { $0.id == "fig-1-digits" }?.figure as? ImageGrid)
        #expect(digits.cells.enumerated().allSatisfy { i, cell in cell.pixels == [UInt8](repeating: UInt8(i), count: 784) })
        let errors = try #require(figures.first { $0.id == "fig-3-1-errors" }?.figure as? ImageGrid)
        #expect(errors.cells.map { $0.pixels[0] } == lenet.map { UInt8($0 % 256) })
        // Without a test set the digit figures are left out, the others drawn.
        var bare = results
        bare.testSet = nil
        let ids = ReportFigures.make(bare).map(\.id)
        #expect(!ids.contains("fig-1-digits") && !ids.contains("fig-3-1-errors") && ids.contains("fig-2-3-accuracy"))
    }
}
