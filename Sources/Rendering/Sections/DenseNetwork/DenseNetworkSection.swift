import Assignment

/// Section 2.1, the dense network: its layers and parameter counts, from the models the whole
/// page shares.
enum DenseNetworkSection: SharedContextSection {
    static let anchor = "s2-1"
    static let template = "section-2-1"
    static let part: ReportPart? = ReportPart(number: "2", title: "Fully connected networks")

    static func draw(_ figure: FigureID, _ input: SectionInput) -> ReportFigures.Drawn? { nil }
}
