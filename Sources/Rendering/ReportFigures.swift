import Analysis
import Results
import Assignment
import Foundation
import Plotting

/// One numbered figure of the report.
public struct ReportFigure {
    /// File stem and HTML anchor (`fig-2-3-accuracy`).
    public var id: String
    public var number: Int
    public var caption: String
    public var figure: any Figure
    /// A short account of what the figure shows, computed from its data: the inline SVG's
    /// `<desc>`, read by screen readers.
    public var summary: String = ""

    /// The figure's title as drawn: the inline SVG's `<title>`.
    public var title: String { figure.title }
}

/// The report's figures, drawn from a run's results (and, for the digit grids, the data set).
public enum ReportFigures {
    /// The legend name of the notebook's validation curve in Figure 2.
    static let notebookSeriesName = "notebook validation"
    /// The colour of the notebook's numbers beside this run's: a mid grey, 3.9 : 1 against white.
    static let notebookColor = Color.gray
    /// The colour of published results drawn as reference lines.
    static let publishedColor = Color.darkRed
    /// The colour of the assignment's target line.
    static let targetColor = Color.darkGray
    /// Section 3.1's aim, as the assignment states it.
    static let targetAccuracy = Notebook.targetAccuracy

    /// Every figure whose trainings are in `results`, numbered in reading order: the
    /// catalogue's figure ids, chapter by chapter, each drawn by its chapter's section.
    /// The test images come from the document's `test_set`; without one, the digit figures
    /// are left out (a document a build wrote, or one completed for rendering, has one).
    public static func make(_ results: ResultsDocument) -> [ReportFigure] {
        let input = SectionInput(results, drawing: true)
        var figures: [ReportFigure] = []
        for chapter in Catalogue.chapters {
            guard let section = ReportSections.section(anchor: chapter.anchor) else { continue }
            for id in chapter.figures {
                guard let drawn = section.draw(id, input) else { continue }
                figures.append(ReportFigure(id: id.rawValue, number: figures.count + 1, caption: drawn.caption,
                                            figure: drawn.figure, summary: drawn.summary))
            }
        }
        return figures
    }

    /// A figure as drawn: the figure, its caption and the account of it a screen reader reads.
    typealias Drawn = (caption: String, summary: String, figure: any Figure)

    /// "L2 1e-5", or "no L2" for a training without a penalty.
    static func l2Label(_ r: TrainingRecord) -> String {
        r.hyperparameters.l2.map { "L2 \(NumberFormat.factor($0))" } ?? "no L2"
    }

    // MARK: Digit grids

    /// The test split as the figures read it: labels, and pixels where recorded (a cell whose
    /// image a document does not hold is drawn blank).
    struct TestImages {
        let labels: [UInt8]
        let pixels: [Int: [UInt8]]

        init(_ set: TestSet) {
            labels = set.labelValues
            pixels = Dictionary(set.images.compactMap { image in set.pixels(image.index).map { (image.index, $0) } },
                                uniquingKeysWith: { first, _ in first })
        }

        func image(_ index: Int) -> [UInt8] { pixels[index] ?? [UInt8](repeating: 0, count: Dataset.rows * Dataset.columns) }
    }

    static func sampleDigits(_ test: TestImages) -> ImageGrid {
        let cells = (0..<min(ResultsDocument.samplesShown, test.labels.count)).map { i in
            ImageGrid.Cell(pixels: test.image(i), caption: "\(test.labels[i])")
        }
        return ImageGrid(title: "MNIST test digits and their labels", columns: 8, cells: cells, imageSide: 48, inverted: false)
    }

    static func mistakes(_ r: TrainingRecord, test: TestImages, model: String = "LeNet-5") -> ImageGrid {
        let predictions = r.predictedClasses
        var cells = ResultsDocument.mistakeIndices(r, labels: test.labels).map { i in
            ImageGrid.Cell(pixels: test.image(i), caption: "\(test.labels[i]) → \(predictions[i])", captionColor: .red)
        }
        if cells.isEmpty { cells.append(ImageGrid.Cell(pixels: [UInt8](repeating: 0, count: 784), caption: "none")) }
        return ImageGrid(title: "\(model) mistakes (true → predicted)", columns: 6, cells: cells, imageSide: 56, inverted: false)
    }

