import NeuralEngine
import Testing

/// One check applied to every layer, in the spirit of Keras's `run_layer_test`: the output
/// shape, the parameter count, and central finite differences of a fixed linear loss
/// L = Σ rᵢ · outᵢ with respect to every input value and every parameter value. Every forward
/// gets a generator with the same seed, so random layers (dropout, augmentation) make the same
/// draws in each and their gradients are checked for that draw.
struct LayerHarness {
    var inputShape: [Int]
    var batch = 2
    var training = false
    var step: Float = 1e-2
    var tolerance: Float = 2e-2

    /// Runs the whole check on a freshly built layer.
    func check(_ layer: any Layer, outputShape: [Int], parameterCount: Int,
               sourceLocation: SourceLocation = #_sourceLocation) throws {
        var generator = SeededGenerator(seed: 42)
        let built = try layer.build(inputShape: inputShape, using: &generator)
        #expect(built == outputShape, "output shape", sourceLocation: sourceLocation)
        #expect(layer.outputShape == outputShape, sourceLocation: sourceLocation)
        #expect(layer.parameterCount == parameterCount, "parameter count", sourceLocation: sourceLocation)
        // Non-zero biases (and BatchNormalization's beta, gamma other than ones), so their
        // gradients are exercised away from the initial values; moving statistics other than
        // 0 and 1 (a positive variance), so inference mode uses them.
        for p in layer.parameters where ["bias", "beta", "gamma"].contains(p.name) {
            p.value = randomTensor(shape: p.value.shape, using: &generator)
        }
        for w in layer.nonTrainableWeights {
            w.value = Tensor(shape: w.value.shape, scalars: randomTensor(shape: w.value.shape, using: &generator).scalars.map { abs($0) + 0.5 })
        }
        let nonTrainable = layer.nonTrainableWeights.map(\.value)

        var input = randomTensor(shape: [batch] + inputShape, using: &generator)
        let weights = randomTensor(shape: [batch] + outputShape, using: &generator)
        let dropoutSeed = generator.next()

        func loss() -> Double {
            var g = SeededGenerator(seed: dropoutSeed)
            let out = layer.forward(input, training: training, using: &g)
            return zip(out.scalars, weights.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        var g = SeededGenerator(seed: dropoutSeed)
        let out = layer.forward(input, training: training, using: &g)
        #expect(out.shape == [batch] + outputShape, sourceLocation: sourceLocation)
        let inputGradient = try #require(layer.backward(weights, needsInputGradient: true), sourceLocation: sourceLocation)
        #expect(inputGradient.shape == input.shape, sourceLocation: sourceLocation)
        let parameterGradients = layer.parameters.map(\.gradient)

        for i in 0..<input.count {
            let numeric = centralDifference(loss) { input.scalars[i] += $0 }
            expectClose(inputGradient.scalars[i], numeric, "input[\(i)]", sourceLocation)
        }
        // Inference leaves the moving statistics alone; a training forward moves them.
        if !training {
            #expect(layer.nonTrainableWeights.map(\.value) == nonTrainable, "moving statistics", sourceLocation: sourceLocation)
        }
        for (p, gradient) in zip(layer.parameters, parameterGradients) {
            for i in 0..<p.count {
                let numeric = centralDifference(loss) { p.value.scalars[i] += $0 }
                expectClose(gradient.scalars[i], numeric, "\(p.name)[\(i)]", sourceLocation)
            }
        }
    }

    /// (L(x + h) − L(x − h)) / 2h, where `nudge` moves x by its argument.
    func centralDifference(_ loss: () -> Double, nudge: (Float) -> Void) -> Float {
        nudge(step)
        let plus = loss()
        nudge(-2 * step)
        let minus = loss()
        nudge(step)
        return Float((plus - minus) / (2 * Double(step)))
    }

    func expectClose(_ analytic: Float, _ numeric: Float, _ what: String, _ location: SourceLocation) {
        let error = abs(analytic - numeric)
        #expect(error <= tolerance * max(1, abs(numeric)),
                "\(what): analytic \(analytic), numeric \(numeric)", sourceLocation: location)
    }
}

/// Values uniform in [−1, 1), kept at least 0.05 away from zero so that a ReLU kink or a
/// pooling tie is never within a finite-difference step.
func randomTensor(shape: [Int], using generator: inout SeededGenerator) -> Tensor {
    Tensor(shape: shape) { out in
        for i in out.indices {
            let u = 2 * generator.nextUnitFloat() - 1
            out[i] = u < 0 ? min(u, -0.05) : max(u, 0.05)
        }
    }
}
