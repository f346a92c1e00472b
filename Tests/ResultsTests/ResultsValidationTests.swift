import Architecture
import Assignment
import Foundation
import Testing
@testable import Results
import ReportFixtures
@testable import Rendering

/// `results.json` is checked before anything trusts it: a hand-edited or hostile file gets one
/// line naming the file, the JSON path of the field, what was found and what was expected.
@Suite("Validating results")
struct ResultsValidationTests {
    /// The committed full report's results.
    static let committedPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("reports/latest/results.json").path
    /// The fixtures other tests build on are documents a build could have written: they pass
    /// validation, and every recorded test accuracy is what its own predictions score.
    @Test func theFixturesPassValidationAndAgreeWithThemselves() throws {
        for sections in [Section.allCases, [Section.allCases[0]]] {
            let document = Fixtures.results(sections: sections)
            try document.validate(source: "fixture")
            #expect(document.predictionInconsistencies(labels: Fixtures.testSplit.labels).isEmpty)
            try document.checkPredictions(labels: Fixtures.testSplit.labels, source: "fixture")
        }
    }

    /// The fixture run as results.json text, after `edit` changes the document.
    static func json(_ edit: (inout ResultsDocument) -> Void = { _ in }) throws -> String {
        var document = Fixtures.results()
        edit(&document)
        return String(decoding: try document.encoded(), as: UTF8.self)
    }

    /// `text` with its only occurrence of `marker` replaced: how a type error is planted.
    static func replacing(_ marker: String, with replacement: String, in text: String) throws -> String {
        try #require(text.components(separatedBy: marker).count == 2, "\(marker) occurs once")
        return text.replacingOccurrences(of: marker, with: replacement)
    }

    /// The message that decoding `text` fails with.
    static func message(_ text: String, source: String = "r.json") throws -> String {
        let error = try #require(throws: ReportError.self) { try ResultsDocument.decode(Data(text.utf8), source: source) }
        // One line, no Swift type names, no raw dump of the error.
        for leak in ["\n", "Double", "Int", "Swift", "DecodingError", "CodingKeys", "Context("] {
            #expect(!error.description.contains(leak), "\(error.description) contains \(leak)")
        }
        return error.description
    }

    // MARK: documents that are fine

