import Foundation
import NeuralEngine
import Testing

@Suite("Batch normalisation")
struct BatchNormalizationTests {
    @Test("BatchNormalization passes the layer harness", arguments: [
        // (input, batch, training): after Dense (N, C) and after Conv2D (N, H, W, C).
        ([3], 5, true),
        ([3, 3, 2], 2, true),
        // 20 channels: whole periods of lcm(16, 20) = 80 values and none (a 60-value batch).
        ([2, 2, 20], 2, true),
        ([1, 1, 20], 3, true),
        // Inference: the moving statistics are constants.
        ([3], 4, false),
        ([2, 3, 5], 2, false),
    ])
    func harness(input: [Int], batch: Int, training: Bool) throws {
        let channels = input.last!
        try LayerHarness(inputShape: input, batch: batch, training: training)
            .check(BatchNormalization(), outputShape: input, parameterCount: 2 * channels)
    }

    @Test func oneTrainingStepMatchesTheFormulasByHand() throws {
        let layer = BatchNormalization()
        var generator = SeededGenerator(seed: 1)
        _ = try layer.build(inputShape: [2], using: &generator)
        #expect(layer.weights.map(\.name) == ["gamma", "beta", "moving_mean", "moving_variance"])
        #expect(layer.parameters.map(\.name) == ["gamma", "beta"])
        #expect(layer.gamma.value.scalars == [1, 1] && layer.beta.value.scalars == [0, 0])
        #expect(layer.movingMean.value.scalars == [0, 0] && layer.movingVariance.value.scalars == [1, 1])
        // Two items of two channels: means 2 and 4, biased variances 1 and 4.
        let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 6])
        let y = layer.forward(x, training: true, using: &generator)
        let (a, b) = (1 / (1 + 1e-3).squareRoot(), 2 / (4 + 1e-3).squareRoot())
        for (value, expected) in zip(y.scalars, [-a, -b, a, b]) { #expect(abs(Double(value) - expected) < 1e-6) }
        // moving ← 0.99 · moving + 0.01 · batch.
        expectClose(layer.movingMean.value.scalars, [0.02, 0.04])
        expectClose(layer.movingVariance.value.scalars, [0.99 + 0.01, 0.99 + 0.04])
        // Inference uses the moving statistics: (x − 0.02) / √(1 + ε) and (x − 0.04) / √(1.03 + ε).
        let z = layer.forward(x, training: false, using: &generator)
        expectClose(z.scalars, [Float((1 - 0.02) / (1.001).squareRoot()), Float((2 - 0.04) / (1.031).squareRoot()),
                                Float((3 - 0.02) / (1.001).squareRoot()), Float((6 - 0.04) / (1.031).squareRoot())])
        expectClose(layer.movingMean.value.scalars, [0.02, 0.04])
    }

    @Test func momentumAndEpsilonAreTheConfiguredOnes() throws {
        let layer = BatchNormalization(momentum: 0.5, epsilon: 0.25)
        var generator = SeededGenerator(seed: 1)
        _ = try layer.build(inputShape: [1, 1, 1], using: &generator)
        // One channel of values 0 and 2: mean 1, variance 1.
        let y = layer.forward(Tensor(shape: [2, 1, 1, 1], scalars: [0, 2]), training: true, using: &generator)
        expectClose(y.scalars, [Float(-1 / 1.25.squareRoot()), Float(1 / 1.25.squareRoot())])
        expectClose(layer.movingMean.value.scalars, [0.5])
        expectClose(layer.movingVariance.value.scalars, [1])
    }

    @Test func fitUpdatesTheMovingStatisticsAndTheOptimizerNeverSeesThem() throws {
        let model = Sequential([Flatten(), Dense(units: 3), BatchNormalization(), Dense(units: 2, activation: .softmax)])
        var generator = SeededGenerator(seed: 5)
        try model.build(inputShape: [2, 2, 1], using: &generator)
        #expect(!model.parameters.contains { $0.name.hasPrefix("moving") })
        #expect(model.parameterCount == 4 * 3 + 3 + 2 * 3 + 3 * 2 + 2)
        #expect(model.nonTrainableCount == 6)
        let x = randomTensor(shape: [8, 2, 2, 1], using: &generator)
        let y = Tensor(oneHot: [0, 1, 0, 1, 1, 0, 0, 1], classes: 2)
        // What the normalisation sees in the one step: the first Dense's output before the update.
        var unused = SeededGenerator(seed: 0)
        let hidden = model.layers[1].forward(model.layers[0].forward(x, training: false, using: &unused), training: false, using: &unused)
        let means = (0..<3).map { c in stride(from: c, to: hidden.count, by: 3).map { Double(hidden.scalars[$0]) }.reduce(0, +) / 8 }
        try model.fit(x: x, y: y, batchSize: 8, epochs: 1, optimizer: SGD(learningRate: 0.5), shuffle: false, using: &generator)
        let bn = try #require(model.layers[2] as? BatchNormalization)
        for (value, mean) in zip(bn.movingMean.value.scalars, means) { #expect(abs(Double(value) - 0.01 * mean) < 1e-6) }
    }

    @Test func summaryCountsTrainableAndNonTrainableWeightsAsKerasDoes() throws {
        let model = Sequential([Conv2D(filters: 2, kernelSize: 3), BatchNormalization(), Flatten(),
                                Dense(units: 3), BatchNormalization()])
        var generator = SeededGenerator(seed: 1)
        try model.build(inputShape: [5, 5, 1], using: &generator)
        #expect(model.layers.map(\.name) == ["conv2d", "batch_normalization", "flatten", "dense", "batch_normalization_1"])
        let summary = model.summary()
        // Keras's Param # of a BatchNormalization counts all four weights: 4 × 2 and 4 × 3.
        let rows = summary.split(separator: "\n").filter { $0.contains("(BatchNormalization)") }
        #expect(rows.count == 2 && rows[0].contains("(None, 3, 3, 2)") && rows[1].contains("(None, 3)"))
        #expect(rows.map { $0.split(separator: "│").last!.trimmingCharacters(in: .whitespaces) } == ["8", "12"])
        // conv 3·3·1·2 + 2 = 20, dense 18·3 + 3 = 57, gamma and beta 4 + 6: 87; moving 4 + 6: 10.
        #expect(summary.contains(" Total params: 97 (388.00 B)"))
        #expect(summary.contains(" Trainable params: 87 (348.00 B)"))
        #expect(summary.contains(" Non-trainable params: 10 (40.00 B)"))
    }

    /// Sequential.backward lets a batch normalisation after a ReLU layer apply the ReLU's
    /// derivative in its own pass, and that layer then takes its pre-activation gradient: every
    /// gradient must keep the bits of the layers' own backward passes called one by one.
    @Test("A ReLU's derivative inside the next batch normalisation changes no gradient's bits", arguments: [false, true])
    func fusedReLUDerivativeKeepsTheBits(training: Bool) throws {
        func model() throws -> Sequential {
            let model = Sequential([Conv2D(filters: 16, kernelSize: 3, padding: .same, activation: .relu), BatchNormalization(),
                                    Conv2D(filters: 16, kernelSize: 3, padding: .same, activation: .relu), BatchNormalization(),
                                    Flatten(), Dense(units: 20, activation: .relu), BatchNormalization(),
                                    Dense(units: 3, activation: .softmax)])
            var generator = SeededGenerator(seed: 11)
            try model.build(inputShape: [6, 6, 2], using: &generator)
            return model
        }
        let (fused, plain) = (try model(), try model())
        var generator = SeededGenerator(seed: 12)
        let x = randomTensor(shape: [5, 6, 6, 2], using: &generator)
        let g = randomTensor(shape: [5, 3], using: &generator)
        var (a, b) = (SeededGenerator(seed: 13), SeededGenerator(seed: 13))
        _ = fused.forward(x, training: training, using: &a)
        _ = plain.forward(x, training: training, using: &b)
        fused.backward(g, isLogitGradient: true, addingPenalties: false)
        var gradient: Tensor? = g
        for (index, layer) in plain.layers.enumerated().reversed() {
            if index == plain.layers.count - 1, let last = layer as? any ActivatedLayer {
                gradient = last.backward(preActivationGradient: gradient!, needsInputGradient: true)
            } else {
                gradient = layer.backward(gradient!, needsInputGradient: index > 0)
            }
        }
        for (p, q) in zip(fused.parameters, plain.parameters) {
            let differing = zip(p.gradient.scalars, q.gradient.scalars).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(differing == 0, "\(p.name): \(differing) of \(p.gradient.count) gradient values differ")
            #expect(p.gradient.scalars.contains { $0 != 0 }, "\(p.name): a gradient of zeros proves nothing")
        }
    }

    @Test func saveThenLoadKeepsTheMovingStatisticsAndThePredictions() throws {
        let model = Sequential([Conv2D(filters: 3, kernelSize: 3, activation: .relu), BatchNormalization(), Flatten(),
                                Dense(units: 4), BatchNormalization(momentum: 0.9, epsilon: 1e-2), Dense(units: 2, activation: .softmax)])
        var generator = SeededGenerator(seed: 3)
        try model.build(inputShape: [5, 5, 1], using: &generator)
        // Train a few steps, so that the moving statistics and gamma, beta are not their initial values.
        let x = randomTensor(shape: [6, 5, 5, 1], using: &generator)
        let y = Tensor(oneHot: [0, 1, 1, 0, 1, 0], classes: 2)
        try model.fit(x: x, y: y, batchSize: 3, epochs: 2, optimizer: Adam(learningRate: 0.01), using: &generator)
        let bytes = try SafeTensors.encode(model)
        let file = try SafeTensors.decode(bytes)
        #expect(Set(file.tensors.keys).isSuperset(of: [
            "batch_normalization/gamma", "batch_normalization/beta", "batch_normalization/moving_mean",
            "batch_normalization/moving_variance", "batch_normalization_1/moving_variance"]))
        #expect(file.tensors["batch_normalization_1/moving_mean"]?.shape == [4])
        let restored = try SafeTensors.model(from: file)
        #expect(restored.configurations == model.configurations)
        let bn = try #require(restored.layers[1] as? BatchNormalization)
        let original = try #require(model.layers[1] as? BatchNormalization)
        #expect(bn.movingMean.value == original.movingMean.value && bn.movingVariance.value == original.movingVariance.value)
        #expect(bn.movingMean.value.scalars != [0, 0, 0])
        #expect(try restored.predict(x) == model.predict(x))
        // Without its moving statistics the file does not load.
        var missing = file
        missing.tensors["batch_normalization/moving_mean"] = nil
        #expect(throws: SafeTensors.Failure.self) { try SafeTensors.model(from: missing) }
    }

    @Test func architectureLimitsCheckTheNewLayers() throws {
        let limits = ArchitectureLimits.standard
        let checked = try limits.check([.flatten, .dense(units: 4, activation: .relu, l2: nil),
                                        .batchNormalization(momentum: 0.99, epsilon: 1e-3)], inputShape: [2, 2, 1])
        #expect(checked.parameters == 16 + 4 + 8)
        #expect(checked.nonTrainable == 8)
        #expect(checked.weights[2].map(\.name) == ["gamma", "beta", "moving_mean", "moving_variance"])
        #expect(checked.weights[2].map(\.trainable) == [true, true, false, false])
        let images = try limits.check([.randomTranslation(height: 0.1, width: 0.1), .randomRotation(factor: 0.05),
                                       .conv2D(filters: 2, kernelSize: 3, strides: 1, padding: .valid, activation: .relu, l2: nil),
                                       .batchNormalization(momentum: 0.99, epsilon: 1e-3)], inputShape: [6, 6, 1])
        #expect(images.outputShape == [4, 4, 2])
        #expect(images.weights[3].map(\.shape) == [[2], [2], [2], [2]])
        func message(_ layers: [LayerConfiguration], _ input: [Int]) -> String {
            do { _ = try limits.check(layers, inputShape: input); return "" } catch { return String(describing: error) }
        }
        #expect(message([.batchNormalization(momentum: 1.5, epsilon: 1e-3)], [4]).contains("momentum must lie in [0, 1], got 1.5"))
        #expect(message([.batchNormalization(momentum: 0.9, epsilon: 0)], [4]).contains("epsilon must be positive, got 0.0"))
        #expect(message([.randomTranslation(height: 0.1, width: -0.2)], [4, 4, 1]).contains("width factor must lie in [0, 1], got -0.2"))
        #expect(message([.randomRotation(factor: .nan)], [4, 4, 1]).contains("factor must lie in [0, 1], got nan"))
        #expect(message([.flatten, .randomRotation(factor: 0.1)], [4, 4, 1]).contains("layer 2 (RandomRotation) expects (height, width, channels)"))
    }

    @Test func configurationsBuildTheLayersWithKerasNames() throws {
        let model = Sequential(configurations: [.randomTranslation(height: 0.1, width: 0.2), .randomRotation(factor: 0.05),
                                                .flatten, .batchNormalization(momentum: 0.9, epsilon: 1e-2),
                                                .batchNormalization(momentum: 0.99, epsilon: 1e-3)])
        #expect(model.layers.map(\.name) == ["random_translation", "random_rotation", "flatten", "batch_normalization", "batch_normalization_1"])
        #expect(model.configurations[3] == .batchNormalization(momentum: 0.9, epsilon: 1e-2))
        #expect(model.configurations[0] == .randomTranslation(height: 0.1, width: 0.2))
        let bn = try #require(model.layers[3] as? BatchNormalization)
        #expect(bn.momentum == 0.9 && bn.epsilon == 1e-2)
    }

    func expectClose(_ values: [Float], _ expected: [Float], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(values.count == expected.count, sourceLocation: sourceLocation)
        for (value, target) in zip(values, expected) {
            #expect(abs(value - target) <= 1e-5 * max(1, abs(target)), "\(value) against \(target)", sourceLocation: sourceLocation)
        }
    }
}
