import Foundation
import NeuralEngine

/// What a child training process of `build --jobs N` tells the build, one JSON object a line on
/// its standard output: an epoch ended, or the training was tested. The build decodes each
/// line (`decode`), keeps its ETA from the epochs' seconds and prints them for people through
/// `EpochSummary.line`, the one place an epoch is worded. A line that is not an event (an error
/// message on the child's standard error, which shares the pipe) is shown as it came.
public struct ChildEvent: Codable, Equatable, Sendable {
    /// An epoch of the training ended.
    public var epoch: EpochSummary?
    /// The trained network's accuracy on the test set.
    public var testAccuracy: Double?

    public init(epoch: EpochSummary? = nil, testAccuracy: Double? = nil) {
        (self.epoch, self.testAccuracy) = (epoch, testAccuracy)
    }

    enum CodingKeys: String, CodingKey {
        case epoch, testAccuracy = "test_accuracy"
    }

    /// The event as the child writes it: one line of JSON, without its newline.
    public var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Every field is a finite number or a nested object of them: encoding cannot fail.
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The event on `line`, or nil when the line is not one (plain text from the child).
    public static func decode(_ line: String) -> ChildEvent? {
        guard line.hasPrefix("{"), let event = try? JSONDecoder().decode(ChildEvent.self, from: Data(line.utf8)),
              event.epoch != nil || event.testAccuracy != nil else { return nil }
        return event
    }
}

extension EpochSummary {
    /// The epoch as Keras's `fit(verbose=1)` words it:
    /// "Epoch 3/40 - 1.2s - loss: 0.1234 - accuracy: 0.9650 - val_loss: 0.1100 - val_accuracy: 0.9700".
    public var line: String {
        func f(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
        var line = "Epoch \(epoch)/\(epochs) - \(f(seconds, 1))s - loss: \(f(loss, 4)) - accuracy: \(f(accuracy, 4))"
        if let v = validation { line += " - val_loss: \(f(v.loss, 4)) - val_accuracy: \(f(v.accuracy, 4))" }
        return line
    }
}