    @Test func theCommittedResultsAreValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for folder in ["reports/latest", "reports/ci-baseline"] {
            let path = root.appendingPathComponent(folder + "/results.json").path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let document = try ResultsDocument.read(path: path)
            #expect(document.problems().isEmpty, "\(folder)")
            #expect(document.trainings.allSatisfy { $0.testPredictions.count == 10_000 })
        }
    }

    @Test func aBuildsOwnDocumentRoundTripsWithoutProblems() throws {
        let document = try ResultsDocument.decode(Data(try Self.json().utf8), source: "r.json")
        #expect(document.problems().isEmpty)
        #expect(document.trainings.count == ExperimentPlan(profile: .quick).trainings.count)
        // Predictions may be left out altogether (empty), not cut short.
        let empty = try Self.json { $0.trainings[0].testPredictions = "" }
        #expect(try ResultsDocument.decode(Data(empty.utf8), source: "r.json").trainings[0].testPredictions.isEmpty)
    }

    // MARK: values out of range

    @Test func aSweepIndexOutOfRangeIsRefusedWithItsPath() throws {
        let text = try Self.json { $0.trainings[3].sweepIndex = 1_000 }
        #expect(try Self.message(text) == "r.json: trainings[3].sweep_index: 1000 is outside 0..<1000 (a factor of a sweep)")
        let negative = try Self.json { $0.trainings[3].replicate = -1 }
        #expect(try Self.message(negative) == "r.json: trainings[3].replicate: -1 is outside 0..<1000 (a replicate of a sweep's factor)")
        // Beyond today's sweep (5 factors) but within the bound: a later commit may shrink the sweep.
        #expect(try ResultsDocument.decode(Data(Self.json { $0.trainings[3].sweepIndex = 7 }.utf8), source: "r.json").trainings[3].sweepIndex == 7)
    }

    @Test func anOutOfRangeSweepIndexBuiltInMemoryIsLeftOutOfFiguresAndTables() throws {
        var document = Fixtures.results()
        document.trainings[3].sweepIndex = 7
        #expect(document.sweepTrainings.count == 14)
        let section = Section24View(SectionInput(document))
        #expect(section.sweep?.rows.count == 5)
        #expect(!"\(section)".contains("nan"))
        _ = ReportFigures.make(Fixtures.recorded(document))
        _ = RunComparison.figures(document, Fixtures.results())
    }

    @Test func hugeAndNegativeNumbersAreRefused() throws {
        #expect(try Self.message(Self.json { $0.run.totalSeconds = 1e300 })
            == "r.json: run.total_seconds: 1e+300 is outside [0, 31,536,000] (seconds, a year at most)")
        #expect(try Self.message(Self.json { $0.run.totalSeconds = -5 })
            == "r.json: run.total_seconds: -5.0 is outside [0, 31,536,000] (seconds, a year at most)")
        #expect(try Self.message(Self.json { $0.trainings[1].testLoss = -1 })
            == "r.json: trainings[1].test_loss: -1.0 is outside [0, 1e6] (a loss)")
        #expect(try Self.message(Self.json { $0.trainings[2].testAccuracy = 1e300 })
            == "r.json: trainings[2].test_accuracy: 1e+300 is outside [0, 1] (an accuracy)")
        #expect(try Self.message(Self.json { $0.trainings[0].history.accuracy[1] = -0.5 })
            == "r.json: trainings[0].history.accuracy[1]: -0.5 is outside [0, 1] (an accuracy)")
        #expect(try Self.message(Self.json { $0.trainings[0].secondsPerEpoch[2] = 1e300 })
            == "r.json: trainings[0].seconds_per_epoch[2]: 1e+300 is outside [0, 31,536,000] (seconds, a year at most)")
        #expect(try Self.message(Self.json { $0.trainings[0].hyperparameters.learningRate = -0.1 })
            == "r.json: trainings[0].hyperparameters.learning_rate: -0.1 is outside [1e-07, 10.0] (a learning rate)")
        #expect(try Self.message(Self.json { $0.trainings[0].hyperparameters.batchSize = 0 })
            == "r.json: trainings[0].hyperparameters.batch_size: 0 is outside 1...60000 (a batch of the 60,000 training images)")
        #expect(try Self.message(Self.json { $0.run.jobs = -3 }) == "r.json: run.jobs: -3 is outside 1...4096 (trainings in parallel)")
        // Several problems: the first, and how many more.
        let several = try Self.json { $0.run.totalSeconds = -1; $0.trainings[0].testLoss = -1; $0.trainings[1].testLoss = -1 }
        #expect(try Self.message(several).hasSuffix("a year at most) (and 2 more problems)"))
    }

    /// Schema 2 records each model as trained; schema 1, which does not, is still read.
    @Test func theModelAsTrainedIsRecordedAndChecked() throws {
        let missing = try Self.json { $0.trainings[2].layers = nil }
        #expect(try Self.message(missing) == "r.json: trainings[2].layers: missing (schema 2 records each model's layers as trained)")
        let unbuildable = try Self.json { $0.trainings[0].layers = [.dense(units: 4, activation: .relu, l2: nil)] }
        #expect(try Self.message(unbuildable).hasPrefix("r.json: trainings[0].layers: layer 1 (Dense) expects a flat vector"))
        // A schema 1 file: no layers nor optimiser, and read as it is.
        var old = Fixtures.results()
        old.schemaVersion = 1
        for i in old.trainings.indices { (old.trainings[i].layers, old.trainings[i].optimizer) = (nil, nil) }
        let read = try ResultsDocument.decode(try old.encoded(), source: "old.json")
        #expect(read.schemaVersion == 1 && read.trainings.allSatisfy { $0.layers == nil })
        let newer = try Self.json { $0.schemaVersion = 4 }
        #expect(try Self.message(newer).contains("results of schema version 4; this build reads versions 1–3"))
    }

    @Test func theTestSetIsRecordedAndChecked() throws {
        let missing = try Self.json { $0.testSet = nil }
        #expect(try Self.message(missing) == "r.json: test_set: missing (schema 3 records the test labels and the images the figures draw)")
        // Schema 2 had none, and is read as it is.
        var older = Fixtures.results()
        (older.schemaVersion, older.testSet) = (2, nil)
        #expect(try ResultsDocument.decode(try older.encoded(), source: "old.json").testSet == nil)
        let short = try Self.json { $0.testSet!.labels.removeLast() }
        #expect(try Self.message(short) == "r.json: test_set.labels: 9999 labels; expected 10000 (one digit per test image)")
        let letter = try Self.json { $0.testSet!.labels = "x" + $0.testSet!.labels.dropFirst() }
        #expect(try Self.message(letter) == "r.json: test_set.labels[0]: \"x\" is not a digit 0–9 (the label of test image 0)")
        let outside = try Self.json { $0.testSet!.images[0].index = 10_000 }
        #expect(try Self.message(outside).hasPrefix("r.json: test_set.images[0].index: 10000 is outside 0..<10000 (a test image)"))
        let repeated = try Self.json { $0.testSet!.images[1].index = $0.testSet!.images[0].index }
        #expect(try Self.message(repeated) == "r.json: test_set.images[1].index: 0 does not follow 0 (indices ascend, each once)")
        let cut = try Self.json { $0.testSet!.images[2] = TestSet.Image(index: 2, pixels: [1, 2, 3]) }
        #expect(try Self.message(cut) == "r.json: test_set.images[2].pixels: 3 bytes; expected 784 (28 × 28 pixels)")
        let garbled = try Self.json { $0.testSet!.images[3].pixels = "not base64!" }
        #expect(try Self.message(garbled) == "r.json: test_set.images[3].pixels: not base64 (expected the 784 pixels of a 28 × 28 image in base64)")
    }

    /// Every image a figure draws must be recorded, or the figure would show black squares as digits.
    @Test func theImagesTheFiguresDrawAreAllRecorded() throws {
        let empty = try Self.json { $0.testSet!.images = [] }
        #expect(try Self.message(empty).hasPrefix("r.json: test_set.images: empty; the figures draw "))
        let noFirst = try Self.json { $0.testSet!.images.removeFirst() }
        let message = try Self.message(noFirst)
        #expect(message.hasPrefix("r.json: test_set.images: lacks test image 0;"), "\(message)")
        let noMistake = try Self.json { document in
            let mistake = ResultsDocument.mistakeIndices(document.training(.s3_1)!, labels: document.testSet!.labelValues)[0]
            document.testSet!.images.removeAll { $0.index == mistake }
        }
        #expect(try Self.message(noMistake).contains("lacks test image "))
        // Extra images beyond those drawn are allowed.
        let extra = try Self.json { $0.testSet!.images.append(TestSet.Image(index: 9_999, pixels: [UInt8](repeating: 0, count: 784))) }
        #expect(try ResultsDocument.decode(Data(extra.utf8), source: "r.json").testSet?.images.count ?? 0 > 24)
    }

    @Test func numbersThatDoNotFitTheirFieldAreFoundDespiteTheDecoder() throws {
        // JSONDecoder reports these without a path (swift-foundation #1604); the message has one.
        let params = try Self.json { $0.trainings[4].params = 987_654_321 }
        #expect(try Self.message(Self.replacing("987654321", with: "1e300", in: params))
            == "r.json: trainings[4].params: expected a whole number, found the number 1e+300")
        let epochs = try Self.json { $0.trainings[0].hyperparameters.epochs = 8_642 }
        #expect(try Self.message(Self.replacing("8642", with: "2.5", in: epochs))
            == "r.json: trainings[0].hyperparameters.epochs: expected a whole number, found the number 2.5")
        let rate = try Self.json { $0.trainings[0].hyperparameters.learningRate = 0.123 }
        #expect(try Self.message(Self.replacing("0.123", with: "1e300", in: rate))
            == "r.json: trainings[0].hyperparameters.learning_rate: expected a number within a 32-bit float's range, found the number 1e+300")
        let seed = try Self.json { $0.run.seed = 424_242 }
        #expect(try Self.message(Self.replacing("424242", with: "-1", in: seed))
            == "r.json: run.seed: expected a whole number from 0 to 2^64 − 1, found the number -1")
        // Beyond a Double: the parser refuses it; the message says where.
        let total = try Self.json { $0.run.totalSeconds = 12.5 }
        let beyond = try Self.message(Self.replacing("12.5", with: "1e400", in: total))
        #expect(beyond.hasPrefix("r.json: not valid JSON (the number 1e400 at line "))
        #expect(beyond.hasSuffix("is beyond the range of a 64-bit float)"))
    }

    @Test func durationsAndCountsAreFormattedSafelyWhateverTheNumber() {
        #expect(NumberFormat.duration(998.3) == "16 min 38 s")
        #expect(NumberFormat.duration(42) == "42 s")
        #expect(NumberFormat.duration(1e300) == "1e+300 s")
        #expect(NumberFormat.duration(-5) == "–")
        #expect(NumberFormat.duration(.nan) == "–")
        #expect(NumberFormat.duration(.infinity) == "–")
        #expect(NumberFormat.seconds(-1) == "–")
        #expect(NumberFormat.items(1e300, of: 10_000) == 10_000)
        #expect(NumberFormat.items(-2, of: 10_000) == 0)
        #expect(NumberFormat.items(.nan, of: 10_000) == 0)
        var record = Fixtures.results().trainings[0]
        record.testAccuracy = 1e300
        #expect(TrainingView.errors(record) == 0)
    }

    // MARK: predictions, ids, sections, digests, epochs

    @Test func predictionsOfTheWrongLengthOrWithAnotherValueAreRefused() throws {
        let short = try Self.json { $0.trainings[2].testPredictions.removeLast() }
        #expect(try Self.message(short)
            == "r.json: trainings[2].test_predictions: 9999 predictions; expected 10000 (one digit per test image) or none")
        // A class 10 written as the character after "9", or as two digits.
        let colon = try Self.json { t in
            var digits = Array(t.trainings[2].testPredictions)
            digits[17] = ":"
            t.trainings[2].testPredictions = String(digits)
        }
        #expect(try Self.message(colon)
            == "r.json: trainings[2].test_predictions[17]: \":\" is not a digit 0–9 (the class predicted for test image 17)")
        let ten = try Self.json { $0.trainings[2].testPredictions = "10" + $0.trainings[2].testPredictions.dropFirst() }
        #expect(try Self.message(ten).contains("trainings[2].test_predictions: 10001 predictions"))
    }

    @Test func duplicatedIDsAreRefused() throws {
        let text = try Self.json { $0.trainings[5] = $0.trainings[0] }
        #expect(try Self.message(text) == "r.json: trainings[5].id: \"2.3\" repeats trainings[0].id (ids are unique)")
    }

    /// Results outlive the code that wrote them: a later commit may rename or drop a training, a
    /// section or a model, and its results are read by their own structure.
    @Test func renamedTrainingsSectionsAndModelsAreReadByTheirOwnStructure() throws {
        let renamed = try Self.json { results in
            results.run.sections = ["2.3", "9.9"]
            results.trainings[0].id = "2.3-renamed"
            results.trainings[0].section = "9.9"
            results.trainings[0].model = RecordedModel(name: "mlp64-old")
        }
        let document = try ResultsDocument.decode(Data(renamed.utf8), source: "r.json")
        #expect(document.trainings[0].id == "2.3-renamed" && document.trainings[0].model.rawValue == "mlp64-old")
        #expect(document.trainings[0].model.kind == nil && document.trainings[1].model == .mlp500)
        // What is checked instead: the names are printable, a sweep's place has both indices,
        // and the recorded layers hold the parameters counted.
        #expect(try Self.message(Self.json { $0.trainings[0].id = "2.3\u{7}" })
            == "r.json: trainings[0].id: \"2.3\\u{07}\" holds \"\\u{07}\", not printable text (a training's id)")
        #expect(try Self.message(Self.json { $0.trainings[0].section = "" })
            == "r.json: trainings[0].section: 0 characters; expected 1 to 200 (a section's id)")
        #expect(try Self.message(Self.json { $0.trainings[3].replicate = nil })
            == "r.json: trainings[3].replicate: missing while sweep_index is set (a sweep's training has both)")
        #expect(try Self.message(Self.json { $0.trainings[3].sweepIndex = 1_000 })
            == "r.json: trainings[3].sweep_index: 1000 is outside 0..<1000 (a factor of a sweep)")
        #expect(try Self.message(Self.json { $0.trainings[0].params += 1 })
            .hasPrefix("r.json: trainings[0].params: 55051 does not match its layers, which hold 55050 parameters"))
        // A model with batch normalisation counts its trainable weights, as the engine does.
        let committed = try ResultsDocument.read(path: Self.committedPath)
        let cnn = try #require(committed.trainings.first { $0.model.rawValue == "cnn16" })
        #expect(try ModelDescription(#require(cnn.layers), inputShape: TrainingSpec.inputShape).parameters == cnn.params)
    }

    @Test func digestsAndEpochCountsAreChecked() throws {
        #expect(try Self.message(Self.json { $0.trainings[1].weightsSHA256 = "abc" })
            == "r.json: trainings[1].weights_sha256: \"abc\" is not a SHA-256 (expected 64 hexadecimal digits)")
        #expect(try Self.message(Self.json { $0.trainings[1].cacheKey = String(repeating: "z", count: 64) })
            .hasPrefix("r.json: trainings[1].cache_key: \"zzzzzzzzzzzzzzzzzzzzzzzz…\" is not a SHA-256"))
        #expect(try Self.message(Self.json { $0.trainings[0].history.valLoss.removeLast() })
            == "r.json: trainings[0].history.val_loss: 2 values for 3 epochs (hyperparameters.epochs)")
        #expect(try Self.message(Self.json { $0.trainings[0].secondsPerEpoch.append(1) })
            == "r.json: trainings[0].seconds_per_epoch: 4 values for 3 epochs (hyperparameters.epochs)")
    }

    // MARK: types and syntax

    @Test func aWrongTypeDeepInsideNamesItsPath() throws {
        let text = try Self.json { $0.trainings[2].history.valAccuracy[1] = 0.123456789 }
        #expect(try Self.message(Self.replacing("0.123456789", with: "\"high\"", in: text))
            == "r.json: trainings[2].history.val_accuracy[1]: expected a number, found a string (\"high\")")
        #expect(try Self.message(Self.replacing("0.123456789", with: "null", in: text))
            == "r.json: trainings[2].history.val_accuracy[1]: expected a number, found null")
        #expect(try Self.message(Self.replacing("0.123456789", with: "[1]", in: text))
            == "r.json: trainings[2].history.val_accuracy[1]: expected a number, found a list (1 value)")
        let missing = try Self.json { $0.trainings[1].testLoss = 0.0707 }
        #expect(try Self.message(Self.replacing("\"test_loss\" : 0.0707,", with: "", in: missing))
            == "r.json: trainings[1].test_loss: missing")
        let model = try Self.replacing("\"model\" : \"lenet5\"", with: "\"model\" : 5", in: Self.json())
        #expect(try Self.message(model) == "r.json: trainings[17].model: expected a string, found the number 5")
        let history = try Self.replacing("\"profile\" : \"quick\"", with: "\"profile\" : [\"quick\"]", in: Self.json())
        #expect(try Self.message(history) == "r.json: run.profile: expected a string, found a list (1 value)")
    }

    @Test func brokenJSONAndOtherDocumentsAreNamedClearly() throws {
        #expect(try Self.message("{\n  \"schema_version\": 1,\n  x\n}") == "r.json: not valid JSON (invalid value at line 3, column 3)")
        #expect(try Self.message("") == "r.json: not valid JSON (unexpected end of file during JSON parse)")
        #expect(try Self.message("[1, 2]") == "r.json: not a results document (expected a JSON object at the top, found a list (2 values))")
        #expect(try Self.message("{\"schema_version\": \"1\"}") == "r.json: schema_version: expected a whole number, found a string (\"1\")")
        #expect(try Self.message("{\"schema_version\": 1.5}") == "r.json: schema_version: expected a whole number, found the number 1.5")
    }

    // MARK: every way in

    @Test func readingAFileValidatesIt() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/results.json"
        try Self.json { $0.trainings[3].sweepIndex = 1_000 }.write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: ReportError.self) { try ResultsDocument.read(path: path) }
        #expect(error.description == "\(path): trainings[3].sweep_index: 1000 is outside 0..<1000 (a factor of a sweep)")
        let viaReference = try #require(throws: ReportError.self) { try RunReference.load(folder) }
        #expect(viaReference.description.hasPrefix("\(path): trainings[3].sweep_index"))
        // A folder where a file is expected is named as such, not read.
        let notAFile = try #require(throws: ReportError.self) { try ResultsDocument.read(path: folder) }
        #expect(notAFile.description.hasPrefix(folder))
    }

    @Test func resultsFromAGitRevisionAreValidatedToo() throws {
        let repository = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: repository) }
        func git(_ arguments: String...) throws {
            let output = MachineFacts.run(["git", "-C", repository, "-c", "user.name=t", "-c", "user.email=t@t"] + arguments)
            try #require(output != nil, "git \(arguments.joined(separator: " "))")
        }
        try git("init", "-q")
        try FileManager.default.createDirectory(atPath: repository + "/reports/latest", withIntermediateDirectories: true)
        try Self.json { $0.run.totalSeconds = 1e300 }
            .write(toFile: repository + "/reports/latest/results.json", atomically: true, encoding: .utf8)
        try git("add", ".")
        try git("commit", "-q", "-m", "hostile")
        let error = try #require(throws: ReportError.self) { try RunReference.load("HEAD", repository: repository) }
        #expect(error.description.hasPrefix("HEAD ("))
        #expect(error.description.hasSuffix(":reports/latest/results.json: run.total_seconds: 1e+300 is outside [0, 31,536,000] (seconds, a year at most)"))
    }
}

