import Assignment
import Foundation
import MNIST
import NeuralEngine

/// One planned training carried out and stored: trains, evaluates, saves the weights and the
/// record into the cache.
public struct TrainingJob: Sendable {
    public var training: PlannedTraining
    public var profile: Profile

    public init(training: PlannedTraining, profile: Profile) { (self.training, self.profile) = (training, profile) }

    /// Trains on `data`, stores the result in `cache` and returns its record.
    public func run(on data: PreparedData, cache: TrainingCache, callbacks: FitCallbacks) throws -> TrainingRecord {
        let key = TrainingCache.key(TrainingCache.inputs(for: training, datasetChecksum: data.checksum, profile: profile))
        let (result, model) = try Trainer(spec: training.spec).run(on: data, callbacks: callbacks)
        let predictions = try model.predict(data.testX).argmaxPerItem()
        let weights = try SafeTensors.encode(model, metadata: ["model": training.spec.model.rawValue, "id": training.id])
        let record = TrainingRecord(
            id: training.id, section: training.section, model: training.spec.model, params: result.params,
            hyperparameters: training.spec.hyperparameters, seed: training.spec.seed,
            sweepIndex: training.sweepIndex, replicate: training.replicate, history: result.history,
            testLoss: result.testLoss, testAccuracy: result.testAccuracy, secondsPerEpoch: result.secondsPerEpoch,
            threads: computeThreads, weightsSHA256: SHA256.hex(of: weights),
            testPredictions: String(predictions.map { Character(String($0)) }), cacheKey: key, fromCache: false)
        try cache.store(record, weights: weights)
        return record
    }
}
