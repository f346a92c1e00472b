import Assignment

/// Section 1.1, loading and preprocessing: the data set's facts (shared by the whole page) and
/// the first test images as the networks receive them.
enum DataSection: SharedContextSection {
    static let anchor = "s1-1"
    static let template = "section-1-1"
    static let part: ReportPart? = ReportPart(number: "1", title: "Data")

    static func draw(_ figure: FigureID, _ input: SectionInput) -> ReportFigures.Drawn? {
        guard figure == .digits, let test = input.testImages else { return nil }
        let digits = ReportFigures.sampleDigits(test)
        return ("The first \(digits.cells.count) test images with their labels, as the networks receive them (white ink on black, 28 × 28 pixels).",
                ReportFigures.gridSummary(digits, what: "MNIST test images", captions: "its label"), digits)
    }
}
