import Assignment
import MNIST
import NeuralEngine

extension TrainingSpec {
    /// The model built with this spec's seed; `generator` continues into training.
    public func makeModel(using generator: inout SeededGenerator) throws -> Sequential {
        let model = Sequential(configurations: layers)
        try model.build(inputShape: Self.inputShape, using: &generator)
        return model
    }

    /// The engine's count of the model's weights, trainable and not (batch normalisation's
    /// running statistics included, as in Keras's `count_params()`).
    public func engineParameterCount() throws -> Int {
        var generator = SeededGenerator(seed: 0)
        let model = try makeModel(using: &generator)
        return model.parameterCount + model.nonTrainableCount
    }
}

/// Runs a `TrainingSpec` on prepared data, validating on the test split as the notebook does.
public struct Trainer {
    public var spec: TrainingSpec
    public init(spec: TrainingSpec) { self.spec = spec }

    /// Trains and evaluates; returns the result and the trained model.
    /// - Parameters:
    ///   - timings: when given, collects each layer's time over training and validation.
    ///   - stepsPerEpoch, validationSteps: Keras's limits for quick experiments (see `fit`);
    ///     `validationSteps` also limits the final test evaluation to the same first images.
    public func run(on data: PreparedData, callbacks: FitCallbacks = FitCallbacks(),
                    timings: LayerTimings? = nil, stepsPerEpoch: Int? = nil,
                    validationSteps: Int? = nil) throws -> (TrainingResult, Sequential) {
        var generator = SeededGenerator(seed: spec.seed)
        let model = try spec.makeModel(using: &generator)
        model.timings = timings
        let optimizer = spec.optimizer.makeOptimizer()
        let (history, seconds) = try model.fit(
            x: data.trainX, y: data.trainY,
            batchSize: spec.hyperparameters.batchSize, epochs: spec.hyperparameters.epochs,
            optimizer: optimizer, validationData: (data.testX, data.testY),
            stepsPerEpoch: stepsPerEpoch, validationSteps: validationSteps,
            using: &generator, callbacks: callbacks)
        model.timings = nil
        let testItems = min(data.testX.batchSize, validationSteps.map { $0 * spec.hyperparameters.batchSize } ?? .max)
        let test = testItems == data.testX.batchSize
            ? try model.evaluate(x: data.testX, y: data.testY)
            : try model.evaluate(x: data.testX.slice(items: 0..<testItems), y: data.testY.slice(items: 0..<testItems))
        let result = TrainingResult(model: spec.model.rawValue, params: model.parameterCount, history: history,
                                    secondsPerEpoch: seconds, testLoss: test.loss, testAccuracy: test.accuracy,
                                    testClipped: test.clipped)
        return (result, model)
    }
}
