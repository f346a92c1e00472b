import Results
import Training
import Assignment
import Foundation
import MNIST
import NeuralEngine

/// What a build hands a child process that trains one training (`mnist-report _train-one
/// --job JSON`): the one type both sides encode and decode.
public struct ChildJob: Codable, Sendable {
    public var training: PlannedTraining
    public var profile: Profile
    public var cacheDirectory: String
    /// The MNIST folder the build read (nil: the embedded copy).
    public var dataDirectory: String?
    public var threads: Int
    /// The build's process: the child ends with it.
    public var parentPid: Int32
    /// The build's shard and scheduler, for the training's provenance.
    public var shard: String?
    public var scheduler: String?

    public init(training: PlannedTraining, profile: Profile, cacheDirectory: String, dataDirectory: String?, threads: Int,
                parentPid: Int32, shard: Shard?) {
        (self.training, self.profile, self.cacheDirectory, self.dataDirectory) = (training, profile, cacheDirectory, dataDirectory)
        (self.threads, self.parentPid, self.shard, self.scheduler) = (threads, parentPid, shard?.description, shard?.source.rawValue)
    }

    /// The hidden subcommand that runs one.
    public static let command = "_train-one"

    /// The job as it carries out its training.
    public var trainingJob: TrainingJob {
        var job = TrainingJob(training: training, profile: profile, threads: threads)
        (job.shard, job.scheduler) = (shard, scheduler)
        return job
    }
}

/// One planned training carried out and stored: trains, evaluates, saves the weights and the
/// record into the cache.
public struct TrainingJob: Sendable {
    public var training: PlannedTraining
    public var profile: Profile
    /// The shard of the build that runs it, for its provenance.
    public var shard: String?
    public var scheduler: String?
    /// The threads of the engine's products: set for the training here, recorded as given
    /// (none of the caller's settings leaks in).
    public var threads: Int

    public init(training: PlannedTraining, profile: Profile, threads: Int, shard: Shard? = nil) {
        (self.training, self.profile, self.threads) = (training, profile, threads)
        (self.shard, self.scheduler) = (shard?.description, shard?.source.rawValue)
    }

    /// Trains on `data`, stores the result in `cache` and returns its record.
    public func run(on data: PreparedData, cache: TrainingCache, callbacks: FitCallbacks) throws -> TrainingRecord {
        try withComputeThreads(threads) { try train(on: data, cache: cache, callbacks: callbacks) }
    }

    private func train(on data: PreparedData, cache: TrainingCache, callbacks: FitCallbacks) throws -> TrainingRecord {
        let inputs = TrainingCache.inputs(for: training, datasetChecksum: data.checksum, profile: profile)
        let key = TrainingCache.key(inputs)
        let started = Date()
        let (result, model) = try Trainer(spec: training.spec).run(on: data, callbacks: callbacks)
        let predictions = try model.predict(data.testX).argmaxPerItem()
        // The file is a function of the cache key alone: no training id in its metadata, so two
        // trainings with one key (3.1b and the ablation's 3.1b-all) store the same bytes and
        // `cache merge` of shards that trained both finds them equal.
        let weights = try SafeTensors.encode(model, metadata: ["model": training.spec.model.rawValue])
        let record = TrainingRecord(
            id: training.id, section: training.section, model: training.spec.model, params: result.params,
            hyperparameters: training.spec.hyperparameters, seed: training.spec.seed,
            sweepIndex: training.sweepIndex, replicate: training.replicate, history: result.history,
            testLoss: result.testLoss, testAccuracy: result.testAccuracy, secondsPerEpoch: result.secondsPerEpoch,
            threads: threads, weightsSHA256: SHA256.hex(of: weights),
            testPredictions: String(predictions.map { Character(String($0)) }), cacheKey: key, fromCache: false,
            provenance: Provenance(host: ProcessInfo.processInfo.hostName, shard: shard, scheduler: scheduler,
                                   started: Provenance.timestamp(started), finished: Provenance.timestamp(Date())),
            testClipped: result.testClipped)
        try cache.store(record, weights: weights, inputs: inputs)
        return record
    }
}
