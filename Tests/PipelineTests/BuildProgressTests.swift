import Testing
@testable import Pipeline

@Suite("Build progress")
struct BuildProgressTests {
    /// The ETA reads a child's epoch seconds from its epoch line, whatever precedes it (a
    /// progress bar's carriage return), and nothing from other lines.
    @Test func epochSecondsAreReadFromEpochLinesOnly() {
        #expect(BuildRunner.epochSeconds("Epoch 3/40 - 1.2s - loss: 0.1000 - accuracy: 0.9700") == 1.2)
        #expect(BuildRunner.epochSeconds("\r\u{1B}[2KEpoch 1/20 - 12.0s - loss: 0.3 - accuracy: 0.9") == 12)
        #expect(BuildRunner.epochSeconds("Test loss: 0.0969 - test accuracy: 0.9725") == nil)
        #expect(BuildRunner.epochSeconds("Epoch 1/20 12/469 [====>   ] ETA 3.1s - loss: 0.3") == nil)
    }
}
