import Architecture

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
    public static let inputShape = [Dataset.rows, Dataset.columns, 1]

    public var layers: [LayerConfiguration] { model.layers(l2: hyperparameters.l2) }
    public var optimizer: OptimizerConfiguration { model.optimizer(hyperparameters) }
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

    public init(model: String, params: Int, history: History, secondsPerEpoch: [Double], testLoss: Double,
                testAccuracy: Double, testClipped: Int?) {
        (self.model, self.params, self.history, self.secondsPerEpoch) = (model, params, history, secondsPerEpoch)
        (self.testLoss, self.testAccuracy, self.testClipped) = (testLoss, testAccuracy, testClipped)
    }

    enum CodingKeys: String, CodingKey {
        case model, params, history
        case secondsPerEpoch = "seconds_per_epoch"
        case testLoss = "test_loss"
        case testAccuracy = "test_accuracy"
        case testClipped = "test_clipped"
    }
}
