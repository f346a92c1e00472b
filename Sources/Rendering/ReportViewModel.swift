import Results
import Assignment
import Foundation
import Architecture

/// The values the templates show, every one a preformatted string (or a flag, or a list of
/// such), computed from a run's results: no number is formatted in a template and none is
/// typed into the prose.
public enum ReportViewModel {
    /// The context every template of the page reads: what the whole page shares (`IndexPage`)
    /// and each section's view under its key (`s24`). `svgs` maps each figure id to its inline SVG.
    /// `render(_:templates:)` writes the page from it.
    /// - Parameters:
    ///   - labels: the test set's labels, for what the sections say about errors.
    ///   - attachments: the names of the files copied beside the report (the saved model), for its list of files.
    ///   - comparison: a comparison with a baseline, shown after section 3.2.
    public static func make(_ results: ResultsDocument, figures: [ReportFigure], svgs: [String: String],
                            labels: [UInt8], attachments: [String] = [], comparison: ComparisonView? = nil) -> TemplateValue {
        guard case var .object(context) = TemplateValue(page(results, figures: figures, svgs: svgs, labels: labels,
                                                             attachments: attachments, comparison: comparison)) else {
            preconditionFailure("a page's view model is an object")
        }
        for (key, view) in ReportSections.views(SectionInput(results, labels: labels)) {
            precondition(context[key] == nil, "section key \(key) is also a key of the page")
            context[key] = view
        }
        return .object(context)
    }

    /// The page: each section's template rendered in `context` (from `make`), in reading order,
    /// then `index.mustache` with the list of them as `sections` (each with the `part` it
    /// opens, if any, and its `html`).
    public static func render(_ context: TemplateValue, templates: StrictTemplates) throws -> String {
        guard case var .object(page) = context else { preconditionFailure("a page's context is an object") }
        let entries = try ReportSections.all.map { section in
            SectionEntry(part: section.part, html: try templates.render(section.template, context))
        }
        page["sections"] = TemplateValue(entries)
        return try templates.render("index", .object(page))
    }

    /// The same, as the typed page.
    static func page(_ results: ResultsDocument, figures: [ReportFigure], svgs: [String: String],
                     labels: [UInt8], attachments: [String] = [], comparison: ComparisonView? = nil) -> IndexPage {
        // A comparison with a baseline comes after section 3.2: its tables take the numbers
        // after the sections' and push those of the run's own tables on.
        let numbers = tableNumbers(results, labels: labels, inserting: comparison?.shownTables.count ?? 0, after: "s3-2")
        return IndexPage(
            title: "MNIST with Keras, reproduced in Swift",
            run: run(results),
            toc: contents(results),
            figures: figureContext(figures, svgs: svgs),
            models: models(results),
            data: .init(trainCount: NumberFormat.count(Dataset.trainingCount), testCount: NumberFormat.count(Dataset.testCount),
                        pixels: String(Dataset.rows * Dataset.columns), classes: String(Dataset.classes),
                        imageSize: "\(Dataset.rows) × \(Dataset.columns)",
                        targetAccuracy: NumberFormat.accuracy(Notebook.targetAccuracy),
                        targetPercent: NumberFormat.wholePercent(Notebook.targetAccuracy)),
            trainings: results.trainings.map(trainingRow),
            tables: tableContext(numbers.tables),
            files: files(figures, attachments: attachments),
            comparison: comparison?.numbered(from: numbers.inserted))
    }

    /// Each shown table's number as text, by id (`"result_2_3": "2"`): the catalogue's tables
    /// in reading order, numbered among those this run shows, so numbers follow each other
    /// without gaps whatever the run left out.
    static func tableNumbers(_ results: ResultsDocument, labels: [UInt8]) -> [String: String] {
        tableNumbers(results, labels: labels, inserting: 0, after: "").tables
    }

    /// The same, leaving `count` numbers free after chapter `anchor` for tables outside the
    /// catalogue (a comparison's); `inserted` is the first of them.
    static func tableNumbers(_ results: ResultsDocument, labels: [UInt8], inserting count: Int,
                             after anchor: String) -> (tables: [String: String], inserted: Int) {
        var numbers: [String: String] = [:]
        var next = 1, inserted = 1
        for chapter in Catalogue.chapters {
            let shown = chapter.tables + (chapter.experiment.map { experiment in
                experiment.tables.filter { shows($0.needs, of: experiment, in: results, labels: labels) }.map(\.id)
            } ?? [])
            for id in shown { numbers[id] = String(next); next += 1 }
            if chapter.anchor == anchor { (inserted, next) = (next, next + count) }
        }
        return (numbers, inserted)
    }

    /// A table's HTML id, stable whatever the run shows: `table-` and its catalogue id with
    /// hyphens for underscores (`result_2_3` → `table-result-2-3`), as figures are `fig-2-3-accuracy`.
    package static func tableAnchor(_ id: String) -> String {
        "table-" + id.replacingOccurrences(of: "_", with: "-")
    }

    /// The templates' `tables`: for each shown table, by id, its `number` ("2") and its `anchor`.
    static func tableContext(_ results: ResultsDocument, labels: [UInt8]) -> [String: TableReference] {
        tableContext(tableNumbers(results, labels: labels))
    }

    /// The templates' `tables` from each table's number.
    static func tableContext(_ numbers: [String: String]) -> [String: TableReference] {
        numbers.reduce(into: [:]) { context, entry in context[entry.key] = TableReference(number: entry.value, anchor: tableAnchor(entry.key)) }
    }
}

/// What the whole page shares, each part a typed view: the run, the contents, the figures,
/// models, tables and files that every section's template may read. The sections' own views
/// come from `ReportSections` (see `ReportViewModel.make`).
struct IndexPage {
    var title: String
    var run: RunView
    var toc: [ReportViewModel.ContentsEntry]
    /// By figure id with underscores (`fig_2_3_accuracy`).
    var figures: [String: FigureView]
    /// By model name (`lenet5`).
    var models: [String: ModelView]
    var data: DataFacts
    var trainings: [TrainingRow]
    /// By catalogue table id (`result_2_3`).
    var tables: [String: TableReference]
    var files: FilesView
    var comparison: ComparisonView?

    /// MNIST's sizes and the assignment's target, as the report writes them.
    struct DataFacts {
        var trainCount, testCount, pixels, classes, imageSize, targetAccuracy, targetPercent: String
    }
}
