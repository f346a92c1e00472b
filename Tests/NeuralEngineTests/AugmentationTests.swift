import NeuralEngine
import Testing

@Suite("Data augmentation")
struct AugmentationTests {
    @Test func translationPassesTheHarnessInTraining() throws {
        // Fractional shifts up to 1 row and 1.8 columns: bilinear taps, some outside the image.
        try LayerHarness(inputShape: [5, 6, 2], batch: 3, training: true)
            .check(RandomTranslation(heightFactor: 0.2, widthFactor: 0.3), outputShape: [5, 6, 2], parameterCount: 0)
    }

    @Test func rotationPassesTheHarnessInTraining() throws {
        try LayerHarness(inputShape: [5, 5, 1], batch: 3, training: true)
            .check(RandomRotation(factor: 0.1), outputShape: [5, 5, 1], parameterCount: 0)
        try LayerHarness(inputShape: [4, 6, 3], batch: 2, training: true)
            .check(RandomRotation(factor: 0.5), outputShape: [4, 6, 3], parameterCount: 0)
    }

    @Test func bothAreTheIdentityAtInferenceAndKeepShapes() throws {
        var generator = SeededGenerator(seed: 4)
        let x = randomTensor(shape: [3, 7, 8, 2], using: &generator)
        for layer in [RandomTranslation(heightFactor: 0.3, widthFactor: 0.3), RandomRotation(factor: 0.2)] as [any Layer] {
            #expect(try layer.build(inputShape: [7, 8, 2], using: &generator) == [7, 8, 2])
            let before = generator
            #expect(layer.forward(x, training: false, using: &generator) == x)
            #expect(generator == before, "inference draws nothing")
            #expect(layer.backward(x, needsInputGradient: true) == x)
            let y = layer.forward(x, training: true, using: &generator)
            #expect(y.shape == x.shape)
            #expect(y != x)
            #expect(layer.backward(y, needsInputGradient: false) == nil)
        }
    }

    @Test func drawsAreDeterministicForASeedAndDifferBetweenSeeds() throws {
        var generator = SeededGenerator(seed: 4)
        let x = randomTensor(shape: [4, 6, 6, 1], using: &generator)
        for make in [{ RandomTranslation(heightFactor: 0.2, widthFactor: 0.2) as any Layer }, { RandomRotation(factor: 0.1) }] {
            func output(seed: UInt64) throws -> Tensor {
                let layer = make()
                var g = SeededGenerator(seed: seed)
                _ = try layer.build(inputShape: [6, 6, 1], using: &g)
                return layer.forward(x, training: true, using: &g)
            }
            #expect(try output(seed: 1) == output(seed: 1))
            #expect(try output(seed: 1) != output(seed: 2))
        }
    }

    @Test func zeroFactorsLeaveTheImagesAsTheyAre() throws {
        var generator = SeededGenerator(seed: 4)
        let x = randomTensor(shape: [2, 5, 5, 3], using: &generator)
        for layer in [RandomTranslation(heightFactor: 0, widthFactor: 0), RandomRotation(factor: 0)] as [any Layer] {
            _ = try layer.build(inputShape: [5, 5, 3], using: &generator)
            #expect(layer.forward(x, training: true, using: &generator) == x)
        }
    }

    @Test func translationMovesByWholeAndHalfPixelsWithZeroFill() {
        // One 3 × 3 image, one channel: 1…9 by rows.
        let x = Tensor(shape: [1, 3, 3, 1], scalars: (1...9).map(Float.init))
        // One column right: output(x, y) = input(x − 1, y); the first column is the fill, 0.
        let right = AffineResampling.forward(x, transforms: [.translation(dx: 1, dy: 0)])
        #expect(right.scalars == [0, 1, 2, 0, 4, 5, 0, 7, 8])
        // One row up.
        let up = AffineResampling.forward(x, transforms: [.translation(dx: 0, dy: -1)])
        #expect(up.scalars == [4, 5, 6, 7, 8, 9, 0, 0, 0])
        // Half a column right: the mean of each pixel and its left neighbour (0 beyond the edge).
        let half = AffineResampling.forward(x, transforms: [.translation(dx: 0.5, dy: 0)])
        #expect(half.scalars == [0.5, 1.5, 2.5, 2, 4.5, 5.5, 3.5, 7.5, 8.5])
    }

