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
public struct EpochSummary: Codable, Equatable, Sendable {
    public var epoch: Int
    public var epochs: Int
    public var loss: Double
    public var accuracy: Double
    public var validation: Evaluation?
    /// Wall time of the epoch, training and validation.
    public var seconds: Double

    public init(epoch: Int, epochs: Int, loss: Double, accuracy: Double, validation: Evaluation?, seconds: Double) {
        (self.epoch, self.epochs, self.loss, self.accuracy, self.validation, self.seconds)
            = (epoch, epochs, loss, accuracy, validation, seconds)
    }
}

/// Observes a `fit`; both closures are optional.
public struct FitCallbacks {
    public var batchEnded: ((FitProgress) -> Void)?
    public var epochEnded: ((EpochSummary) -> Void)?
    public init(batchEnded: ((FitProgress) -> Void)? = nil, epochEnded: ((EpochSummary) -> Void)? = nil) {
        (self.batchEnded, self.epochEnded) = (batchEnded, epochEnded)
    }
}