    /// The mistakes of `r` by true and predicted digit (`ErrorAnalysis`'s table); nil without a
    /// valid prediction for every label, or without a mistake.
    static func confusionMatrix(_ r: TrainingRecord, labels: [UInt8], model: String) -> Drawn? {
        guard let e = ErrorAnalysis(predictions: r.predictedClasses, labels: labels.map(Int.init), classes: Dataset.classes),
              let top = e.confusions.first else { return nil }
        let matrix = ConfusionMatrix(title: "\(model): mistakes by true and predicted digit", counts: e.table)
        let largest = e.confusions.prefix { $0.count == top.count }.map { "\($0.truth) read as \($0.predicted)" }
        let summary = "A 10 by 10 table of \(model)'s \(e.errors.count) test mistakes, rows the true digit, columns the digit predicted, "
            + "darker for more: \(e.confusions.count) of the 90 cells hold at least one; the largest, \(top.count), "
            + (largest.count == 1 ? "is " : "are ") + NumberFormat.list(largest) + ". Per true digit: "
            + e.errorsByClass.enumerated().map { "\($0.offset) \($0.element)" }.joined(separator: ", ") + "."
        let caption = "\(model)'s \(e.errors.count) test mistakes by true digit (row) and prediction (column), each row's total at its end."
        return (caption, summary, matrix)
    }

    /// "24 MNIST test images in 3 rows of 8, each captioned with its label: 7, 2, 1, …".
    static func gridSummary(_ grid: ImageGrid, what: String, captions: String) -> String {
        let rows = grid.rows == 1 ? "one row" : "\(grid.rows) rows of \(min(grid.columns, grid.cells.count))"
        return "\(grid.cells.count) \(what) in \(rows), each captioned with \(captions): "
            + grid.cells.map(\.caption).joined(separator: ", ") + "."
    }

    // MARK: Curves

    static func accuracyChart(_ r: TrainingRecord, title: String, notebook: [Double]?,
                              referenceLines: [ReferenceLine] = []) -> LineChart {
        let epochs = r.history.accuracy.indices.map { Double($0 + 1) }
        var series = [
            LineChart.Series(name: "training", points: Array(zip(epochs, r.history.accuracy)), color: .blue, markers: epochs.count <= 12,
                             yFitFromX: trainingFocusStart(epochs: epochs.count)),
            LineChart.Series(name: "validation", points: Array(zip(epochs, r.history.valAccuracy)), color: .orange, markers: epochs.count <= 12),
        ]
        if let notebook, notebook.count == epochs.count {
            series.append(LineChart.Series(name: notebookSeriesName, points: Array(zip(epochs, notebook)), color: notebookColor,
                                           dashed: true, markers: true))
        }
        return LineChart(title: title, xLabel: "epoch", yLabel: "accuracy", series: series, referenceLines: referenceLines,
                         integerX: true)
    }

    static func lossChart(_ r: TrainingRecord, title: String) -> LineChart {
        let epochs = r.history.loss.indices.map { Double($0 + 1) }
        return LineChart(title: title, xLabel: "epoch", yLabel: "loss", series: [
            LineChart.Series(name: "training", points: Array(zip(epochs, r.history.loss)), color: .blue),
            LineChart.Series(name: "validation", points: Array(zip(epochs, r.history.valLoss)), color: .orange),
        ], integerX: true)
    }

    /// The first epoch whose training accuracy chooses the y range: the second, when there are
    /// at least three (the first epoch's training accuracy, a running mean over an epoch that
    /// starts from random weights, would squeeze the range the later epochs share); else the
    /// first. Validation accuracies, measured after each epoch, all choose the range.
    static func trainingFocusStart(epochs: Int) -> Double? { epochs >= 3 ? 2 : nil }

    /// "dashed dark red: Hinton's 0.9847 (MNIST page)": one clause per mark, its colour word
    /// taken from the colour its line is drawn in.
    static func referenceSentence(_ marks: [ReferenceMark]) -> String {
        marks.map { mark in
            let line = mark.line()
            return "\(line.dashed ? "dashed" : "solid") \(line.color.name ?? ""): \(mark.phrase)"
        }.joined(separator: "; ")
    }