    @Test func rotationByAQuarterTurnIsAboutTheCentre() {
        let x = Tensor(shape: [1, 3, 3, 1], scalars: (1...9).map(Float.init))
        // Keras's transform at θ = π/2 samples output(x, y) = input(x′ = 2 − y, y′ = x): the
        // input's right column becomes the top row, a counter-clockwise turn as Keras documents
        // for positive angles, and the centre stays.
        let y = AffineResampling.forward(x, transforms: [.rotation(angle: .pi / 2, height: 3, width: 3)])
        let expected: [Float] = [3, 6, 9, 2, 5, 8, 1, 4, 7]
        for (value, target) in zip(y.scalars, expected) { #expect(abs(value - target) < 1e-5) }
    }

    /// ⟨forward(x), g⟩ = ⟨x, backward(g)⟩ for any x and g: the backward pass is the exact adjoint.
    @Test func backwardIsTheAdjointOfTheResampling() {
        var generator = SeededGenerator(seed: 11)
        let x = randomTensor(shape: [3, 9, 7, 3], using: &generator)
        let g = randomTensor(shape: [3, 9, 7, 3], using: &generator)
        let transforms: [AffineTransform] = [.rotation(angle: 0.7, height: 9, width: 7), .translation(dx: -2.3, dy: 1.6),
                                             .rotation(angle: -2.9, height: 9, width: 7)]
        let y = AffineResampling.forward(x, transforms: transforms)
        let dx = AffineResampling.backward(g, transforms: transforms)
        let left = zip(y.scalars, g.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let right = zip(x.scalars, dx.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        #expect(abs(left - right) < 1e-4)
    }

    @Test func drawnShiftsAndAnglesStayWithinTheirFactors() throws {
        // A single bright pixel at the centre of 21 × 21 images moves by at most 0.1 · 21 = 2.1 pixels.
        var generator = SeededGenerator(seed: 8)
        var scalars = [Float](repeating: 0, count: 64 * 21 * 21)
        for n in 0..<64 { scalars[n * 441 + 10 * 21 + 10] = 1 }
        let x = Tensor(shape: [64, 21, 21, 1], scalars: scalars)
        let layer = RandomTranslation(heightFactor: 0.1, widthFactor: 0.1)
        _ = try layer.build(inputShape: [21, 21, 1], using: &generator)
        let y = layer.forward(x, training: true, using: &generator)
        var farthest = 0
        for n in 0..<64 {
            for p in 0..<441 where y.scalars[n * 441 + p] > 0 {
                farthest = max(farthest, abs(p / 21 - 10), abs(p % 21 - 10))
            }
        }
        #expect(farthest >= 2 && farthest <= 3)
        // The brightness is conserved where nothing leaves the image.
        for n in 0..<64 { #expect(abs(y.scalars[(n * 441)..<((n + 1) * 441)].reduce(0, +) - 1) < 1e-5) }
    }

    @Test func aModelWithAugmentationTrains() throws {
        let model = Sequential([RandomTranslation(heightFactor: 0.1, widthFactor: 0.1), RandomRotation(factor: 0.05),
                                Conv2D(filters: 2, kernelSize: 3, activation: .relu), BatchNormalization(), Flatten(),
                                Dense(units: 2, activation: .softmax)])
        var generator = SeededGenerator(seed: 2)
        try model.build(inputShape: [6, 6, 1], using: &generator)
        let x = randomTensor(shape: [8, 6, 6, 1], using: &generator)
        let y = Tensor(oneHot: [0, 1, 0, 1, 1, 0, 0, 1], classes: 2)
        let (history, _) = try model.fit(x: x, y: y, batchSize: 4, epochs: 2, optimizer: SGD(learningRate: 0.1), using: &generator)
        #expect(history.loss.count == 2 && history.loss.allSatisfy(\.isFinite))
        #expect(history.learningRate == nil, "a constant rate is not recorded")
        // Inference is deterministic: no augmentation.
        #expect(try model.predict(x) == model.predict(x))
    }
}
