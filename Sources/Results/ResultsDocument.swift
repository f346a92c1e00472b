import Analysis
import Assignment
import Files
import Foundation
import Architecture

/// `results.json`: everything a build measured, from which the HTML is rendered and runs are
/// compared. Versioned: `schema_version` changes whenever a field changes meaning.
///
/// Schema 3 (schemas 1 and 2 are read too: they lack what 2 and 3 add):
/// - `schema_version`: 3.
/// - `run`: the build — `git_commit` and `git_dirty` (nil outside a git checkout), `toolchain`,
///   `cpu`, `cores`, `threads` (per training), `jobs`, `profile` (`full` or `quick`), `seed`,
///   `overrides` (the `--set` values), `sections`, `engine_version`, `dataset_checksum`,
///   `total_seconds`, `created` (ISO 8601), `shards` (optional: the shard layout the trainings
///   came from, `I/N: host, k trainings`), and, optional because results written before them
///   lack them: `os` (the distribution and kernel), `kernels` (the level of the engine's kernels
///   that ran the products, engine 3 on), and, in results of engines 1 and 2, which computed
///   their products with OpenBLAS, `openblas` (its version and build configuration) and
///   `core_type` (its kernel set).
/// - `trainings`: one record each (see `TrainingRecord`). Schema 2 adds to each the model as
///   trained, `layers` and `optimizer`, so that a report rendered from old results shows the
///   models those results came from, not today's.
/// - `test_set` (schema 3): the test split as the report shows it, so that rendering needs no
///   data set — `labels`, one digit per test image in the split's order, and `images`, the
///   pixels of the few test images the figures draw (`index`, and `pixels`: 784 bytes, row by
///   row, in base64). A document of schema 1 or 2 is completed from the data set whose
///   checksum it records before it is rendered (`recordingTestSet`).
public struct ResultsDocument: Codable, Sendable {
    public static let currentSchema = 3
    /// The versions this build reads.
    public static let readableSchemas = 1...currentSchema
    public var schemaVersion: Int
    public var run: RunInfo
    public var trainings: [TrainingRecord]
    /// The test split's labels and the images the figures draw (schema 3; nil before).
    public var testSet: TestSet?

    public init(run: RunInfo, trainings: [TrainingRecord], testSet: TestSet? = nil) {
        (self.schemaVersion, self.run, self.trainings, self.testSet) = (Self.currentSchema, run, trainings, testSet)
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", run, trainings, testSet = "test_set"
    }

    /// The document with `testSet` recorded: every label, and the pixels of the images at
    /// `indices` (each image's pixels from `pixels`). Its schema version stays: an older
    /// document completed for rendering still lacks what its version lacks.
    public func recordingTestSet(labels: [UInt8], indices: [Int], pixels: (Int) -> [UInt8]) -> ResultsDocument {
        var document = self
        let images = Set(indices).sorted().map { TestSet.Image(index: $0, pixels: pixels($0)) }
        document.testSet = TestSet(labels: labels, images: images)
        return document
    }

    /// The training with `id`, if the run has it.
    public func training(_ id: String) -> TrainingRecord? { trainings.first { $0.id == id } }

    /// The single training of `section` (its id is the section's).
    public func training(_ section: Section) -> TrainingRecord? { training(section.rawValue) }

    /// Every training of `section`: its single one, its sweep's and its variants'.
    public func trainings(of section: Section) -> [TrainingRecord] { trainings.filter { $0.section == section.rawValue } }

    /// The sweep's trainings: those whose `sweep_index` names one of the notebook's factors
    /// (every sweep training of a document read from disk; one built in memory may hold others).
    public var sweepTrainings: [TrainingRecord] {
        trainings.filter { $0.sweepIndex.map(Notebook.sweepFactors.indices.contains) ?? false }
    }

    /// The sweep analysed: its settings in order of factor, each with its replicates' final
    /// validation and training accuracies; nil without a sweep.
    public var sweepAnalysis: SweepAnalysis? {
        let records = sweepTrainings
        let indices = Set(records.compactMap(\.sweepIndex)).sorted()
        return SweepAnalysis(indices.map { index in
            let group = records.filter { $0.sweepIndex == index }
            return SweepAnalysis.Setting(value: Double(Notebook.sweepFactors[index]), replicates: group.map(\.finalValidationAccuracy),
                                         training: group.compactMap(\.history.accuracy.last))
        })
    }