    /// " A triangle marks the training accuracy at epoch 1 (0.8587), below the axis." for the
    /// points outside the y range (fitted to the later epochs), or nothing when every point is inside.
    static func clipSentence(_ chart: LineChart) -> String {
        let clipped = chart.clippedPoints(outside: chart.yDomain ?? chart.fittedYDomain)
        guard !clipped.isEmpty else { return "" }
        let place = clipped.allSatisfy(\.below) ? "below the axis" : "outside the axis"
        let epochs = Set(clipped.map(\.x))
        func value(_ point: LineChart.ClippedPoint) -> String { NumberFormat.accuracy(point.y) }
        if let epoch = epochs.first, epochs.count == 1 {
            let values = clipped.map { "\(chart.series[$0.series].name) \(value($0))" }
            return clipped.count == 1
                ? " A triangle marks epoch \(Int(epoch))'s \(chart.series[clipped[0].series].name) accuracy, \(value(clipped[0])), \(place)."
                : " Triangles in the curves' colours mark epoch \(Int(epoch))'s values \(place): " + NumberFormat.list(values) + "."
        }
        let values = clipped.map { "\(chart.series[$0.series].name) at epoch \(Int($0.x)), \(value($0))" }
        return " Triangles in the curves' colours mark the values \(place): " + values.joined(separator: "; ") + "."
    }

    /// "Training accuracy rises from 0.8587 to 0.9791 and validation accuracy rises from 0.9182
    /// to 0.9684 over 10 epochs; the notebook validation accuracy ends at 0.9731. Reference
    /// lines: Hinton 0.9847."
    static func curveSummary(_ chart: LineChart) -> String {
        func finite(_ series: LineChart.Series) -> [Double] { series.points.map(\.y).filter(\.isFinite) }
        let quantity = chart.yLabel
        let measured = chart.series.filter { $0.name != notebookSeriesName }
        let parts = measured.compactMap { series -> String? in
            let values = finite(series)
            guard let first = values.first, let last = values.last else { return nil }
            let verb = last > first ? "rises" : last < first ? "falls" : "stays"
            return "\(series.name) \(quantity) \(verb) from \(NumberFormat.accuracy(first)) to \(NumberFormat.accuracy(last))"
        }
        let epochs = chart.series.map { $0.points.count }.max() ?? 0
        var text = parts.joined(separator: " and ") + " over \(epochs) epoch\(epochs == 1 ? "" : "s")"
        if let notebook = chart.series.first(where: { $0.name == notebookSeriesName }), let last = finite(notebook).last {
            text += "; the notebook's validation \(quantity) ends at \(NumberFormat.accuracy(last))"
        }
        text += "."
        if !chart.referenceLines.isEmpty {
            text += " Reference lines: " + chart.referenceLines.map(\.label).joined(separator: ", ") + "."
        }
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    // MARK: Sweep

    /// The sweep's categories: the notebook's factors, written as the notebook writes them.
    static var sweepCategories: [String] { Notebook.sweepFactors.map(NumberFormat.factor) }

    /// The notebook's standard deviations on the basis of this run's bars: numpy's `np.std`
    /// divides by n (population SD, ddof = 0), the bars by n − 1 (sample SD), so each is
    /// multiplied by √(n / (n − 1)), n being the notebook's replicates.
    static var notebookSampleStandardDeviations: [Double] {
        let n = Double(Notebook.sweepReplicates)
        return Notebook.sweepStandardDeviations.map { $0 * (n / (n - 1)).squareRoot() }
    }

    /// The sweep's chart: one category per factor of the notebook's sweep, each run's mean ±
    /// one sample SD exactly at its category (two runs symmetrically about it), the replicates
    /// as dots on the bar, the notebook's means ± its SDs (converted to sample SDs) as grey
    /// diamonds beside them, and Hinton's 0.9847 as a dashed line. Records without a factor of
    /// the notebook's sweep are left out.
    static func sweepChart(_ sweep: [TrainingRecord], comparison: [TrainingRecord]? = nil) -> ErrorBarChart {
        func measurements(_ records: [TrainingRecord]) -> [ErrorBarChart.Measurement] {
            let indices = Set(records.compactMap(\.sweepIndex)).filter(Notebook.sweepFactors.indices.contains)
            return indices.sorted().map { index in
                let values = records.filter { $0.sweepIndex == index }.map(\.finalValidationAccuracy)
                return ErrorBarChart.Measurement(x: Double(index), replicates: values)
            }
        }
        var groups = [ErrorBarChart.Group(name: comparison == nil ? "this run: mean ± 1 SD" : "run A", color: .blue,
                                          measurements: measurements(sweep))]
        if let comparison {
            groups.append(ErrorBarChart.Group(name: "run B", color: .orange, measurements: measurements(comparison)))
        }
        let notebook = ErrorBarChart.Reference(
            name: "notebook: mean ± 1 SD", color: notebookColor,
            points: Notebook.sweepMeans.indices.map { (x: Double($0), y: Notebook.sweepMeans[$0]) },
            errors: notebookSampleStandardDeviations, replicates: Notebook.sweepReplicateAccuracies)
        return ErrorBarChart(title: "2.4 — validation accuracy against the L2 factor", xLabel: "L2 factor",
                             yLabel: "final validation accuracy", xAxis: .categories(sweepCategories), groups: groups,
                             references: [notebook], referenceLines: [ReferenceMark.hinton.line(labelAnchor: .end)])
    }

    /// "n = 3", or "n = 2 to 3" when the factors have different numbers of replicates.
    static func replicateCount(_ chart: ErrorBarChart) -> String {
        let counts = chart.groups.flatMap { $0.measurements.map(\.replicates.count) }
        guard let low = counts.min(), let high = counts.max() else { return "n = 0" }
        return low == high ? "n = \(low)" : "n = \(low) to \(high)"
    }

    static func sweepCaption(_ chart: ErrorBarChart) -> String {
        let run = chart.groups.first.map { $0.color.name ?? "" } ?? ""
        let notebook = chart.references.first.map { $0.color.name ?? "" } ?? ""
        return "Section 2.4: final validation accuracy per L2 factor. This run: mean (\(run) dot) ± 1 sample SD over "
            + "\(replicateCount(chart)) replicates (the small dots left of each bar); \(notebook) diamonds: the notebook's means "
            + "± 1 SD, converted to sample SDs, its replicates right of them; " + referenceSentence([.hinton]) + "."
    }

    /// "Mean final validation accuracy over n = 3 replicates, by L2 factor: 1e-6 0.9818, …"
    static func sweepSummary(_ chart: ErrorBarChart) -> String {
        let categories = sweepCategories
        func name(_ x: Double) -> String {
            let index = Int(x)
            return categories.indices.contains(index) ? categories[index] : String(x)
        }
        var parts = chart.groups.map { group in
            "\(chart.groups.count == 1 ? "This run's" : group.name + "'s") mean final validation accuracy over "
                + "\(replicateCount(chart)) replicates, by L2 factor: "
                + group.measurements.map { "\(name($0.x)) \(NumberFormat.accuracy($0.mean))" }.joined(separator: ", ") + "."
        }
        if let notebook = chart.references.first {
            parts.append("The notebook's means: " + notebook.points.map { "\(name($0.x)) \(NumberFormat.accuracy($0.y))" }
                .joined(separator: ", ") + ".")
        }
        parts += chart.referenceLines.map { "A dashed line marks \($0.label)." }
        return parts.joined(separator: " ")
    }
}

/// The published results and targets the curves are drawn against. Each draws its own line and
/// names itself in a caption, so a caption never has to recognise a line by its value.
enum ReferenceMark {
    /// Hinton's 784-500-300-10 result on the MNIST page.
    case hinton
    /// LeNet-5's published accuracy.
    case lenet5Published
    /// Section 3.1's aim, as the assignment states it.
    case target
    /// Section 3.1b's aim, set by the report.
    case strongCNN

