import Assignment
import Foundation
import MNIST
import NeuralEngine

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
        var context: [String: Any] = [
            "title": "MNIST with Keras, reproduced in Swift",
            "run": run(results),
            "toc": toc(results),
            "figures": figureContext(figures, svgs: svgs),
            "models": models(),
            "data": ["train_count": NumberFormat.count(MNISTSplit.trainingCount), "test_count": NumberFormat.count(MNISTSplit.testCount),
                     "pixels": String(MNISTSplit.rows * MNISTSplit.columns), "classes": String(Preprocessing.classes),
                     "image_size": "\(MNISTSplit.rows) × \(MNISTSplit.columns)",
                     "target_accuracy": NumberFormat.accuracy(Notebook.targetAccuracy),
                     "target_percent": NumberFormat.wholePercent(Notebook.targetAccuracy)],
            "s23": TemplateContext.value(Section23View(results)),
            "s24": TemplateContext.value(Section24View(results)),
            "s31": TemplateContext.value(Section31View(results, labels: labels)),
            "s32": TemplateContext.value(Section32View(results) as Any),
            "loss": TemplateContext.value(LossView(results)),
            "trainings": results.trainings.map { trainingRow($0) },
            "tables": tableNumbers(results, labels: labels),
            "files": files(figures, attachments: attachments),
        ]
        for (key, value) in extra { context[key] = value }
        return context
    }

    // MARK: formatting (NumberFormat's, under the names the view-model code uses)

    static func accuracy(_ x: Double) -> String { NumberFormat.accuracy(x) }
    static func accuracy5(_ x: Double) -> String { NumberFormat.accuracy5(x) }
    static func percent(_ x: Double) -> String { NumberFormat.percent(x) }
    static func signed(_ x: Double, _ digits: Int = 4) -> String { NumberFormat.signed(x, digits) }
    static func seconds(_ x: Double) -> String { NumberFormat.seconds(x) }
    static func duration(_ x: Double) -> String { NumberFormat.duration(x) }
    static func images(_ fraction: Double, of total: Int) -> Int { NumberFormat.items(fraction, of: total) }
    static func factor(_ f: Float) -> String { NumberFormat.factor(f) }

    /// The report's tables in reading order, each with the sections whose trainings it needs
    /// (none: always shown). Numbers are given to the tables this run shows, so they follow
    /// each other without gaps whatever the run left out.
    static let tables: [(id: String, needs: String?)] = [
        ("parameters_2_1", nil), ("result_2_3", "2.3"), ("epochs_2_3", "2.3"),
        ("result_2_4", "2.4"), ("sweep_2_4", "2.4-sweep"), ("best_2_4", "2.4-any"),
        ("result_3_1", "3.1"), ("confusions_3_1", "3.1-errors"), ("trainings", nil),
    ]

    /// Each shown table's number as text, by id (`"result_2_3": "2"`).
    static func tableNumbers(_ results: ResultsDocument, labels: [UInt8]) -> [String: String] {
        let single = Set(results.trainings.filter { $0.sweepIndex == nil }.map(\.section))
        let sweep = !results.sweepTrainings.isEmpty
        var numbers: [String: String] = [:]
        for table in tables {
            let shown: Bool
            switch table.needs {
            case nil: shown = true
            case "2.4-sweep": shown = sweep
            case "2.4-any": shown = sweep || single.contains("2.4")
            case "3.1-errors":
                // The confusions table needs LeNet-5's predictions and at least one mistake.
                shown = results.training("3.1").map { $0.testPredictions.count == labels.count && TrainingView.errors($0) > 0 } ?? false
            case let section?: shown = single.contains(section)
            }
            if shown { numbers[table.id] = String(numbers.count + 1) }
        }
        return numbers
    }
}
