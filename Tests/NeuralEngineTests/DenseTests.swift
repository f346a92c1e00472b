import NeuralEngine
import Testing

@Suite("Dense and Flatten")
struct DenseTests {
    @Test("Dense with every activation passes the layer harness", arguments: [Activation.linear, .relu, .softmax])
    func harness(activation: Activation) throws {
        try LayerHarness(inputShape: [5]).check(
            Dense(units: 3, activation: activation, kernelRegularizer: L2(0.1)),
            outputShape: [3], parameterCount: 5 * 3 + 3)
    }

    @Test func flattenPassesTheHarness() throws {
        try LayerHarness(inputShape: [2, 3, 2]).check(Flatten(), outputShape: [12], parameterCount: 0)
    }

    @Test func denseRejectsAnUnflattenedInput() {
        var generator = SeededGenerator(seed: 1)
        #expect(throws: EngineError.self) {
            try Dense(units: 4).build(inputShape: [28, 28, 1], using: &generator)
        }
    }

    @Test func forwardComputesXWPlusBiasThenTheActivation() throws {
        let layer = Dense(units: 2, activation: .relu)
        var generator = SeededGenerator(seed: 1)
        _ = try layer.build(inputShape: [3], using: &generator)
        layer.kernel.value = Tensor(shape: [3, 2], scalars: [1, -1, 2, 0, 0, 3])
        layer.bias.value = Tensor(shape: [2], scalars: [0.5, -10])
        let y = layer.forward(Tensor(shape: [1, 3], scalars: [1, 2, 3]), training: false, using: &generator)
        // x·W = [1 + 4, −1 + 9] = [5, 8]; + b = [5.5, −2]; ReLU → [5.5, 0].
        #expect(y.scalars == [5.5, 0])
    }

    @Test func glorotUniformStaysWithinItsLimitAndBiasesStartAtZero() throws {
        let layer = Dense(units: 300)
        var generator = SeededGenerator(seed: 3)
        _ = try layer.build(inputShape: [500], using: &generator)
        let limit = (6 / Float(800)).squareRoot()
        let kernel = layer.kernel.value.scalars
        #expect(kernel.allSatisfy { abs($0) <= limit })
        #expect(kernel.max()! > 0.9 * limit && kernel.min()! < -0.9 * limit)
        #expect(layer.bias.value.scalars.allSatisfy { $0 == 0 })
    }
}
