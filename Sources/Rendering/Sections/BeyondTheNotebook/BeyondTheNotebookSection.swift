import Assignment
import Results
import Plotting

/// Section 3.1b, beyond the notebook: a stronger CNN, how far it goes, what each of its
/// ingredients brings (the ablation) and where it stands against the literature.
enum BeyondTheNotebookSection: ReportSection {
    static let anchor = "s3-1b"
    static let template = "section-3-1b"
    static let key: String? = "s31b"

    static func view(_ input: SectionInput) -> Section31bView? { Section31bView(input) }

    static func draw(_ figure: FigureID, _ input: SectionInput) -> ReportFigures.Drawn? {
        let results = input.results
        guard let r = results.training(.s3_1b) else { return nil }
        switch figure {
        case .accuracy31b:
            var chart = ReportFigures.accuracyChart(r, title: "3.1b — CNN 16-32: accuracy per epoch", notebook: nil,
                                                    referenceLines: [ReferenceMark.strongCNN.line()])
            // Both curves start far below where this network ends: the range that matters is from epoch 2 on.
            let focus = ReportFigures.trainingFocusStart(epochs: r.history.valAccuracy.count)
            for i in chart.series.indices { chart.series[i].yFitFromX = focus }
            var caption = "Beyond the notebook: training (augmentation and dropout active) and validation accuracy per epoch of the CNN 16-32"
            if let lenet = results.training(.s3_1) {
                let epochs = lenet.history.valAccuracy.indices.map { Double($0 + 1) }.prefix(r.history.valAccuracy.count)
                let color = ReportFigures.notebookColor
                chart.series.append(LineChart.Series(name: "LeNet-5 validation", points: Array(zip(epochs, lenet.history.valAccuracy)),
                                                     color: color, dashed: true, markers: epochs.count <= 12,
                                                     yFitFromX: ReportFigures.trainingFocusStart(epochs: epochs.count)))
                caption += "; dashed \(color.name ?? ""): LeNet-5's validation accuracy (section 3.1)"
            }
            return (caption + "; " + ReportFigures.referenceSentence([.strongCNN]) + "." + ReportFigures.clipSentence(chart),
                    ReportFigures.curveSummary(chart), chart)
        case .confusion31b:
            return ReportFigures.confusionMatrix(r, labels: input.labels, model: "CNN 16-32").map {
                ("Beyond the notebook: " + $0.caption, $0.summary, $0.figure)
            }
        case .errors31b:
            guard let test = input.testImages else { return nil }
            let errors = ReportFigures.mistakes(r, test: test, model: "CNN 16-32")
            return ("Beyond the notebook: the first \(errors.cells.count) test images the CNN 16-32 gets wrong, true label → prediction.",
                    ReportFigures.gridSummary(errors, what: "test images the CNN misclassifies, the first in test-set order,",
                                              captions: "its true label → the prediction"), errors)
        default:
            return nil
        }
    }
}
