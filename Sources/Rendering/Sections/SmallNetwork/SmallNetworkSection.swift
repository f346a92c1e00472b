import Assignment
import Results

/// Section 2.3, training the small network: its result against the notebook's and the Keras
/// trainings', its epochs, and whether it overfits.
enum SmallNetworkSection: ReportSection {
    static let anchor = "s2-3"
    static let template = "section-2-3"
    static let key: String? = "s23"

    static func view(_ input: SectionInput) -> Section23View? { Section23View(input.results) }

    static func draw(_ figure: FigureID, _ input: SectionInput) -> ReportFigures.Drawn? {
        guard figure == .accuracy23, let r = input.results.training(.s2_3) else { return nil }
        let chart = ReportFigures.accuracyChart(r, title: "2.3 — dense 64-64: accuracy per epoch", notebook: Notebook.mlp64ValidationAccuracy)
        var caption = "Section 2.3: training accuracy (running mean over each epoch) and validation accuracy per epoch"
        if let notebook = chart.series.first(where: { $0.name == ReportFigures.notebookSeriesName }) {
            caption += "; dashed \(notebook.color.name ?? ""): the notebook's validation accuracy"
        }
        return (caption + "." + ReportFigures.clipSentence(chart), ReportFigures.curveSummary(chart), chart)
    }
}
