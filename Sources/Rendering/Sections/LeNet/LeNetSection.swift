import Assignment
import Results

/// Section 3.1, a convolutional network: LeNet-5's layers, its result against the notebook,
/// the published LeNet-5 and the target, and what its mistakes have in common.
enum LeNetSection: ReportSection {
    static let anchor = "s3-1"
    static let template = "section-3-1"
    static let key: String? = "s31"
    static let part: ReportPart? = ReportPart(number: "3", title: "Convolutional networks")

    static func view(_ input: SectionInput) -> Section31View? { Section31View(input) }

    static func draw(_ figure: FigureID, _ input: SectionInput) -> ReportFigures.Drawn? {
        guard let r = input.results.training(.s3_1) else { return nil }
        switch figure {
        case .accuracy31:
            let marks: [ReferenceMark] = [.target, .lenet5Published]
            let chart = ReportFigures.accuracyChart(r, title: "3.1 — LeNet-5: accuracy per epoch", notebook: nil,
                                                    referenceLines: marks.map { $0.line() })
            return ("Section 3.1: training (dropout active) and validation accuracy per epoch of LeNet-5; "
                        + ReportFigures.referenceSentence(marks) + "." + ReportFigures.clipSentence(chart),
                    ReportFigures.curveSummary(chart), chart)
        case .confusion31:
            return ReportFigures.confusionMatrix(r, labels: input.labels, model: "LeNet-5").map {
                ("Section 3.1: " + $0.caption, $0.summary, $0.figure)
            }
        case .errors31:
            guard let test = input.testImages else { return nil }
            let errors = ReportFigures.mistakes(r, test: test)
            return ("Section 3.1: the first \(errors.cells.count) test images LeNet-5 gets wrong, true label → prediction.",
                    ReportFigures.gridSummary(errors, what: "test images LeNet-5 misclassifies, the first in test-set order,",
                                              captions: "its true label → the prediction"), errors)
        default:
            return nil
        }
    }
}
