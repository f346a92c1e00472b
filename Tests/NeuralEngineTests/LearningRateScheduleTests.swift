import Foundation
import NeuralEngine
import Testing

@Suite("Learning-rate schedules and the encoded specs")
struct LearningRateScheduleTests {
    @Test func cosineDecayMatchesTheFormulaByHand() {
        let schedule = CosineDecay(initialLearningRate: 0.1, decaySteps: 10, alpha: 0.1)
        // Step 0: the initial rate; half-way, cos(π/2) = 0: 0.1 · (0.9 · 0.5 + 0.1) = 0.055;
        // at the end and beyond, cos(π) = −1: 0.1 · 0.1 = 0.01.
        #expect(abs(schedule.learningRate(atStep: 0) - 0.1) < 1e-8)
        #expect(abs(schedule.learningRate(atStep: 5) - 0.055) < 1e-8)
        #expect(abs(schedule.learningRate(atStep: 10) - 0.01) < 1e-8)
        #expect(abs(schedule.learningRate(atStep: 25) - 0.01) < 1e-8)
        // A quarter of the way: 0.1 · (0.9 · 0.5 · (1 + cos(π/4)) + 0.1).
        let quarter = CosineDecay(initialLearningRate: 0.1, decaySteps: 4, alpha: 0.1).learningRate(atStep: 1)
        #expect(abs(Double(quarter) - 0.1 * (0.9 * 0.5 * (1 + cos(Double.pi / 4)) + 0.1)) < 1e-8)
        // Without alpha the rate decays to 0.
        #expect(CosineDecay(initialLearningRate: 1, decaySteps: 3).learningRate(atStep: 3) == 0)
    }

    @Test func sgdFollowsTheScheduleStepByStep() {
        let schedule = CosineDecay(initialLearningRate: 0.5, decaySteps: 4, alpha: 0)
        let sgd = SGD(learningRate: schedule)
        let p = Parameter(name: "kernel", value: Tensor(shape: [1], scalars: [10]))
        p.gradient = Tensor(shape: [1], scalars: [1])
        var expected: Float = 10
        for step in 0..<6 {
            sgd.apply(to: [p])
            // The update after `step` updates uses lr(step), as Keras's optimizer.iterations does.
            expected -= schedule.learningRate(atStep: step)
            #expect(abs(p.value.scalars[0] - expected) < 1e-6, "step \(step)")
        }
        #expect(sgd.iterations == 6)
        #expect(sgd.currentLearningRate == schedule.learningRate(atStep: 6))
        #expect(sgd.configuration == .sgd(learningRate: 0.5, schedule: schedule))
    }

    @Test func adamUsesTheScheduledRateInItsBiasCorrectedStep() {
        let schedule = CosineDecay(initialLearningRate: 0.1, decaySteps: 2, alpha: 0.5)
        let scheduled = Adam(learningRate: schedule)
        let p = Parameter(name: "kernel", value: Tensor(shape: [1], scalars: [1]))
        // Step 1 at lr(0) = 0.1, exactly as a constant Adam at 0.1.
        let constant = Adam(learningRate: 0.1)
        let q = Parameter(name: "kernel", value: Tensor(shape: [1], scalars: [1]))
        p.gradient = Tensor(shape: [1], scalars: [2])
        q.gradient = p.gradient
        scheduled.apply(to: [p])
        constant.apply(to: [q])
        #expect(p.value == q.value)
        // Step 2 at lr(1) = 0.1 · (0.5 · 0.5 · (1 + cos(π/2)) + 0.5) = 0.075.
        p.gradient = Tensor(shape: [1], scalars: [-1])
        scheduled.apply(to: [p])
        #expect(abs(scheduled.learningRate - 0.075) < 1e-7)
        let (m, v) = (0.9 * 0.2 + 0.1 * -1.0, 0.999 * 0.004 + 0.001)
        let w1 = 1 - 0.1 * (1 - 0.999).squareRoot() / (1 - 0.9) * 0.2 / (0.004.squareRoot() + 1e-7)
        let w2 = w1 - 0.075 * (1 - 0.999 * 0.999).squareRoot() / (1 - 0.81) * m / (v.squareRoot() + 1e-7)
        #expect(abs(Double(p.value.scalars[0]) - w2) < 1e-6)
        #expect(scheduled.currentLearningRate == 0.05)
    }

    @Test func configurationsCarryTheScheduleAndRoundTrip() throws {
        let schedule = CosineDecay(initialLearningRate: 0.01, decaySteps: 4690, alpha: 0.01)
        for configuration in [OptimizerConfiguration.sgd(learningRate: 0.01, schedule: schedule),
                              .adam(learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, schedule: schedule)] {
            let json = try JSONEncoder().encode(configuration)
            #expect(try JSONDecoder().decode(OptimizerConfiguration.self, from: json) == configuration)
            let optimizer = configuration.makeOptimizer()
            #expect(optimizer.schedule == schedule)
            #expect(optimizer.configuration == configuration)
        }
        // A schedule read from a file is checked as `init` checks it, naming the bad value.
        let bad = #"{"sgd":{"learningRate":0.1,"schedule":{"initialLearningRate":0.1,"decaySteps":0,"alpha":0}}}"#
        let error = try #require(throws: DecodingError.self) { try JSONDecoder().decode(OptimizerConfiguration.self, from: Data(bad.utf8)) }
        #expect("\(error)".contains("decay steps must be at least 1, got 0"))
    }

