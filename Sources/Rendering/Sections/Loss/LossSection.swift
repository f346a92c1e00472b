import Assignment

/// Section 2.2, the loss: the cross-entropy's constants and what its clipping changed in the run.
enum LossSection: ReportSection {
    static let anchor = "s2-2"
    static let template = "section-2-2"
    static let key: String? = "loss"

    static func view(_ input: SectionInput) -> LossView? { LossView(input.results) }

    static func draw(_ figure: FigureID, _ input: SectionInput) -> ReportFigures.Drawn? { nil }
}
