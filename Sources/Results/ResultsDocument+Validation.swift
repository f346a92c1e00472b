import Assignment
import Files
import Foundation
import Architecture

extension ResultsDocument {
    /// The bounds of a document's values (the hyper-parameters' are `Hyperparameters`'s, those
    /// the command line accepts). A build never comes near them; a file beyond them was edited
    /// by hand, truncated, or written by something else.
    public enum Limits {
        /// The MNIST test images: `test_predictions` holds one digit for each, or is empty.
        public static let testImages = Dataset.testCount
        /// The most test images whose pixels a document records: the figures draw fewer than 100.
        public static let recordedImages = 1_000
        /// The longest duration, of a build or of one epoch, in seconds: a year.
        public static let seconds = 365.0 * 24 * 3600
        /// Factors of a sweep, and replicates of a factor.
        public static let sweepPoints = 1_000
        /// Cores, threads per training, parallel trainings.
        public static let threads = 4_096
        public static let parameters = 1_000_000_000
        /// Cross-entropy is clipped below 17; even with the L2 penalty, a larger loss is garbage.
        public static let loss = 1e6
        /// The longest description of the machine (`os`, `openblas`, `core_type`), in characters:
        /// OpenBLAS's configuration string is about 60.
        public static let machineText = 200
    }

    /// Checks the document's values, beyond their types (`problems()`).
    /// - Throws: `ReportError`: `source`, the first problem, and how many more there are.
    public func validate(source: String) throws {
        let found = problems()
        guard let first = found.first else { return }
        let more = found.count > 1 ? " (and \(found.count - 1) more problem\(found.count > 2 ? "s" : ""))" : ""
        throw ReportError("\(source): \(first)\(more)")
    }

    /// Every problem of the document, one line each: the JSON path of the field, what it holds,
    /// what was expected (`trainings[0].params: 55051 does not match its layers, which hold 55050
    /// parameters`). Empty for a document a build wrote. Checked by the document's own structure,
    /// never by today's plan (results outlive the code that wrote them): every number finite and
    /// in its range, each series one value per epoch, ids unique, names printable, the recorded
    /// layers buildable and holding the parameters counted, digests of 64 hexadecimal digits,
    /// test predictions one digit per test image.
    public func problems() -> [String] {
        var checks = ValueChecks()
        checks.run(run)
        var firstIndex: [String: Int] = [:]
        for (i, training) in trainings.enumerated() {
            let at = "trainings[\(i)]"
            if let first = firstIndex[training.id] {
                checks.fail("\(at).id", "\(RawJSON.quote(training.id)) repeats trainings[\(first)].id (ids are unique)")
            } else {
                firstIndex[training.id] = i
            }
            checks.training(training, at: at)
            if schemaVersion >= 2 {
                if training.layers == nil { checks.fail("\(at).layers", "missing (schema 2 records each model's layers as trained)") }
                if training.optimizer == nil { checks.fail("\(at).optimizer", "missing (schema 2 records each model's optimiser as trained)") }
            }
        }
        if let testSet {
            checks.testSet(testSet)
            if checks.problems.isEmpty { checks.figureImages(testSet, drawn: testImagesDrawn(labels: testSet.labelValues)) }
        } else if schemaVersion >= 3 {
            checks.fail("test_set", "missing (schema 3 records the test labels and the images the figures draw)")
        }
        return checks.problems
    }
}

/// The checks behind `ResultsDocument.problems()`, collecting one line per problem.
public struct ValueChecks {
    typealias Limits = ResultsDocument.Limits

    public init() {}

    /// A closed range of finite values and how a message names it.
    struct Interval {
        var range: ClosedRange<Double>
        var text: String
    }
    static let accuracy = Interval(range: 0...1, text: "[0, 1] (an accuracy)")
    static let loss = Interval(range: 0...Limits.loss, text: "[0, 1e6] (a loss)")
    static let seconds = Interval(range: 0...Limits.seconds, text: "[0, 31,536,000] (seconds, a year at most)")
    /// A scheduled rate may decay to 0 (CosineDecay with alpha 0).
    static let learningRate = Interval(range: 0...Hyperparameters.learningRateRange.upperBound, text: "[0, 10] (a learning rate)")

    public private(set) var problems: [String] = []

    mutating func fail(_ path: String, _ message: String) { problems.append("\(path): \(message)") }

