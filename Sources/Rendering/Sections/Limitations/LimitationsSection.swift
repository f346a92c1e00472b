import Assignment
import Results

/// Section 4.1, limitations: what the run's design cannot say, each limit with the figure of
/// the run it concerns.
enum LimitationsSection: ReportSection {
    static let anchor = "s4-1"
    static let template = "section-4-1"
    static let key: String? = "s41"
    static let part: ReportPart? = ReportPart(number: "4", title: "Limits and reproduction")

    static func view(_ input: SectionInput) -> LimitationsView? { LimitationsView(input) }

    static func draw(_ figure: FigureID, _ input: SectionInput) -> ReportFigures.Drawn? { nil }
}

/// The run's facts each limitation quotes.
struct LimitationsView {
    /// The sweep's factors, chosen among on the test set ("five"); nil without a sweep.
    var sweep: Sweep?
    /// The sections whose main network was trained once ("3.1 and 3.1b").
    var singleSections: String
    var singleAny: Bool
    /// σ, the seed spread borrowed by the sections with single trainings.
    var sd: String
    /// The run used the quick profile.
    var isQuick: Bool

    struct Sweep {
        var factors: String
    }

    init(_ input: SectionInput) {
        let results = input.results
        sweep = input.sweep.map { Sweep(factors: NumberFormat.words($0.settings.count)) }
        let single = [Section.s3_1, .s3_1b].filter { section in results.training(section) != nil }
        singleSections = NumberFormat.list(single.map(\.rawValue))
        singleAny = !single.isEmpty
        sd = input.noise.text
        isQuick = results.run.profile == .quick
    }
}
