import Foundation
import NeuralEngine
import Testing
@testable import Pipeline

@Suite("Build progress")
struct BuildProgressTests {
    static let epoch = EpochSummary(epoch: 3, epochs: 40, loss: 0.12345, accuracy: 0.965,
                                    validation: Evaluation(loss: 0.11, accuracy: 0.97), seconds: 1.25)

    /// A child's events reach the build whole: an epoch (with and without validation) and the
    /// test accuracy survive their line of JSON.
    @Test func eventsSurviveTheirLine() throws {
        for event in [ChildEvent(epoch: Self.epoch), ChildEvent(testAccuracy: 0.9917),
                      ChildEvent(epoch: EpochSummary(epoch: 1, epochs: 1, loss: 1, accuracy: 0.5, validation: nil, seconds: 0.5))] {
            let line = event.encoded
            #expect(!line.contains("\n"), "one line: \(line)")
            #expect(ChildEvent.decode(line) == event, "\(line)")
        }
    }

    /// Anything else the child writes (an error on its standard error, which shares the pipe)
    /// is not an event, and the build shows it as it came.
    @Test func otherLinesAreNotEvents() {
        for line in ["Error: cannot read /data/train-images.gz", "Epoch 3/40 - 1.2s - loss: 0.1000 - accuracy: 0.9700",
                     "{}", "{\"epoch\": 3}", "{not json", ""] {
            #expect(ChildEvent.decode(line) == nil, "\(line)")
        }
    }

    /// The one wording of an epoch, as Keras's fit(verbose=1) prints it.
    @Test func anEpochIsWordedOnce() {
        #expect(Self.epoch.line == "Epoch 3/40 - 1.2s - loss: 0.1235 - accuracy: 0.9650 - val_loss: 0.1100 - val_accuracy: 0.9700")
        var plain = Self.epoch
        plain.validation = nil
        #expect(plain.line == "Epoch 3/40 - 1.2s - loss: 0.1235 - accuracy: 0.9650")
    }
}