    /// Reads a results file: decodes it and validates it (see `decode(_:source:)`).
    /// - Throws: `ReportError`, one line starting with `path`.
    public static func read(path: String) throws -> ResultsDocument {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(path, limit: maximumFileSize, what: "a results file")
        } catch let problem as FileProblem {
            throw ReportError(problem.description)
        }
        return try decode(Data(bytes), source: path)
    }

    /// The largest results file read: a full build's is about 280 KB.
    public static let maximumFileSize = 16 << 20

    /// Decodes results bytes and validates them before anything trusts them: the JSON syntax,
    /// the schema version, every field's type, then every value (`problems()`). Every document
    /// read from disk or from git comes through here.
    /// - Parameter source: names the bytes in messages (a path, or `revision:path`).
    /// - Throws: `ReportError`, one line: the source, the JSON path of the field, what was
    ///   found and what was expected (`results.json: trainings[2].history.val_accuracy[4]:
    ///   expected a number, found a string ("high")`).
    public static func decode(_ data: Data, source: String) throws -> ResultsDocument {
        let tree: Any
        do {
            tree = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw ReportError("\(source): not valid JSON (\(RawJSON.syntaxProblem(error, in: data)))")
        }
        if let duplicate = DuplicateKeys.first(in: [UInt8](data)) { throw ReportError("\(source): \(duplicate)") }
        guard let object = tree as? [String: Any] else {
            throw ReportError("\(source): not a results document (expected a JSON object at the top, found \(RawJSON.describe(tree)))")
        }
        guard let version = object["schema_version"], !(version is NSNull) else {
            throw ReportError("\(source): not a results document (no schema_version)")
        }
        guard let schema = RawJSON.wholeNumber(version) else {
            throw ReportError("\(source): schema_version: expected a whole number, found \(RawJSON.describe(version))")
        }
        guard readableSchemas.contains(schema) else {
            throw ReportError("\(source): results of schema version \(schema); this build reads versions \(readableSchemas.lowerBound)–\(readableSchemas.upperBound). Regenerate them with `mnist-report build`.")
        }
        let document: ResultsDocument
        do {
            document = try JSONDecoder().decode(ResultsDocument.self, from: data)
        } catch let error as DecodingError {
            throw ReportError("\(source): \(RawJSON.explain(error, in: tree, text: data, fields: .results))")
        } catch {
            throw ReportError("\(source): cannot be read as results (\(error.localizedDescription))")
        }
        try document.validate(source: source)
        return document
    }


    /// The document as pretty, key-sorted JSON.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// The test split as a report shows it: its labels and the few images its figures draw.
public struct TestSet: Codable, Sendable, Equatable {
    /// One digit per test image, in the split's order ("7210414959…").
    public var labels: String
    /// The images the figures draw, by ascending index.
    public var images: [Image]

    public init(labels: [UInt8], images: [Image]) {
        self.labels = String(decoding: labels.map { $0 + 48 }, as: UTF8.self)
        self.images = images
    }

    /// The labels as numbers 0 … 9.
    public var labelValues: [UInt8] { labels.utf8.map { $0 &- 48 } }

    /// The pixels of test image `index`, when recorded (784 values, row by row).
    public func pixels(_ index: Int) -> [UInt8]? {
        images.first { $0.index == index }.flatMap { Array(base64Encoded: $0.pixels) }
    }

    /// One test image: its index in the split and its 28 × 28 pixels in base64.
    public struct Image: Codable, Sendable, Equatable {
        public var index: Int
        public var pixels: String

        public init(index: Int, pixels: [UInt8]) {
            self.index = index
            self.pixels = Data(pixels).base64EncodedString()
        }
    }
}

extension Array where Element == UInt8 {
    /// The bytes of base64 `text`, nil when it is not base64.
    init?(base64Encoded text: String) {
        guard let data = Data(base64Encoded: text) else { return nil }
        self = Array(data)
    }
}

