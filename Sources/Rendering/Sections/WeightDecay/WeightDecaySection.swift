import Assignment
import Results

/// Section 2.4, a wider network with weight decay: one training against the notebook and
/// Hinton's result, the sweep of the decay factor with its replicates, and the best accuracy.
enum WeightDecaySection: ReportSection {
    static let anchor = "s2-4"
    static let template = "section-2-4"
    static let key: String? = "s24"

    static func view(_ input: SectionInput) -> Section24View? { Section24View(input) }

    static func draw(_ figure: FigureID, _ input: SectionInput) -> ReportFigures.Drawn? {
        let results = input.results
        switch figure {
        case .accuracy24:
            guard let r = results.training(.s2_4) else { return nil }
            let chart = ReportFigures.accuracyChart(r, title: "2.4 — dense 500-300, \(ReportFigures.l2Label(r)): accuracy per epoch",
                                                    notebook: nil, referenceLines: [ReferenceMark.hinton.line()])
            return ("Section 2.4: training and validation accuracy per epoch, "
                        + (r.hyperparameters.l2.map { "L2 = \(NumberFormat.factor($0))" } ?? "no L2 penalty")
                        + "; " + ReportFigures.referenceSentence([.hinton]) + "." + ReportFigures.clipSentence(chart),
                    ReportFigures.curveSummary(chart), chart)
        case .loss24:
            guard let r = results.training(.s2_4) else { return nil }
            let chart = ReportFigures.lossChart(r, title: "2.4 — dense 500-300, \(ReportFigures.l2Label(r)): loss per epoch")
            return ("Section 2.4: training and validation loss per epoch (cross-entropy plus the L2 penalty).",
                    ReportFigures.curveSummary(chart), chart)
        case .sweep24:
            let sweep = results.sweepTrainings
            guard !sweep.isEmpty else { return nil }
            let chart = ReportFigures.sweepChart(sweep)
            return (ReportFigures.sweepCaption(chart), ReportFigures.sweepSummary(chart), chart)
        default:
            return nil
        }
    }
}