@Suite("Recorded accuracies against their own predictions")
struct PredictionConsistencyTests {
    @Test func anAccuracyThatItsPredictionsDoNotSupportIsNamed() throws {
        let labels = (0..<Fixtures.testImages).map { UInt8($0 % 10) }
        var results = Fixtures.results()
        // Make the first training's record consistent: its predictions score exactly its accuracy.
        let right = Array(results.trainings[0].testPredictions.utf8).enumerated().filter { Int($1) - 48 == $0 % 10 }.count
        results.trainings[0].testAccuracy = Double(right) / Double(labels.count)
        #expect(!results.predictionInconsistencies(labels: labels).contains { $0.hasPrefix("trainings[0]") })
        // A collapse typed into the accuracy alone, predictions untouched.
        results.trainings[0].testAccuracy = 0.10
        let problems = results.predictionInconsistencies(labels: labels)
        #expect(problems.first?.hasPrefix("trainings[0].test_accuracy (\(results.trainings[0].id)): 0.1 disagrees") == true)
        #expect(throws: ReportError.self) { try results.checkPredictions(labels: labels, source: "B") }
    }
}

@Suite("Numbers beyond a Double's range")
struct OutOfRangeNumberTests {
    /// Found by fuzzing: JSONSerialization reads 1e-400 as 0 and JSONDecoder refuses it without a
    /// path, so the message named nothing. The raw text is searched instead.
    @Test func anUnderflowingNumberIsNamedWithItsLine() throws {
        var text = String(decoding: try Fixtures.results().encoded(), as: UTF8.self)
        let range = try #require(text.range(of: "\"test_loss\" : 0.07"))
        text.replaceSubrange(range, with: "\"test_loss\" : 1e-400")
        let error = try #require(throws: ReportError.self) { try ResultsDocument.decode(Data(text.utf8), source: "r.json") }
        #expect(error.description.hasPrefix("r.json: the number 1e-400 at line "), "\(error)")
        #expect(error.description.hasSuffix("is beyond the range of numbers"), "\(error)")
    }
}
