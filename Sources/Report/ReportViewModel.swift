import Assignment
import Foundation
import MNIST
import NeuralEngine

/// The values the templates show, every one a preformatted string (or a flag, or a list of
/// such), computed from a run's results: no number is formatted in a template and none is
/// typed into the prose.
public enum ReportViewModel {
    /// The whole context of `index.mustache`. `figures` maps each figure id to its inline SVG.
    public static func make(_ results: ResultsDocument, figures: [ReportFigure], svgs: [String: String],
                            extra: [String: Any] = [:]) -> [String: Any] {
        var context: [String: Any] = [
            "title": "MNIST with Keras, reproduced in Swift",
            "run": run(results),
            "toc": toc(results),
            "figures": figureContext(figures, svgs: svgs),
            "models": models(),
            "data": ["train_count": "60,000", "test_count": "10,000", "pixels": "784", "classes": "10",
                     "image_size": "\(MNISTSplit.rows) × \(MNISTSplit.columns)",
                     // Section 3.1's aim, as the assignment states it.
                     "target_accuracy": accuracy(0.99), "target_percent": "99 %"],
            "s23": section23(results),
            "s24": section24(results),
            "s31": section31(results),
            "s32": section32(results),
            "loss": lossContext(),
            "trainings": results.trainings.map { trainingRow($0) },
            "tables": tableNumbers(results),
            "files": files(figures, attachments: []),
        ]
        for (key, value) in extra { context[key] = value }
        return context
    }

    // MARK: formatting

    static func accuracy(_ x: Double) -> String { String(format: "%.4f", x) }
    static func accuracy5(_ x: Double) -> String { String(format: "%.5f", x) }
    static func percent(_ x: Double) -> String { String(format: "%.2f %%", 100 * x) }
    static func signed(_ x: Double, _ digits: Int = 4) -> String {
        let text = String(format: "%+.\(digits)f", x)
        return text == String(format: "%+.\(digits)f", 0.0) || text == "-" + String(format: "%.\(digits)f", 0.0) ? "±" + String(format: "%.\(digits)f", 0.0) : text.replacingOccurrences(of: "-", with: "−")
    }
    /// Seconds, "–" for a value no clock gives (negative, not finite).
    static func seconds(_ x: Double) -> String {
        guard x.isFinite, x >= 0 else { return "–" }
        return x >= 10 ? String(format: "%.0f s", x) : String(format: "%.2f s", x)
    }
    /// A duration in seconds as "42 s" or "16 min 38 s"; "–" for a value no clock gives, and
    /// whole days beyond what a build takes stay in seconds rather than overflow an integer.
    static func duration(_ x: Double) -> String {
        guard x.isFinite, x >= 0 else { return "–" }
        guard x >= 90 else { return String(format: "%.0f s", x) }
        guard x < 1e9 else { return String(format: "%.3g s", x) }
        let whole = Int(x)
        return "\(whole / 60) min \(whole % 60) s"
    }
    /// A count of test images from a fraction of them (`fraction` × `total`, rounded), clamped to
    /// 0…`total` so that no stored number can overflow the conversion.
    static func images(_ fraction: Double, of total: Int) -> Int {
        guard fraction.isFinite else { return 0 }
        return Int((min(max(fraction, 0), 1) * Double(total)).rounded())
    }
    /// An L2 factor as the notebook writes it: 1e-5, 2.5075e-4, 0.01.
    static func factor(_ f: Float) -> String {
        let value = Double(f)
        guard value != 0, abs(value) < 0.01 else { return String(format: "%g", value) }
        let parts = String(format: "%.4e", value).split(separator: "e")
        var mantissa = String(parts[0])
        while mantissa.hasSuffix("0") { mantissa.removeLast() }
        if mantissa.hasSuffix(".") { mantissa.removeLast() }
        return "\(mantissa)e\(Int(parts[1]) ?? 0)"
    }

    /// The report's tables in reading order, each with the sections whose trainings it needs
    /// (none: always shown). Numbers are given to the tables this run shows, so they follow
    /// each other without gaps whatever the run left out.
    static let tables: [(id: String, needs: String?)] = [
        ("parameters_2_1", nil), ("result_2_3", "2.3"), ("epochs_2_3", "2.3"),
        ("result_2_4", "2.4"), ("sweep_2_4", "2.4-sweep"), ("best_2_4", "2.4-any"),
        ("result_3_1", "3.1"), ("confusions_3_1", "3.1"), ("trainings", nil),
    ]

    /// Each shown table's number as text, by id (`"result_2_3": "2"`).
    static func tableNumbers(_ results: ResultsDocument) -> [String: String] {
        let single = Set(results.trainings.filter { $0.sweepIndex == nil }.map(\.section))
        let sweep = !results.sweepTrainings.isEmpty
        var numbers: [String: String] = [:]
        for table in tables {
            let shown: Bool
            switch table.needs {
            case nil: shown = true
            case "2.4-sweep": shown = sweep
            case "2.4-any": shown = sweep || single.contains("2.4")
            case let section?: shown = single.contains(section)
            }
            if shown { numbers[table.id] = String(numbers.count + 1) }
        }
        return numbers
    }
}
