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

    /// The stored record for `key`, or nil when there is none, or it cannot be read, or it is not
    /// a valid record of that key (in each case the training simply runs again).
    public func record(for key: String) -> TrainingRecord? {
        guard let bytes = try? InputFile.read(recordPath(key), limit: ResultsDocument.maximumFileSize),
              var record = try? JSONDecoder().decode(TrainingRecord.self, from: Data(bytes)),
              record.cacheKey == key,
              FileManager.default.fileExists(atPath: weightsPath(key)) else { return nil }
        var checks = ValueChecks()
        checks.training(record, at: "record")
        guard checks.problems.isEmpty else { return nil }
        record.fromCache = true
        return record
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
        try OutputFile.write(weights, to: weightsPath(record.cacheKey))
        if let inputs { try OutputFile.write(Self.canonical(inputs), to: inputsPath(record.cacheKey)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try OutputFile.write(try encoder.encode(record), to: recordPath(record.cacheKey))
    }
}
