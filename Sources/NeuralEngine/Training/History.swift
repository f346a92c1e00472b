/// The per-epoch record of a `fit`, with Keras's keys.
public struct History: Codable, Equatable, Sendable {
    /// Running mean of the training loss (cross-entropy plus penalties) over each epoch's batches.
    public var loss: [Double] = []
    /// Running mean of the training accuracy over each epoch's batches.
    public var accuracy: [Double] = []
    /// Loss on the validation data after each epoch.
    public var valLoss: [Double] = []
    /// Accuracy on the validation data after each epoch.
    public var valAccuracy: [Double] = []
    /// The optimizer's learning rate at the end of each epoch (the rate of the next update, as
    /// Keras logs `learning_rate`), recorded when the rate follows a schedule; nil for a
    /// constant rate (the optimizer's configuration holds it), and in results written before
    /// schedules existed.
    public var learningRate: [Double]?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case loss, accuracy
        case valLoss = "val_loss"
        case valAccuracy = "val_accuracy"
        case learningRate = "learning_rate"
    }

    /// The history under Keras's key names.
    public var keyed: [String: [Double]] {
        var keyed = ["loss": loss, "accuracy": accuracy, "val_loss": valLoss, "val_accuracy": valAccuracy]
        keyed["learning_rate"] = learningRate
        return keyed
    }
}

/// Loss and accuracy of a pass over data.
public struct Evaluation: Codable, Equatable, Sendable {
    public var loss: Double
    public var accuracy: Double
    /// Items whose true class got a probability below the loss's ε (their loss was clipped).
    public var clipped: Int
    public init(loss: Double, accuracy: Double, clipped: Int = 0) {
        (self.loss, self.accuracy, self.clipped) = (loss, accuracy, clipped)
    }
}

/// What `fit` reports while it runs; the engine itself never prints.
public struct FitProgress: Sendable {
    public var epoch: Int          // 1-based
    public var epochs: Int
    public var batch: Int          // 1-based, batches done in this epoch
    public var batches: Int
    public var loss: Double        // running means so far in this epoch
    public var accuracy: Double
    public var elapsed: Double     // seconds since the epoch began
}

/// One finished epoch.
public struct EpochSummary: Sendable {
    public var epoch: Int
    public var epochs: Int
    public var loss: Double
    public var accuracy: Double
    public var validation: Evaluation?
    /// Wall time of the epoch, training and validation.
    public var seconds: Double
}

/// Observes a `fit`; both closures are optional.
public struct FitCallbacks {
    public var batchEnded: ((FitProgress) -> Void)?
    public var epochEnded: ((EpochSummary) -> Void)?
    public init(batchEnded: ((FitProgress) -> Void)? = nil, epochEnded: ((EpochSummary) -> Void)? = nil) {
        (self.batchEnded, self.epochEnded) = (batchEnded, epochEnded)
    }
}
