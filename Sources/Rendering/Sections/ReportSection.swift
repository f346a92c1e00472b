import Results
import Assignment
import Analysis

/// One section of the report, declared in a folder of its own under `Sections/`: the chapter of
/// the catalogue it writes (whose experiment names its trainings, figures and tables), the view
/// its template reads, how its figures are drawn, and the template that writes it.
///
/// Adding a section takes a folder with a type that conforms (the compiler asks for each
/// requirement), one line in `ReportSections.all`, its chapter in `Catalogue.chapters` (the
/// trainings, figures and tables it owns) and its template in `templates/`. `ReportSectionTests`
/// checks that the three agree: every chapter written by one section, in the same order, and
/// every figure of a chapter drawn by its section.
protocol ReportSection {
    /// The values its template reads.
    associatedtype View
    /// The anchor of its chapter in `Catalogue.chapters` (`s2-4`).
    static var anchor: String { get }
    /// Its template in the templates folder, without `.mustache` (`section-2-4`).
    static var template: String { get }
    /// Where its view sits in every template's context (`s24`): its own template reads it
    /// there, and so may others (the references cite sections 2.4 and 3.1 by their numbers).
    /// Nil for a section whose template reads only what the whole page shares.
    static var key: String? { get }
    /// The part of the report this section opens, when it is the first of one.
    static var part: ReportPart? { get }
    /// Its view of a run; nil when the run lacks what it needs.
    static func view(_ input: SectionInput) -> View?
    /// One of its chapter's figures drawn from the run; nil when the run lacks the data.
    static func draw(_ figure: FigureID, _ input: SectionInput) -> ReportFigures.Drawn?
}

extension ReportSection {
    static var part: ReportPart? { nil }

    /// Its chapter in the catalogue.
    static var chapter: Chapter? { Catalogue.chapters.first { $0.anchor == anchor } }

    /// Its view as its templates read it (`false` when the run lacks what it needs, so
    /// `{{#s32}}…{{/s32}}` skips it).
    static func templateValue(_ input: SectionInput) -> TemplateValue {
        view(input).map(TemplateValue.init) ?? .flag(false)
    }
}

/// A section that shows only what the whole page shares (the data set's facts, the models'
/// layers, the figures and tables): no view of its own.
protocol SharedContextSection: ReportSection where View == Never {}

extension SharedContextSection {
    static var key: String? { nil }
    static func view(_ input: SectionInput) -> Never? { nil }
}

/// A part of the report, the heading above its first section.
struct ReportPart {
    var number: String
    var title: String
}

/// What every section reads to make its view and draw its figures: the run's results, the test
/// set's labels (and, for the figures, its recorded images), and the findings that several
/// sections share, computed once: the sweep's analysis and the seed noise measured from it,
/// the yardstick by which 2.4, 3.1 and 3.1b judge a difference.
struct SectionInput {
    let results: ResultsDocument
    /// The test set's labels, one per prediction (empty when the document records none).
    let labels: [UInt8]
    /// The test images the figures draw; nil when the document records no test set (the digit
    /// figures are then left out).
    let testImages: ReportFigures.TestImages?
    let sweep: SweepAnalysis?
    let noise: SeedNoise

    /// - Parameters:
    ///   - labels: the test labels (default: the document's own).
    ///   - drawing: whether the figures will be drawn, which needs the recorded images decoded.
    init(_ results: ResultsDocument, labels: [UInt8]? = nil, drawing: Bool = false) {
        self.results = results
        self.labels = labels ?? results.testSet?.labelValues ?? []
        testImages = drawing ? results.testSet.map(ReportFigures.TestImages.init) : nil
        sweep = results.sweepAnalysis
        noise = SeedNoise.measured(sweep)
    }
}

/// The report's sections in reading order.
enum ReportSections {
    static var all: [any ReportSection.Type] {[
        DataSection.self,
        DenseNetworkSection.self,
        LossSection.self,
        SmallNetworkSection.self,
        WeightDecaySection.self,
        LeNetSection.self,
        BeyondTheNotebookSection.self,
        ConvolutionAgainstDenseSection.self,
        LimitationsSection.self,
        ReproductionSection.self,
    ]}

    /// The section that writes the chapter at `anchor`.
    static func section(anchor: String) -> (any ReportSection.Type)? { all.first { $0.anchor == anchor } }

    /// Every section's view under its key, as the templates read them.
    static func views(_ input: SectionInput) -> [String: TemplateValue] {
        var views: [String: TemplateValue] = [:]
        for section in all {
            if let key = section.key { views[key] = section.templateValue(input) }
        }
        return views
    }
}

/// A section as the page lists it: the part it opens, if any, and its HTML.
struct SectionEntry {
    var part: ReportPart?
    var html: String
}
