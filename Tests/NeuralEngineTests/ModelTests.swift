import NeuralEngine
import Testing

@Suite("Sequential models")
struct ModelTests {
    static func mlp(_ hidden: [Int], l2: Float? = nil) -> Sequential {
        Sequential([Flatten()] + hidden.map { Dense(units: $0, activation: .relu, kernelRegularizer: l2.map(L2.init)) }
                   + [Dense(units: 10, activation: .softmax)])
    }

    @Test("parameter counts of the notebook's dense models", arguments: [([64, 64], 55_050), ([500, 300], 545_810)])
    func parameterCounts(hidden: [Int], expected: Int) throws {
        let model = Self.mlp(hidden)
        var generator = SeededGenerator(seed: 1)
        try model.build(inputShape: [28, 28, 1], using: &generator)
        #expect(model.parameterCount == expected)
        #expect(model.summary().contains("Total params: \(Sequential.grouped(expected))"))
    }

    @Test func summaryNamesLayersLikeKeras() throws {
        let model = Self.mlp([64, 64])
        var generator = SeededGenerator(seed: 1)
        try model.build(inputShape: [28, 28, 1], using: &generator)
        #expect(model.layers.map(\.name) == ["flatten", "dense", "dense_1", "dense_2"])
        let summary = model.summary()
        #expect(summary.contains("dense_1 (Dense)"))
        #expect(summary.contains("(None, 784)"))
        #expect(summary.contains("50,240"))
        #expect(summary.contains("Total params: 55,050 (215.04 KB)"))
    }

    /// The whole loss of a model (mean cross-entropy after softmax, plus L2 penalties) against
    /// finite differences of every parameter: checks the fused softmax + cross-entropy gradient
    /// and the regulariser's gradient together.
    @Test func fullLossGradientMatchesFiniteDifferences() throws {
        let model = Sequential([Dense(units: 4, activation: .relu, kernelRegularizer: L2(0.05)),
                                Dense(units: 3, activation: .softmax, kernelRegularizer: L2(0.02))])
        var generator = SeededGenerator(seed: 9)
        try model.build(inputShape: [5], using: &generator)
        let x = randomTensor(shape: [4, 5], using: &generator)
        let y = Tensor(oneHot: [0, 2, 1, 2], classes: 3)
        let loss = CategoricalCrossentropy()
        func total() -> Double {
            var g = SeededGenerator(seed: 0)
            let p = model.forward(x, training: true, using: &g)
            return Double(loss(probabilities: p, labels: y)) + Double(model.regularizationLoss())
        }
        var g = SeededGenerator(seed: 0)
        let p = model.forward(x, training: true, using: &g)
        model.backward(loss.logitGradient(probabilities: p, labels: y), isLogitGradient: true)
        let harness = LayerHarness(inputShape: [5], step: 1e-2, tolerance: 1e-2)
        for parameter in model.parameters {
            let analytic = parameter.gradient
            for i in 0..<parameter.count {
                let numeric = harness.centralDifference(total) { parameter.value.scalars[i] += $0 }
                harness.expectClose(analytic.scalars[i], numeric, parameter.name, #_sourceLocation)
            }
        }
    }

    @Test func fitIsDeterministicForASeedAndDiffersForAnother() throws {
        func train(seed: UInt64) throws -> (History, [Float]) {
            var generator = SeededGenerator(seed: seed)
            let model = Self.mlp([8], l2: 1e-3)
            try model.build(inputShape: [4, 4, 1], using: &generator)
            var data = SeededGenerator(seed: 100)
            let x = randomTensor(shape: [50, 4, 4, 1], using: &data)
            let labels = (0..<50).map { $0 % 10 }
            let y = Tensor(oneHot: labels, classes: 10)
            let (history, _) = try model.fit(x: x, y: y, batchSize: 16, epochs: 3, optimizer: SGD(learningRate: 0.1),
                                             validationData: (x, y), using: &generator)
            return (history, model.parameters.flatMap(\.value.scalars))
        }
        let (a, weightsA) = try train(seed: 5)
        let (b, weightsB) = try train(seed: 5)
        let (c, weightsC) = try train(seed: 6)
        #expect(a == b)
        #expect(weightsA == weightsB)
        #expect(weightsA != weightsC)
        #expect(a.loss != c.loss)
        #expect(a.loss.count == 3 && a.valAccuracy.count == 3)
    }

    @Test func trainingLowersTheLossOnALearnableProblem() throws {
        // Two well-separated clusters: after a few epochs the model must fit them.
        var generator = SeededGenerator(seed: 2)
        let model = Sequential([Dense(units: 8, activation: .relu), Dense(units: 2, activation: .softmax)])
        try model.build(inputShape: [2], using: &generator)
        var points: [Float] = []
        var labels: [Int] = []
        for i in 0..<64 {
            let label = i % 2
            points += [Float(label) * 2 - 1 + 0.1 * (generator.nextUnitFloat() - 0.5), generator.nextUnitFloat() - 0.5]
            labels.append(label)
        }
        let x = Tensor(shape: [64, 2], scalars: points), y = Tensor(oneHot: labels, classes: 2)
        let (history, _) = try model.fit(x: x, y: y, batchSize: 8, epochs: 20, optimizer: SGD(learningRate: 0.1), using: &generator)
        #expect(history.loss.last! < history.loss.first! / 4)
        #expect(try model.evaluate(x: x, y: y).accuracy == 1)
    }
}
