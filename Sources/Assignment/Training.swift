import MNIST
import NeuralEngine

/// One training of one of the assignment's models: everything that determines its numbers.
public struct TrainingSpec: Codable, Hashable, Sendable {
    public var model: ModelKind
    public var hyperparameters: Hyperparameters
    public var seed: UInt64

    public init(model: ModelKind, hyperparameters: Hyperparameters? = nil, seed: UInt64 = 1) {
        self.model = model
        self.hyperparameters = hyperparameters ?? model.defaults
        self.seed = seed
    }

    /// The shape of one input image, (height, width, channels): MNIST's grey 28 × 28.
    public static let inputShape = [MNISTSplit.rows, MNISTSplit.columns, 1]

    public var layers: [LayerConfiguration] { model.layers(l2: hyperparameters.l2) }
    public var optimizer: OptimizerConfiguration { model.optimizer(hyperparameters) }

    /// The model built with this spec's seed; `generator` continues into training.
    public func makeModel(using generator: inout SeededGenerator) throws -> Sequential {
        let model = Sequential(configurations: layers)
        try model.build(inputShape: Self.inputShape, using: &generator)
        return model
    }
}

/// What a training produced (the `--json` document of `train`).
public struct TrainingResult: Codable, Sendable {
    public var model: String
    public var params: Int
    public var history: History
    public var secondsPerEpoch: [Double]
    public var testLoss: Double
    public var testAccuracy: Double
    /// Test images whose true class got a probability below the loss's ε.
    public var testClipped: Int?

    enum CodingKeys: String, CodingKey {
        case model, params, history
        case secondsPerEpoch = "seconds_per_epoch"
        case testLoss = "test_loss"
        case testAccuracy = "test_accuracy"
        case testClipped = "test_clipped"
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
