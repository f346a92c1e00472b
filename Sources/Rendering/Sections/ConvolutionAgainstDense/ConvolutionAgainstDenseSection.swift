import Assignment

/// Section 3.2, convolutional against dense layers: parameters, operations and generalisation
/// of LeNet-5 and the dense networks.
enum ConvolutionAgainstDenseSection: ReportSection {
    static let anchor = "s3-2"
    static let template = "section-3-2"
    static let key: String? = "s32"

    /// Nil when the run lacks one of the models the section compares.
    static func view(_ input: SectionInput) -> Section32View? { Section32View(input) }

    static func draw(_ figure: FigureID, _ input: SectionInput) -> ReportFigures.Drawn? { nil }
}
