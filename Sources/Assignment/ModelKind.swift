import NeuralEngine

/// The assignment's models, by the names the command line uses.
public enum ModelKind: String, CaseIterable, Codable, Sendable {
    /// Section 2.3: Flatten → Dense(64, relu) → Dense(64, relu) → Dense(10, softmax); SGD 0.1.
    case mlp64
    /// Section 2.4: Flatten → Dense(500, relu, L2) → Dense(300, relu, L2) → Dense(10, softmax); SGD 0.1.
    case mlp500
    /// Section 3.1: the notebook's LeNet-5 variant; Adam 0.001.
    case lenet5

    /// The section of the assignment that defines the model.
    public var section: String {
        switch self {
        case .mlp64: return "2.3"
        case .mlp500: return "2.4"
        case .lenet5: return "3.1"
        }
    }

    /// The notebook's default hyper-parameters for this model.
    public var defaults: Hyperparameters {
        switch self {
        case .mlp64: return Hyperparameters(epochs: 10, batchSize: 128, learningRate: 0.1, l2: nil)
        case .mlp500: return Hyperparameters(epochs: 40, batchSize: 128, learningRate: 0.1, l2: 1e-5)
        case .lenet5: return Hyperparameters(epochs: 40, batchSize: 128, learningRate: 0.001, l2: 1e-4)
        }
    }

    /// The layers, given the L2 factor where the model has one.
    public func layers(l2: Float?) -> [LayerConfiguration] {
        switch self {
        case .mlp64:
            return [.flatten,
                    .dense(units: 64, activation: .relu, l2: nil),
                    .dense(units: 64, activation: .relu, l2: nil),
                    .dense(units: 10, activation: .softmax, l2: nil)]
        case .mlp500:
            return [.flatten,
                    .dense(units: 500, activation: .relu, l2: l2),
                    .dense(units: 300, activation: .relu, l2: l2),
                    .dense(units: 10, activation: .softmax, l2: nil)]
        case .lenet5:
            return [.zeroPadding2D(padding: 2),
                    .conv2D(filters: 6, kernelSize: 5, strides: 1, padding: .valid, activation: .relu, l2: nil),
                    .averagePooling2D(poolSize: 2, strides: 2),
                    .conv2D(filters: 16, kernelSize: 5, strides: 1, padding: .valid, activation: .relu, l2: nil),
                    .averagePooling2D(poolSize: 2, strides: 2),
                    .flatten,
                    .dense(units: 120, activation: .relu, l2: l2),
                    .dropout(rate: 0.5),
                    .dense(units: 84, activation: .relu, l2: l2),
                    .dense(units: 10, activation: .softmax, l2: nil)]
        }
    }

    /// The optimiser of the notebook with the given learning rate.
    public func optimizer(learningRate: Float) -> OptimizerConfiguration {
        switch self {
        case .mlp64, .mlp500: return .sgd(learningRate: learningRate)
        case .lenet5: return .adam(learningRate: learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-7)
        }
    }
}

/// The knobs of one training.
public struct Hyperparameters: Codable, Hashable, Sendable {
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Float
    /// The L2 factor of the regularised layers, for models that have them.
    public var l2: Float?

    public init(epochs: Int, batchSize: Int, learningRate: Float, l2: Float?) {
        (self.epochs, self.batchSize, self.learningRate, self.l2) = (epochs, batchSize, learningRate, l2)
    }

    /// The values accepted on the command line (`train`, `build --set`): wide enough for any
    /// experiment on MNIST, narrow enough that a typo (`epochs=1e300`) is caught when parsed.
    public static let epochRange = 1...10_000
    public static let batchSizeRange = 1...60_000
    public static let learningRateRange: ClosedRange<Double> = 1e-7...10
    public static let l2Range: ClosedRange<Double> = 0...1

    enum CodingKeys: String, CodingKey {
        case epochs, l2
        case batchSize = "batch_size"
        case learningRate = "learning_rate"
    }
}
