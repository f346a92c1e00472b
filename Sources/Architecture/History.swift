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
