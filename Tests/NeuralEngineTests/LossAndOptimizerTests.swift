import NeuralEngine
import Testing
import Foundation

@Suite("Loss and optimisers")
struct LossAndOptimizerTests {
    @Test func crossEntropyIsMinusLogOfTheTrueClass() {
        let p = Tensor(shape: [2, 3], scalars: [0.7, 0.2, 0.1, 0.25, 0.25, 0.5])
        let y = Tensor(oneHot: [0, 2], classes: 3)
        let expected = (-log(0.7) - log(0.5)) / 2
        #expect(abs(Double(CategoricalCrossentropy()(probabilities: p, labels: y)) - expected) < 1e-6)
    }

    @Test func crossEntropyClipsLikeKeras() {
        // A confidently wrong prediction: p(true) = 0 is clipped to 1e-7, so the loss is −log(1e-7).
        let p = Tensor(shape: [1, 2], scalars: [1, 0])
        let y = Tensor(oneHot: [1], classes: 2)
        let loss = CategoricalCrossentropy()(probabilities: p, labels: y)
        #expect(abs(loss - 16.118_095) < 1e-3)
        // A perfect prediction is clipped at 1 − 1e-7: a tiny positive loss, not zero.
        let perfect = CategoricalCrossentropy()(probabilities: Tensor(shape: [1, 2], scalars: [0, 1]), labels: y)
        #expect(perfect > 0 && perfect < 1e-6)
    }

    @Test func clippedItemsAreThoseWhoseTrueClassFallsBelowEpsilon() {
        // Rows: true class at 1e-8 (clipped), at 0 (clipped), at 2e-7 (not), a wrong class at 1e-9 (not).
        let p = Tensor(shape: [4, 2], scalars: [1e-8, 1 - 1e-8, 0, 1, 2e-7, 1 - 2e-7, 1e-9, 1 - 1e-9])
        let y = Tensor(oneHot: [0, 0, 0, 1], classes: 2)
        #expect(CategoricalCrossentropy().clippedCount(probabilities: p, labels: y) == 2)
    }

    @Test func fusedGradientIsPMinusYOverN() {
        let p = Tensor(shape: [2, 2], scalars: [0.8, 0.2, 0.4, 0.6])
        let y = Tensor(oneHot: [0, 0], classes: 2)
        let g = CategoricalCrossentropy().logitGradient(probabilities: p, labels: y)
        let expected: [Float] = [-0.1, 0.1, -0.3, 0.3]
        for (a, b) in zip(g.scalars, expected) { #expect(abs(a - b) < 1e-6) }
    }

    @Test func l2AddsFactorTimesSumOfSquaresAndTwiceFactorTimesWToTheGradient() {
        let w = Tensor(shape: [3], scalars: [1, -2, 3])
        #expect(abs(L2(0.5).loss(w) - 7) < 1e-6)
        var g = Tensor(shape: [3], scalars: [1, 1, 1])
        L2(0.5).addGradient(of: w, to: &g)
        #expect(g.scalars == [2, -1, 4])
    }

    @Test func sgdStepsAgainstTheGradient() {
        let p = Parameter(name: "kernel", value: Tensor(shape: [2], scalars: [1, -1]))
        p.gradient = Tensor(shape: [2], scalars: [0.5, -2])
        SGD(learningRate: 0.1).apply(to: [p])
        // w − 0.1 g = [1 − 0.05, −1 + 0.2]
        #expect(abs(p.value.scalars[0] - 0.95) < 1e-7 && abs(p.value.scalars[1] + 0.8) < 1e-7)
    }

    @Test("SGD adds the penalty in its update's pass: the bits of the gradient's sum, then the step")
    func sgdPenaltyInTheStep() {
        var generator = SeededGenerator(seed: 11)
        // 37 values: whole vectors at every level and a tail; signed zeros and an infinity.
        var w = randomTensor(shape: [37], using: &generator).scalars
        var g = randomTensor(shape: [37], using: &generator).scalars
        (w[0], g[0], w[1], g[1], w[36], g[35]) = (-0.0, 0.0, 0.0, -0.0, .infinity, -0.0)
        let l2 = L2(1e-5)
        let fused = Parameter(name: "kernel", value: Tensor(shape: [37], scalars: w), regularizer: l2)
        let plain = Parameter(name: "kernel", value: Tensor(shape: [37], scalars: w), regularizer: l2)
        fused.gradient = Tensor(shape: [37], scalars: g)
        plain.gradient = fused.gradient
        SGD(learningRate: 0.1).apply(to: [fused], addingPenalties: true)
        l2.addGradient(of: plain.value, to: &plain.gradient)
        SGD(learningRate: 0.1).apply(to: [plain])
        #expect(fused.value.scalars.map(\.bitPattern) == plain.value.scalars.map(\.bitPattern))
        #expect(fused.value.scalars != w, "the step moved the weights")
        #expect(fused.gradient.scalars.map(\.bitPattern) == g.map(\.bitPattern), "the layers' gradient is left as it was")
    }

    @Test func adamMatchesTwoStepsComputedByHand() {
        let p = Parameter(name: "kernel", value: Tensor(shape: [1], scalars: [1]))
        let adam = Adam(learningRate: 0.1)
        // Step 1, g = 2: m = 0.2, v = 0.004; lr_t = 0.1 · √(1 − 0.999) / (1 − 0.9);
        // w = 1 − lr_t · 0.2 / (√0.004 + 1e-7).
        p.gradient = Tensor(shape: [1], scalars: [2])
        adam.apply(to: [p])
        var m = 0.2, v = 0.004
        var w = 1 - 0.1 * (1 - 0.999).squareRoot() / (1 - 0.9) * m / (v.squareRoot() + 1e-7)
        #expect(abs(Double(p.value.scalars[0]) - w) < 1e-6)
        // Step 2, g = −1: m = 0.9 · 0.2 − 0.1, v = 0.999 · 0.004 + 0.001.
        p.gradient = Tensor(shape: [1], scalars: [-1])
        adam.apply(to: [p])
        m = 0.9 * 0.2 + 0.1 * -1
        v = 0.999 * 0.004 + 0.001 * 1
        w -= 0.1 * (1 - 0.999 * 0.999).squareRoot() / (1 - 0.81) * m / (v.squareRoot() + 1e-7)
        #expect(abs(Double(p.value.scalars[0]) - w) < 1e-6)
        #expect(adam.step == 2)
    }
}