/// The build as a whole.
public struct RunInfo: Codable, Sendable {
    public var gitCommit: String?
    public var gitDirty: Bool?
    public var toolchain: String
    public var cpu: String
    public var cores: Int
    public var threads: Int
    public var jobs: Int
    public var profile: Profile
    public var seed: UInt64
    public var overrides: [String]
    public var sections: [String]
    public var engineVersion: String
    public var datasetChecksum: String
    public var totalSeconds: Double
    public var created: String
    /// The shards the trainings came from (`2/6: host, 3 trainings`), for a build over merged
    /// shard caches; absent otherwise.
    public var shards: [String]?
    /// The operating system and kernel ("Debian GNU/Linux 12 (bookworm), Linux 6.1.0-18-amd64");
    /// absent in results written before it was recorded, like `openblas` and `coreType`.
    public var os: String?
    /// OpenBLAS's version and build configuration ("OpenBLAS 0.3.21 DYNAMIC_ARCH … MAX_THREADS=64").
    public var openblas: String?
    /// The OpenBLAS kernel set that ran the products ("Haswell", "SkylakeX", "Prescott").
    public var coreType: String?
    /// The level of the engine's kernels that ran the products ("avx512", "avx2", "baseline"):
    /// speed only, since every level computes the same bits (engine 3 on).
    public var kernels: String?

    public init(gitCommit: String?, gitDirty: Bool?, toolchain: String, cpu: String, cores: Int, threads: Int, jobs: Int,
                profile: Profile, seed: UInt64, overrides: [String], sections: [String], engineVersion: String,
                datasetChecksum: String, totalSeconds: Double, created: String) {
        (self.gitCommit, self.gitDirty, self.toolchain, self.cpu, self.cores) = (gitCommit, gitDirty, toolchain, cpu, cores)
        (self.threads, self.jobs, self.profile, self.seed, self.overrides) = (threads, jobs, profile, seed, overrides)
        (self.sections, self.engineVersion, self.datasetChecksum) = (sections, engineVersion, datasetChecksum)
        (self.totalSeconds, self.created) = (totalSeconds, created)
    }

    enum CodingKeys: String, CodingKey {
        case gitCommit = "git_commit", gitDirty = "git_dirty", toolchain, cpu, cores, threads, jobs, profile, seed
        case overrides, sections, engineVersion = "engine_version", datasetChecksum = "dataset_checksum"
        case totalSeconds = "total_seconds", created, shards, os, openblas, coreType = "core_type", kernels
    }
}

/// One finished training.
///
/// `test_predictions` is a string of 10,000 digits, the predicted class of each test image in
/// order, so two runs can be compared image by image. `weights_sha256` is the SHA-256 of the
/// saved safetensors file: equal hashes mean bit-identical weights.
/// `provenance` (optional): `host`, `shard` (`I/N` of a sharded build), `scheduler`, `started`
/// and `finished` of the process that trained it, which a record keeps when it comes from a cache.
public struct TrainingRecord: Codable, Sendable {
    public var id: String
    public var section: String
    /// The model's name as recorded: one of today's catalogue, or one a commit has since renamed
    /// or dropped (`RecordedModel.kind` is then nil; `layers` still says what it was).
    public var model: RecordedModel
    public var params: Int
    public var hyperparameters: Hyperparameters
    public var seed: UInt64
    public var sweepIndex: Int?
    public var replicate: Int?
    public var history: History
    public var testLoss: Double
    public var testAccuracy: Double
    /// Test images whose true class got a probability below the loss's ε, so that their loss
    /// was clipped (absent in results from before it was recorded).
    public var testClipped: Int?
    public var secondsPerEpoch: [Double]
    public var threads: Int
    public var weightsSHA256: String
    public var testPredictions: String
    public var cacheKey: String
    /// Whether this build took the training from the cache (false: it trained it).
    public var fromCache: Bool
    /// Where and when it was trained (absent in results from before provenance was recorded).
    public var provenance: Provenance?
    /// The model as trained: its layers and optimiser (schema 2; absent in schema 1).
    public var layers: [LayerConfiguration]?
    public var optimizer: OptimizerConfiguration?

    enum CodingKeys: String, CodingKey {
        case id, section, model, params, hyperparameters, seed, history, threads
        case sweepIndex = "sweep_index", replicate
        case testLoss = "test_loss", testAccuracy = "test_accuracy", secondsPerEpoch = "seconds_per_epoch"
        case testClipped = "test_clipped"
        case weightsSHA256 = "weights_sha256", testPredictions = "test_predictions"
        case cacheKey = "cache_key", fromCache = "from_cache", provenance, layers, optimizer
    }