    @Test func fitRecordsTheRateAtTheEndOfEachEpoch() throws {
        let model = Sequential([Flatten(), Dense(units: 2, activation: .softmax)])
        var generator = SeededGenerator(seed: 1)
        try model.build(inputShape: [2, 2, 1], using: &generator)
        let x = randomTensor(shape: [6, 2, 2, 1], using: &generator)
        let y = Tensor(oneHot: [0, 1, 0, 1, 1, 0], classes: 2)
        let schedule = CosineDecay(initialLearningRate: 0.2, decaySteps: 5, alpha: 0.1)
        // Three batches an epoch: after epochs 1, 2, 3 the optimizer has taken 3, 6, 9 steps.
        let (history, _) = try model.fit(x: x, y: y, batchSize: 2, epochs: 3, optimizer: SGD(learningRate: schedule), using: &generator)
        let expected = [3, 6, 9].map { Double(schedule.learningRate(atStep: $0)) }
        #expect(history.learningRate == expected)
        #expect(history.keyed["learning_rate"] == expected)
        let json = String(decoding: try JSONEncoder().encode(history), as: UTF8.self)
        #expect(json.contains("\"learning_rate\""))
    }

    /// The JSON of today's configurations is hashed into the training cache's keys: adding the
    /// new layers and the optional schedule must not change a byte of it. These strings were
    /// encoded before either existed.
    @Test func todaysModelsEncodeExactlyAsBefore() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        let mlp64: [LayerConfiguration] = [.flatten, .dense(units: 64, activation: .relu, l2: nil),
                                           .dense(units: 64, activation: .relu, l2: nil), .dense(units: 10, activation: .softmax, l2: nil)]
        let mlp500: [LayerConfiguration] = [.flatten, .dense(units: 500, activation: .relu, l2: 1e-5),
                                            .dense(units: 300, activation: .relu, l2: 1e-5), .dense(units: 10, activation: .softmax, l2: nil)]
        let lenet5: [LayerConfiguration] = [
            .zeroPadding2D(padding: 2),
            .conv2D(filters: 6, kernelSize: 5, strides: 1, padding: .valid, activation: .relu, l2: nil),
            .averagePooling2D(poolSize: 2, strides: 2),
            .conv2D(filters: 16, kernelSize: 5, strides: 1, padding: .valid, activation: .relu, l2: nil),
            .averagePooling2D(poolSize: 2, strides: 2),
            .flatten,
            .dense(units: 120, activation: .relu, l2: 1e-4),
            .dropout(rate: 0.5),
            .dense(units: 84, activation: .relu, l2: 1e-4),
            .dense(units: 10, activation: .softmax, l2: nil),
        ]
        #expect(try json(mlp64) == Self.mlp64JSON)
        #expect(try json(mlp500) == Self.mlp500JSON)
        #expect(try json(lenet5) == Self.lenet5JSON)
        #expect(try json(OptimizerConfiguration.sgd(learningRate: 0.1)) == Self.sgdJSON)
        #expect(try json(OptimizerConfiguration.adam(learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7)) == Self.adamJSON)
        #expect(try json(History()) == #"{"accuracy":[],"loss":[],"val_accuracy":[],"val_loss":[]}"#)
        // And what was written before decodes, without a schedule or a learning rate.
        #expect(try JSONDecoder().decode(OptimizerConfiguration.self, from: Data(Self.sgdJSON.utf8)) == .sgd(learningRate: 0.1))
        #expect(try JSONDecoder().decode(History.self, from: Data(#"{"accuracy":[1],"loss":[1],"val_accuracy":[],"val_loss":[]}"#.utf8)).learningRate == nil)
    }

    static let mlp64JSON = #"[{"flatten":{}},{"dense":{"activation":"relu","units":64}},{"dense":{"activation":"relu","units":64}},{"dense":{"activation":"softmax","units":10}}]"#
    static let mlp500JSON = #"[{"flatten":{}},{"dense":{"activation":"relu","l2":1e-05,"units":500}},{"dense":{"activation":"relu","l2":1e-05,"units":300}},{"dense":{"activation":"softmax","units":10}}]"#
    static let lenet5JSON = #"[{"zeroPadding2D":{"padding":2}},{"conv2D":{"activation":"relu","filters":6,"kernelSize":5,"padding":"valid","strides":1}},{"averagePooling2D":{"poolSize":2,"strides":2}},{"conv2D":{"activation":"relu","filters":16,"kernelSize":5,"padding":"valid","strides":1}},{"averagePooling2D":{"poolSize":2,"strides":2}},{"flatten":{}},{"dense":{"activation":"relu","l2":0.0001,"units":120}},{"dropout":{"rate":0.5}},{"dense":{"activation":"relu","l2":0.0001,"units":84}},{"dense":{"activation":"softmax","units":10}}]"#
    static let sgdJSON = #"{"sgd":{"learningRate":0.1}}"#
    static let adamJSON = #"{"adam":{"beta1":0.9,"beta2":0.999,"epsilon":1e-07,"learningRate":0.001}}"#
}
