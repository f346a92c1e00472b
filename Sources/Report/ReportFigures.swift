import Assignment
import MNIST
import Plotting

/// One numbered figure of the report.
public struct ReportFigure {
    /// File stem and HTML anchor (`fig-2-3-accuracy`).
    public var id: String
    public var number: Int
    public var caption: String
    public var figure: any Figure
}

/// The report's figures, drawn from a run's results (and, for the digit grids, the data set).
public enum ReportFigures {
    /// Every figure whose trainings are in `results`, numbered in reading order.
    public static func make(_ results: ResultsDocument, test: MNISTSplit) -> [ReportFigure] {
        var figures: [ReportFigure] = []
        func add(_ id: String, _ caption: String, _ figure: any Figure) {
            figures.append(ReportFigure(id: id, number: figures.count + 1, caption: caption, figure: figure))
        }
        add("fig-1-digits", "The first 24 test images with their labels, as the networks receive them (white ink on black, 28 × 28 pixels).",
            sampleDigits(test))
        if let r = results.training("2.3") {
            let withNotebook = r.history.valAccuracy.count == Notebook.mlp64ValidationAccuracy.count
            add("fig-2-3-accuracy",
                "Section 2.3: training accuracy (running mean over each epoch) and validation accuracy after each epoch of the 784-64-64-10 network"
                    + (withNotebook ? "; the dashed grey line is the notebook's validation accuracy." : "."),
                accuracyChart(r, title: "2.3 — dense 64-64: accuracy per epoch", notebook: Notebook.mlp64ValidationAccuracy))
        }
        if let r = results.training("2.4") {
            add("fig-2-4-accuracy",
                "Section 2.4: training and validation accuracy per epoch of the 784-500-300-10 network with L2 = 1e-5 on its hidden kernels.",
                accuracyChart(r, title: "2.4 — dense 500-300, L2 1e-5: accuracy per epoch", notebook: nil))
            add("fig-2-4-loss",
                "Section 2.4: loss per epoch (cross-entropy plus the L2 penalty) on the training and validation data.",
                lossChart(r, title: "2.4 — dense 500-300: loss per epoch"))
        }
        let sweep = results.sweepTrainings
        if !sweep.isEmpty {
            add("fig-2-4-sweep",
                "Section 2.4: final validation accuracy against the L2 factor, mean ± one standard deviation over the replicates (error bars), each replicate as a dot, and the notebook's means as diamonds.",
                sweepChart(sweep))
        }
        if let r = results.training("3.1") {
            add("fig-3-1-accuracy",
                "Section 3.1: training and validation accuracy per epoch of the LeNet-5 network (training accuracy is measured with dropout active).",
                accuracyChart(r, title: "3.1 — LeNet-5: accuracy per epoch", notebook: nil))
            add("fig-3-1-errors",
                "Section 3.1: test images the trained LeNet-5 gets wrong (the first 30 in test-set order), with the true label and the prediction.",
                mistakes(r, test: test))
        }
        return figures
    }

    static func sampleDigits(_ test: MNISTSplit) -> ImageGrid {
        let cells = (0..<min(24, test.count)).map { i in
            ImageGrid.Cell(pixels: Array(test.image(i)), caption: "label \(test.labels[i])")
        }
        return ImageGrid(title: "MNIST test digits", columns: 12, cells: cells, imageSide: 48, inverted: false)
    }

    static func accuracyChart(_ r: TrainingRecord, title: String, notebook: [Double]?) -> LineChart {
        let epochs = r.history.accuracy.indices.map { Double($0 + 1) }
        var series = [
            LineChart.Series(name: "training", points: Array(zip(epochs, r.history.accuracy)), color: .blue, markers: epochs.count <= 12),
            LineChart.Series(name: "validation", points: Array(zip(epochs, r.history.valAccuracy)), color: .orange, markers: epochs.count <= 12),
        ]
        if let notebook, notebook.count == epochs.count {
            series.append(LineChart.Series(name: "notebook validation", points: Array(zip(epochs, notebook)), color: .darkGray,
                                           dashed: true, markers: true))
        }
        return LineChart(title: title, xLabel: "epoch", yLabel: "accuracy", series: series, legendPosition: .bottomRight, integerX: true)
    }

    static func lossChart(_ r: TrainingRecord, title: String) -> LineChart {
        let epochs = r.history.loss.indices.map { Double($0 + 1) }
        return LineChart(title: title, xLabel: "epoch", yLabel: "loss", series: [
            LineChart.Series(name: "training", points: Array(zip(epochs, r.history.loss)), color: .blue),
            LineChart.Series(name: "validation", points: Array(zip(epochs, r.history.valLoss)), color: .orange),
        ], legendPosition: .topRight, integerX: true)
    }

    /// The sweep's x positions: the factor in units of 1e-4.
    static func sweepX(_ index: Int) -> Double { Double(Notebook.sweepFactors[index]) * 1e4 }

    /// The sweep's chart; records without a factor of the notebook's sweep are left out.
    static func sweepChart(_ sweep: [TrainingRecord], comparison: [TrainingRecord]? = nil) -> ErrorBarChart {
        func measurements(_ records: [TrainingRecord]) -> [ErrorBarChart.Measurement] {
            let indices = Set(records.compactMap(\.sweepIndex)).filter(Notebook.sweepFactors.indices.contains)
            return indices.sorted().map { index in
                let values = records.filter { $0.sweepIndex == index }.map(\.finalValidationAccuracy)
                return ErrorBarChart.Measurement(x: sweepX(index), replicates: values)
            }
        }
        var groups = [ErrorBarChart.Group(name: comparison == nil ? "this run" : "run A", color: .blue, measurements: measurements(sweep))]
        if let comparison {
            groups.append(ErrorBarChart.Group(name: "run B", color: .orange, measurements: measurements(comparison)))
        }
        let notebook = ErrorBarChart.Reference(
            name: "notebook mean", color: .darkGray,
            points: Notebook.sweepMeans.indices.map { (x: sweepX($0), y: Notebook.sweepMeans[$0]) })
        return ErrorBarChart(title: "2.4 — validation accuracy against the L2 factor", xLabel: "L2 factor (× 1e-4)",
                             yLabel: "final validation accuracy", groups: groups, references: [notebook])
    }

    static func mistakes(_ r: TrainingRecord, test: MNISTSplit) -> ImageGrid {
        let predictions = Array(r.testPredictions.utf8).map { Int($0) - 48 }
        var cells: [ImageGrid.Cell] = []
        for i in 0..<min(test.count, predictions.count) where predictions[i] != Int(test.labels[i]) {
            cells.append(ImageGrid.Cell(pixels: Array(test.image(i)), caption: "\(test.labels[i]) → \(predictions[i])", captionColor: .red))
            if cells.count == 30 { break }
        }
        if cells.isEmpty { cells.append(ImageGrid.Cell(pixels: [UInt8](repeating: 0, count: 784), caption: "no mistakes")) }
        return ImageGrid(title: "LeNet-5 mistakes (true → predicted)", columns: 10, cells: cells, imageSide: 48, inverted: false)
    }
}
