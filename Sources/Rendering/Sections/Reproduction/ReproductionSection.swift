import Assignment
import Results

/// Section 4.2, how to reproduce: the commands that rebuild this report from its commit, and
/// those that re-render it or compare it with another run.
enum ReproductionSection: ReportSection {
    static let anchor = "s4-2"
    static let template = "section-4-2"
    static let key: String? = "s42"

    static func view(_ input: SectionInput) -> ReproductionView? { ReproductionView(input.results) }

    static func draw(_ figure: FigureID, _ input: SectionInput) -> ReportFigures.Drawn? { nil }
}

/// The run's commit and profile, as the commands need them.
struct ReproductionView {
    /// The full commit, or nil outside a git checkout.
    var commit: String?
    var dirty: Bool
    /// The make target of the run's profile: `report` or `quick`.
    var target: String
    /// The folder that target writes.
    var folder: String
    var engineVersion: String

    init(_ results: ResultsDocument) {
        let run = results.run
        commit = run.gitCommit
        dirty = run.gitDirty == true
        (target, folder) = run.profile == .quick ? ("quick", "reports/quick") : ("report", "reports/latest")
        engineVersion = run.engineVersion
    }
}
