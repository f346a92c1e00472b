import Results
import Assignment
import Foundation
import Architecture

/// The values the templates show, every one a preformatted string (or a flag, or a list of
/// such), computed from a run's results: no number is formatted in a template and none is
/// typed into the prose.
public enum ReportViewModel {
    /// The whole context of `index.mustache`. `figures` maps each figure id to its inline SVG.
    /// - Parameters:
    ///   - labels: the test set's labels, for what the sections say about errors.
    ///   - attachments: the names of the files copied beside the report (the saved model), for its list of files.
    public static func make(_ results: ResultsDocument, figures: [ReportFigure], svgs: [String: String],
                            labels: [UInt8], attachments: [String] = [], extra: [String: Any] = [:]) -> [String: Any] {
        let analyses = RunAnalyses(results)
        // A comparison with a baseline comes after section 3.2: its tables take the numbers
        // after the sections' and push those of the run's own tables on.
        let comparisonTables = (extra["comparison"] as? [String: Any])?["table_ids"] as? [String] ?? []
        let numbers = tableNumbers(results, labels: labels, inserting: comparisonTables.count, after: "s3-2")
        var context: [String: Any] = [
            "title": "MNIST with Keras, reproduced in Swift",
            "run": run(results),
            "toc": toc(results),
            "figures": figureContext(figures, svgs: svgs),
            "models": models(results),
            "data": ["train_count": NumberFormat.count(Dataset.trainingCount), "test_count": NumberFormat.count(Dataset.testCount),
                     "pixels": String(Dataset.rows * Dataset.columns), "classes": String(Dataset.classes),
                     "image_size": "\(Dataset.rows) × \(Dataset.columns)",
                     "target_accuracy": NumberFormat.accuracy(Notebook.targetAccuracy),
                     "target_percent": NumberFormat.wholePercent(Notebook.targetAccuracy)],
            "s23": TemplateContext.value(Section23View(results)),
            "s24": TemplateContext.value(Section24View(results, analyses: analyses)),
            "s31": TemplateContext.value(Section31View(results, labels: labels, analyses: analyses)),
            "s31b": TemplateContext.value(Section31bView(results, labels: labels, analyses: analyses)),
            "s32": TemplateContext.value(Section32View(results) as Any),
            "loss": TemplateContext.value(LossView(results)),
            "trainings": results.trainings.map { trainingRow($0) },
            "tables": tableContext(numbers.tables),
            "files": files(figures, attachments: attachments),
        ]
        for (key, value) in extra { context[key] = value }
        if !comparisonTables.isEmpty, var comparison = extra["comparison"] as? [String: Any] {
            comparison["comparison_tables"] = RunComparison.tableContext(comparisonTables, first: numbers.inserted)
            context["comparison"] = comparison
        }
        return context
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
    static func tableContext(_ results: ResultsDocument, labels: [UInt8]) -> [String: [String: String]] {
        tableContext(tableNumbers(results, labels: labels))
    }

    /// The templates' `tables` from each table's number.
    static func tableContext(_ numbers: [String: String]) -> [String: [String: String]] {
        numbers.reduce(into: [:]) { context, entry in context[entry.key] = ["number": entry.value, "anchor": tableAnchor(entry.key)] }
    }
}
