import Results
import Training
import Assignment
import Files
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MNIST
import NeuralEngine

/// Finished trainings on disk, keyed by a content hash of everything that determines them:
/// the model's layers and optimiser, the hyper-parameters, the seed, the data set's checksum,
/// the engine version (its numerics) and the profile. The same key means the same bits on every
/// CPU and for every thread count (engine 3 on: neither changes a sum's order), so a build reuses
/// the stored record, wherever it was trained, instead of training again.
public struct TrainingCache: Sendable {
    public var directory: String

    public init(directory: String) { self.directory = directory }

    /// What the key hashes, as stored beside each record so a reader can see why keys differ.
    public struct KeyInputs: Codable, Equatable, Sendable {
        public var model: ModelKind
        public var layers: [LayerConfiguration]
        public var optimizer: OptimizerConfiguration
        public var hyperparameters: Hyperparameters
        public var seed: UInt64
        public var datasetChecksum: String
        public var engineVersion: String
        public var profile: Profile
    }

    public static func inputs(for training: PlannedTraining, datasetChecksum: String, profile: Profile) -> KeyInputs {
        KeyInputs(model: training.spec.model, layers: training.spec.layers, optimizer: training.spec.optimizer,
                  hyperparameters: training.spec.hyperparameters, seed: training.spec.seed,
                  datasetChecksum: datasetChecksum, engineVersion: Engine.version, profile: profile)
    }

    /// The SHA-256 of the inputs' canonical (key-sorted) JSON.
    public static func key(_ inputs: KeyInputs) -> String { SHA256.hex(of: [UInt8](canonical(inputs))) }

    func recordPath(_ key: String) -> String { (directory as NSString).appendingPathComponent("\(key).json") }
    public func weightsPath(_ key: String) -> String { (directory as NSString).appendingPathComponent("\(key).safetensors") }

    /// What the cache holds under a key.
    public enum Lookup: Sendable {
        /// A verified entry's record, marked as coming from the cache.
        case found(TrainingRecord)
        /// No record under the key.
        case missing
        /// A record that cannot be trusted, and why: it is retrained and never served.
        case corrupt(String)
    }

    /// The entry under `key`, verified the one way `build` and `cache merge` both use (`entry`):
    /// a valid record named by its key, inputs that hash to the key, weights that hash to the
    /// record's digest; and, given the test `labels`, a test accuracy that its own predictions
    /// give.
    public func lookup(_ key: String, labels: [UInt8]?) -> Lookup {
        guard FileManager.default.fileExists(atPath: recordPath(key)) else { return .missing }
        do {
            var record = try entry(key).record
            if let labels, let problem = record.predictionProblem(labels: labels) {
                return .corrupt("\(recordPath(key)): \(problem)")
            }
            record.fromCache = true
            return .found(record)
        } catch {
            return .corrupt((error as? ReportError)?.description ?? FileProblem.describe(error))
        }
    }

    /// The canonical JSON of a key's inputs: its SHA-256 is the key.
    static func canonical(_ inputs: KeyInputs) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(inputs)) ?? Data()
    }

    func inputsPath(_ key: String) -> String { (directory as NSString).appendingPathComponent("\(key).inputs.json") }

    /// Stores a finished training: weights first, then the inputs its key hashes, then the
    /// record, each written atomically (a unique temporary file renamed into place), so an
    /// interrupted build never leaves a record without its weights, and several processes may
    /// store into one folder at once (on a network file system too) without any lock.
    public func store(_ record: TrainingRecord, weights: [UInt8], inputs: KeyInputs? = nil) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Self.writeEntry(weights, to: weightsPath(record.cacheKey))
        if let inputs { try Self.writeEntry(Self.canonical(inputs), to: inputsPath(record.cacheKey)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try Self.writeEntry(try encoder.encode(record), to: recordPath(record.cacheKey))
    }

    /// Writes one of the cache's own files: a private temporary in the folder, created without
    /// following links, renamed over the name. Whatever sits under the name (a link someone
    /// planted, a stale file) is replaced, never followed or written into.
    static func writeEntry(_ bytes: some Collection<UInt8>, to path: String) throws {
        try FolderWriter(folder: PathText.parent(path), option: "--cache-dir", replacing: true)
            .write(bytes, named: PathText.last(path))
    }
}