    mutating func count(_ x: Int, _ path: String, _ range: ClosedRange<Int>, _ meaning: String) {
        if !range.contains(x) { fail(path, "\(x) is outside \(range.lowerBound)...\(range.upperBound) (\(meaning))") }
    }

    mutating func number(_ x: Double, _ path: String, _ interval: Interval) {
        if !(x.isFinite && interval.range.contains(x)) { fail(path, "\(x) is outside \(interval.text)") }
    }

    /// One value per epoch, each in `interval`; only the first wrong value is reported.
    mutating func series(_ values: [Double], _ path: String, epochs: Int, _ interval: Interval) {
        if Hyperparameters.epochRange.contains(epochs), values.count != epochs {
            fail(path, "\(values.count) values for \(epochs) epochs (hyperparameters.epochs)")
        }
        if let i = values.firstIndex(where: { !($0.isFinite && interval.range.contains($0)) }) {
            number(values[i], "\(path)[\(i)]", interval)
        }
    }

    mutating func digest(_ text: String, _ path: String) {
        let hex = text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) }
        if text.utf8.count != 64 || !hex { fail(path, "\(RawJSON.quote(text)) is not a SHA-256 (expected 64 hexadecimal digits)") }
    }

    /// One line of printable text, 1 to `Limits.machineText` characters, without control
    /// characters (the report shows it as it is).
    mutating func line(_ text: String, _ path: String, _ meaning: String) {
        let count = text.count
        if count == 0 || count > Limits.machineText {
            fail(path, "\(count) characters; expected 1 to \(Limits.machineText) (\(meaning))")
        } else if let bad = text.unicodeScalars.first(where: { !Self.printable($0) }) {
            fail(path, "\(RawJSON.quote(text)) holds \"\(bad.escaped(asASCII: true))\", not printable text (\(meaning))")
        } else if text.first!.isWhitespace || text.last!.isWhitespace {
            fail(path, "\(RawJSON.quote(text)) starts or ends with a space (\(meaning))")
        }
    }

    /// Whether a character can be shown as it is: not a control, format, separator other than
    /// the space, private-use, unassigned or surrogate code point.
    static func printable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned, .surrogate: return false
        case .spaceSeparator: return scalar == " "
        default: return true
        }
    }

    mutating func run(_ run: RunInfo) {
        count(run.cores, "run.cores", 1...Limits.threads, "cores")
        count(run.threads, "run.threads", 1...Limits.threads, "threads per training")
        count(run.jobs, "run.jobs", 1...Limits.threads, "trainings in parallel")
        number(run.totalSeconds, "run.total_seconds", Self.seconds)
        if let os = run.os { line(os, "run.os", "the operating system") }
        if let openblas = run.openblas { line(openblas, "run.openblas", "OpenBLAS's version and configuration") }
        if let core = run.coreType { line(core, "run.core_type", "an OpenBLAS kernel set") }
        if let kernels = run.kernels { line(kernels, "run.kernels", "a kernel level") }
        // Sections by their names, not today's list: a later commit may rename or drop one.
        for (i, section) in run.sections.enumerated() {
            line(section, "run.sections[\(i)]", "a section's id")
            if run.sections[..<i].contains(section) {
                fail("run.sections[\(i)]", "\(RawJSON.quote(section)) is listed twice")
            }
        }
        for (i, text) in run.overrides.enumerated() {
            do { _ = try Override(parsing: text) } catch {
                fail("run.overrides[\(i)]", "\(RawJSON.quote(text)) is not an override (expected key=value with key \(Override.Key.allCases.map(\.rawValue).joined(separator: ", ")) and a positive value)")
            }
        }
    }

    public mutating func training(_ t: TrainingRecord, at: String) {
        identity(t, at: at)
        count(t.params, "\(at).params", 1...Limits.parameters, "parameters")
        let h = t.hyperparameters
        count(h.epochs, "\(at).hyperparameters.epochs", Hyperparameters.epochRange, "epochs")
        count(h.batchSize, "\(at).hyperparameters.batch_size", Hyperparameters.batchSizeRange, "a batch of the 60,000 training images")
        let rates = Hyperparameters.learningRateRange
        if !(h.learningRate.isFinite && rates.contains(Double(h.learningRate))) {
            fail("\(at).hyperparameters.learning_rate", "\(h.learningRate) is outside [\(rates.lowerBound), \(rates.upperBound)] (a learning rate)")
        }
        let factors = Hyperparameters.l2Range
        if let l2 = h.l2, !(l2.isFinite && factors.contains(Double(l2))) {
            fail("\(at).hyperparameters.l2", "\(l2) is outside [\(factors.lowerBound), \(factors.upperBound)] (an L2 factor)")
        }
        count(t.threads, "\(at).threads", 1...Limits.threads, "threads")
        let epochs = h.epochs
        series(t.history.loss, "\(at).history.loss", epochs: epochs, Self.loss)
        series(t.history.accuracy, "\(at).history.accuracy", epochs: epochs, Self.accuracy)
        series(t.history.valLoss, "\(at).history.val_loss", epochs: epochs, Self.loss)
        series(t.history.valAccuracy, "\(at).history.val_accuracy", epochs: epochs, Self.accuracy)
        if let rates = t.history.learningRate { series(rates, "\(at).history.learning_rate", epochs: epochs, Self.learningRate) }
        series(t.secondsPerEpoch, "\(at).seconds_per_epoch", epochs: epochs, Self.seconds)
        number(t.testLoss, "\(at).test_loss", Self.loss)
        number(t.testAccuracy, "\(at).test_accuracy", Self.accuracy)
        if let clipped = t.testClipped { count(clipped, "\(at).test_clipped", 0...Limits.testImages, "test images") }
        digest(t.weightsSHA256, "\(at).weights_sha256")
        digest(t.cacheKey, "\(at).cache_key")
        predictions(t.testPredictions, "\(at).test_predictions")
        // The model as trained (schema 2) must be one the engine could build for MNIST's images,
        // with the parameters the record counts.
        if let layers = t.layers {
            do {
                let model = try ModelDescription(layers, inputShape: TrainingSpec.inputShape)
                let counted = model.parameters
                if counted != t.params {
                    fail("\(at).params", "\(t.params) does not match its layers, which hold \(counted) parameters")
                }
            } catch {
                fail("\(at).layers", "\(error) (a model of 28 × 28 × 1 images)")
            }
        }
    }

    /// The training's names and place, by its own structure, not by today's plan: a commit may
    /// rename or drop a training, a section or a model, and its results must stay readable. The
    /// id, section and model are printable names; a place in a sweep has both its indices.
    mutating func identity(_ t: TrainingRecord, at: String) {
        line(t.id, "\(at).id", "a training's id")
        line(t.section, "\(at).section", "a section's id")
        line(t.model.rawValue, "\(at).model", "a model's name")
        let bound = Limits.sweepPoints
        if let index = t.sweepIndex, !(0..<bound).contains(index) {
            fail("\(at).sweep_index", "\(index) is outside 0..<\(bound) (a factor of a sweep)")
        }
        if let replicate = t.replicate, !(0..<bound).contains(replicate) {
            fail("\(at).replicate", "\(replicate) is outside 0..<\(bound) (a replicate of a sweep's factor)")
        }
        if (t.sweepIndex == nil) != (t.replicate == nil) {
            fail(t.sweepIndex == nil ? "\(at).sweep_index" : "\(at).replicate",
                 "missing while \(t.sweepIndex == nil ? "replicate" : "sweep_index") is set (a sweep's training has both)")
        }
    }

    /// Empty, or one digit 0–9 per test image.
    /// Labels: one digit per test image. Images: ascending unique indices of test images, each
    /// with 784 pixels in base64, at most `Limits.recordedImages` of them.
    mutating func testSet(_ set: TestSet) {
        let labels = Array(set.labels.unicodeScalars)
        if labels.count != Limits.testImages {
            fail("test_set.labels", "\(labels.count) labels; expected \(Limits.testImages) (one digit per test image)")
        } else if let i = labels.firstIndex(where: { !("0"..."9").contains($0) }) {
            fail("test_set.labels[\(i)]", "\"\(labels[i].escaped(asASCII: true))\" is not a digit 0–9 (the label of test image \(i))")
        }
        if set.images.count > Limits.recordedImages {
            fail("test_set.images", "\(set.images.count) images; at most \(Limits.recordedImages) are recorded")
            return
        }
        var previous = -1
        for (i, image) in set.images.enumerated() {
            let at = "test_set.images[\(i)]"
            if !(0..<Limits.testImages).contains(image.index) {
                fail("\(at).index", "\(image.index) is outside 0..<\(Limits.testImages) (a test image)")
            } else if image.index <= previous {
                fail("\(at).index", "\(image.index) does not follow \(previous) (indices ascend, each once)")
            }
            previous = max(previous, image.index)
            let side = Dataset.rows * Dataset.columns
            if let count = [UInt8](base64Encoded: image.pixels)?.count {
                if count != side { fail("\(at).pixels", "\(count) bytes; expected \(side) (28 × 28 pixels)") }
            } else {
                fail("\(at).pixels", "not base64 (expected the 784 pixels of a 28 × 28 image in base64)")
            }
        }
    }

    /// Every test image a figure draws (`drawn`) must be recorded: a missing one would be drawn
    /// as a black square captioned as an MNIST digit.
    mutating func figureImages(_ set: TestSet, drawn listed: [Int]) {
        // An image two figures draw (one of the first, and a mistake of both networks) counts once.
        var seen = Set<Int>()
        let drawn = listed.filter { seen.insert($0).inserted }
        let recorded = Set(set.images.map(\.index))
        let missing = drawn.filter { !recorded.contains($0) }
        guard let first = missing.first else { return }
        let why = "the figures draw \(drawn.count) test images (the first \(ResultsDocument.samplesShown) and the errors figures' mistakes)"
        fail("test_set.images", set.images.isEmpty ? "empty; \(why), and each must be recorded"
             : "lacks test image \(first)\(missing.count > 1 ? " and \(missing.count - 1) more" : ""); \(why), and each must be recorded")
    }

    mutating func predictions(_ text: String, _ path: String) {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { return }
        if scalars.count != Limits.testImages {
            fail(path, "\(scalars.count) predictions; expected \(Limits.testImages) (one digit per test image) or none")
        } else if let i = scalars.firstIndex(where: { !("0"..."9").contains($0) }) {
            fail("\(path)[\(i)]", "\"\(scalars[i].escaped(asASCII: true))\" is not a digit 0–9 (the class predicted for test image \(i))")
        }
    }
}