    public init(id: String, section: String, model: ModelKind, params: Int, hyperparameters: Hyperparameters, seed: UInt64,
                sweepIndex: Int?, replicate: Int?, history: History, testLoss: Double, testAccuracy: Double,
                secondsPerEpoch: [Double], threads: Int, weightsSHA256: String, testPredictions: String, cacheKey: String,
                fromCache: Bool, provenance: Provenance? = nil, testClipped: Int? = nil) {
        (self.id, self.section, self.model, self.params, self.hyperparameters, self.seed) = (id, section, RecordedModel(model), params, hyperparameters, seed)
        (self.sweepIndex, self.replicate, self.history, self.testLoss, self.testAccuracy) = (sweepIndex, replicate, history, testLoss, testAccuracy)
        (self.secondsPerEpoch, self.threads, self.weightsSHA256, self.testPredictions) = (secondsPerEpoch, threads, weightsSHA256, testPredictions)
        (self.cacheKey, self.fromCache, self.provenance, self.testClipped) = (cacheKey, fromCache, provenance, testClipped)
    }

    /// The median seconds per epoch: the middle epoch's time, or the mean of the two middle
    /// ones for an even number of epochs (0 without any).
    public var medianSecondsPerEpoch: Double { Statistics.median(secondsPerEpoch) ?? 0 }

    /// The validation accuracy after the last epoch (the sweep's measure), or the test accuracy
    /// when the training recorded no validation.
    public var finalValidationAccuracy: Double { history.valAccuracy.last ?? testAccuracy }

    /// The predicted class of each test image, from `test_predictions` (one digit per image).
    public var predictedClasses: [Int] { testPredictions.utf8.map { Int($0) - 48 } }

    /// The 1-based epoch of the highest validation accuracy.
    public var bestEpoch: Int {
        let v = history.valAccuracy
        return (v.indices.max { v[$0] < v[$1] } ?? 0) + 1
    }
}

/// A model's name as a results file records it, whatever the catalogue has since become: results
/// outlive the code that wrote them, and `history`, `compare` and `render` read a commit's file
/// after a later one renamed or dropped a model. Encoded as the name alone.
public struct RecordedModel: Codable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(_ kind: ModelKind) { rawValue = kind.rawValue }
    public init(name: String) { rawValue = name }

    /// Today's catalogue entry of that name, nil when the catalogue no longer has it.
    public var kind: ModelKind? { ModelKind(rawValue: rawValue) }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func == (lhs: RecordedModel, rhs: ModelKind) -> Bool { lhs.rawValue == rhs.rawValue }
    public static func != (lhs: RecordedModel, rhs: ModelKind) -> Bool { lhs.rawValue != rhs.rawValue }
}

/// A report failure: one clear sentence naming the file or value at fault.
public struct ReportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

// MARK: - Validation

/// Where and when a training ran: the machine, the shard of the build and the scheduler that
/// chose it, the start and end (ISO 8601). Recorded for the reader; `compare` ignores it.
public struct Provenance: Codable, Sendable, Equatable {
    public var host: String
    /// `I/N` when the build was sharded.
    public var shard: String?
    public var scheduler: String?
    public var started: String
    public var finished: String

    public init(host: String, shard: String?, scheduler: String?, started: String, finished: String) {
        (self.host, self.shard, self.scheduler, self.started, self.finished) = (host, shard, scheduler, started, finished)
    }

    public static func timestamp(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}

extension RunInfo {
    /// The shard layout of `records` (those trained by a sharded build), or nil when none was.
    public static func shardLayout(_ records: [TrainingRecord]) -> [String]? {
        var counts: [String: Int] = [:]
        for record in records {
            guard let provenance = record.provenance, let shard = provenance.shard else { continue }
            counts["\(shard): \(provenance.host)", default: 0] += 1
        }
        guard !counts.isEmpty else { return nil }
        return counts.keys.sorted { $0.localizedStandardCompare($1) == .orderedAscending }
            .map { "\($0), \(counts[$0]!) training\(counts[$0]! == 1 ? "" : "s")" }
    }
}