    var value: Double {
        switch self {
        case .hinton: Notebook.hinton500300
        case .lenet5Published: Notebook.lenet5Published
        case .target: ReportFigures.targetAccuracy
        case .strongCNN: Literature.strongCNNTarget
        }
    }

    /// Its labelled line: published results dashed in dark red, targets solid in dark grey.
    func line(labelAnchor: TextAnchor = .start) -> ReferenceLine {
        switch self {
        case .hinton:
            ReferenceLine(value: value, label: "Hinton \(NumberFormat.accuracy(value))", color: ReportFigures.publishedColor,
                          labelAnchor: labelAnchor)
        case .lenet5Published:
            ReferenceLine(value: value, label: "LeNet-5 \(NumberFormat.accuracy(value))", color: ReportFigures.publishedColor,
                          labelAnchor: labelAnchor)
        case .target:
            ReferenceLine(value: value, label: "target \(String(format: "%g", value))", color: ReportFigures.targetColor,
                          dashed: false, labelAnchor: labelAnchor)
        case .strongCNN:
            ReferenceLine(value: value, label: String(format: "%g", value), color: ReportFigures.targetColor, dashed: false,
                          labelAnchor: labelAnchor)
        }
    }

    /// What the line is, in a caption's words.
    var phrase: String {
        switch self {
        case .hinton: "Hinton's \(NumberFormat.accuracy(value)) (MNIST page)"
        case .lenet5Published: "LeNet-5's published \(NumberFormat.accuracy(value))"
        case .target: "the assignment's target of \(String(format: "%g", value))"
        case .strongCNN: "this section's aim of \(String(format: "%g", value))"
        }
    }
}