// MARK: - Decoding errors in words

/// The one explainer of JSON errors (`JSONExplanation`), with what it needs to know of a results
/// document: its whole-number, unsigned and 32-bit float fields, and the names `profile` accepts.
public typealias RawJSON = JSONExplanation

extension JSONExplanation.Fields {
    /// The results' fields whose numbers or strings have a narrower type than JSON's (the cache's
    /// records are results' trainings).
    public static let results = JSONExplanation.Fields(
        wholeNumbers: ["schema_version", "cores", "threads", "jobs", "params", "epochs", "batch_size", "sweep_index", "replicate"],
        unsigned: ["seed"], floats: ["learning_rate", "l2"],
        choices: ["profile": Profile.allCases.map(\.rawValue)])
}

extension TrainingRecord {
    /// Why the recorded test accuracy disagrees with the record's own test predictions scored
    /// against `labels` (by more than half an image), or nil when it agrees or cannot be scored.
    public func predictionProblem(labels: [UInt8]) -> String? {
        let predictions = predictedClasses
        guard !predictions.isEmpty, predictions.count == labels.count else { return nil }
        let right = zip(predictions, labels).filter { $0 == Int($1) }.count
        let scored = Double(right) / Double(labels.count)
        guard abs(scored - testAccuracy) > 0.5 / Double(labels.count) else { return nil }
        return "test_accuracy (\(id)): \(testAccuracy) disagrees with its own test_predictions, \(right) of \(labels.count) right (\(scored))"
    }
}

extension ResultsDocument {
    /// Trainings whose recorded test accuracy disagrees with their own test predictions scored
    /// against `labels` (the test labels), one line each; empty for a document a build wrote.
    /// A hand-edited accuracy would otherwise pass a comparison that tests the predictions.
    public func predictionInconsistencies(labels: [UInt8]) -> [String] {
        trainings.enumerated().compactMap { index, training in
            training.predictionProblem(labels: labels).map { "trainings[\(index)].\($0)" }
        }
    }

    /// Throws, naming `source`, when `predictionInconsistencies(labels:)` finds any.
    public func checkPredictions(labels: [UInt8], source: String) throws {
        let found = predictionInconsistencies(labels: labels)
        guard let first = found.first else { return }
        let more = found.count > 1 ? " (and \(found.count - 1) more)" : ""
        throw ReportError("\(source): \(first)\(more)")
    }
}
