import NeuralEngine
import Testing

@Suite("Convolution, padding, pooling and dropout")
struct ConvolutionTests {
    @Test("Conv2D passes the layer harness", arguments: [
        // (input, filters, kernel, strides, padding, expected output)
        ([5, 5, 2], 3, 3, 1, Padding.valid, [3, 3, 3]),
        ([5, 5, 2], 2, 3, 1, Padding.same, [5, 5, 2]),
        ([6, 5, 1], 2, 2, 2, Padding.valid, [3, 2, 2]),
        ([5, 5, 1], 2, 3, 2, Padding.same, [3, 3, 2]),
        // Single-channel inputs at stride 1 with rows of fewer than 16 outputs take the
        // transposed unrolling.
        ([6, 5, 1], 3, 3, 1, Padding.valid, [4, 3, 3]),
        ([5, 4, 1], 2, 3, 1, Padding.same, [5, 4, 2]),
        // With rows of 16 outputs or more they take the direct path along rows: a group of six
        // filters and a remainder, overlapping vectors, a lone last vector.
        ([4, 20, 1], 7, 3, 1, Padding.valid, [2, 18, 7]),
        ([3, 33, 1], 2, 2, 1, Padding.same, [3, 33, 2]),
        // Filters in whole vectors take the broadcasting direct path: five-position blocks and
        // single positions, six-value runs and their remainder, strides, padding, two chunks.
        ([6, 7, 2], 16, 3, 1, Padding.valid, [4, 5, 16]),
        ([7, 8, 3], 16, 3, 2, Padding.same, [4, 4, 16]),
        ([4, 8, 2], 32, 2, 1, Padding.valid, [3, 7, 32]),
        // LeNet's second layer in small: runs of 30 (twelve, twelve, six), two-row blocks.
        ([6, 9, 6], 16, 5, 1, Padding.valid, [2, 5, 16]),
        // Five output rows (a block of four and a lone last row, whose sums split even and odd
        // filters) and runs of two vectors (18 values): the input gradient's widest block.
        ([7, 5, 6], 16, 3, 1, Padding.valid, [5, 3, 16]),
    ])
    func conv2DHarness(input: [Int], filters: Int, kernel: Int, strides: Int, padding: Padding, output: [Int]) throws {
        let layer = Conv2D(filters: filters, kernelSize: kernel, strides: strides, padding: padding, activation: .linear)
        try LayerHarness(inputShape: input).check(layer, outputShape: output,
                                                  parameterCount: kernel * kernel * input[2] * filters + filters)
    }

    @Test("Each convolution algorithm, forced, passes the layer harness", arguments: [
        // (algorithm, input, filters, kernel, strides, padding, expected output)
        (ConvolutionAlgorithmKind.singleChannelRows, [4, 20, 1], 7, 3, 1, Padding.valid, [2, 18, 7]),
        (.singleChannelRows, [3, 17, 1], 8, 3, 1, .same, [3, 17, 8]),
        // Filters in sixteens: the sums run by filter vectors; the input gradient stays planar.
        (.singleChannelRows, [4, 16, 1], 16, 3, 1, .same, [4, 16, 16]),
        (.singleChannelRows, [3, 18, 1], 32, 2, 1, .valid, [2, 17, 32]),
        (.filterVectors, [6, 7, 2], 16, 3, 1, .valid, [4, 5, 16]),
        (.filterVectors, [5, 5, 3], 16, 3, 1, .same, [5, 5, 16]),
        (.filterVectors, [4, 20, 1], 16, 3, 1, .same, [4, 20, 16]),
        // The patch matrix: at stride 1 the input gradient is a convolution of the output
        // gradient ('valid', 'same', an even kernel whose extra padding is at the bottom right,
        // one channel unrolled transposed, whole vectors of channels); at stride 2 a col2im.
        (.patchMatrix, [5, 5, 2], 3, 3, 1, .valid, [3, 3, 3]),
        (.patchMatrix, [5, 6, 3], 4, 3, 1, .same, [5, 6, 4]),
        (.patchMatrix, [4, 5, 2], 3, 2, 1, .same, [4, 5, 3]),
        (.patchMatrix, [6, 5, 1], 3, 3, 1, .valid, [4, 3, 3]),
        (.patchMatrix, [4, 20, 1], 5, 3, 1, .same, [4, 20, 5]),
        (.patchMatrix, [4, 5, 32], 2, 3, 1, .same, [4, 5, 2]),
        (.patchMatrix, [6, 5, 1], 2, 2, 2, .valid, [3, 2, 2]),
        (.patchMatrix, [5, 5, 2], 3, 3, 2, .same, [3, 3, 3]),
        // Winograd: one tile, and several tiles in blocks of tile rows, 16 and 32 channels.
        (.winograd, [2, 2, 16], 16, 3, 1, .same, [2, 2, 16]),
        (.winograd, [4, 6, 16], 32, 3, 1, .same, [4, 6, 32]),
        (.winograd, [6, 4, 32], 16, 3, 1, .same, [6, 4, 16]),
    ])
    func forcedAlgorithmHarness(algorithm: ConvolutionAlgorithmKind, input: [Int], filters: Int, kernel: Int, strides: Int,
                                padding: Padding, output: [Int]) throws {
        let layer = Conv2D(filters: filters, kernelSize: kernel, strides: strides, padding: padding, activation: .linear)
        layer.forcedAlgorithm = algorithm
        try LayerHarness(inputShape: input, batch: 3).check(layer, outputShape: output,
                                                            parameterCount: kernel * kernel * input[2] * filters + filters)
        #expect(layer.algorithm == algorithm)
    }

    /// Every algorithm that can take a shape gives the same outputs and gradients, up to the
    /// order of the sums, on two workers and with a ReLU (whose derivative the runner applies).
    @Test("The algorithms agree with one another", arguments: [
        // (input, filters, kernel, strides, padding)
        ([18, 18, 1], 16, 3, 1, Padding.same),
        ([16, 17, 1], 32, 5, 1, .valid),
        ([9, 9, 8], 32, 3, 1, .same),
        ([10, 11, 32], 32, 3, 1, .same),
        // Winograd against the direct algorithms: the stronger CNN's shapes, and tile rows
        // longer than a block (more than 64 tiles a row).
        ([28, 28, 16], 16, 3, 1, .same),
        ([14, 14, 16], 32, 3, 1, .same),
        ([14, 14, 32], 32, 3, 1, .same),
        ([2, 130, 16], 16, 3, 1, .same),
        ([8, 8, 6], 16, 5, 1, .valid),
        ([9, 10, 4], 16, 3, 2, .same),
    ])
    func algorithmsAgree(input: [Int], filters: Int, kernel: Int, strides: Int, padding: Padding) throws {
        try withComputeThreads(2) {
            var results: [(ConvolutionAlgorithmKind, [[Float]])] = []
            for algorithm in ConvolutionAlgorithmKind.allCases {
                let layer = Conv2D(filters: filters, kernelSize: kernel, strides: strides, padding: padding, activation: .relu)
                layer.forcedAlgorithm = algorithm
                var generator = SeededGenerator(seed: 5)
                guard (try? layer.build(inputShape: input, using: &generator)) != nil else { continue }
                layer.bias.value = randomTensor(shape: [filters], using: &generator)
                let x = randomTensor(shape: [5] + input, using: &generator)
                let y = layer.forward(x, training: true, using: &generator)
                let dy = randomTensor(shape: y.shape, using: &generator)
                let dx = try #require(layer.backward(dy, needsInputGradient: true))
                results.append((algorithm, [y.scalars, dx.scalars, layer.kernel.gradient.scalars, layer.bias.gradient.scalars]))
            }
            #expect(results.count >= 2, "at least two algorithms take \(input)")
            let names = ["output", "input gradient", "kernel gradient", "bias gradient"]
            for (algorithm, values) in results.dropFirst() {
                for (index, (a, b)) in zip(values, results[0].1).enumerated() {
                    // Winograd's F(4 × 4) rounds more (its error against Float64 is in
                    // WinogradTests): its kernel gradient reaches 2.8 · 10⁻⁴ here, where five
                    // items' sums cancel; the direct algorithms agree within 10⁻⁵.
                    let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
                    #expect(a.count == b.count && worst <= (algorithm == .winograd ? 1e-3 : 1e-4),
                            "\(algorithm) against \(results[0].0), \(names[index]): relative error \(worst)")
                }
            }
        }
    }

    @Test("Conv2D chooses its algorithm from the shape", arguments: [
        // LeNet-5's two convolutions keep their direct algorithms.
        ([32, 32, 1], 6, 5, 1, Padding.valid, ConvolutionAlgorithmKind.singleChannelRows),
        ([14, 14, 6], 16, 5, 1, .valid, .filterVectors),
        // A stronger CNN: rows for the single-channel input; Winograd for 3 × 3 'same' layers
        // with channels in sixteens, any sides; otherwise broadcasting below 64 channels (on
        // every CPU, so that every CPU computes the same bits), the patch matrix from there on.
        ([28, 28, 1], 32, 3, 1, .same, .singleChannelRows),
        ([28, 28, 16], 16, 3, 1, .same, .winograd),
        ([28, 28, 32], 32, 3, 1, .same, .winograd),
        ([14, 14, 32], 64, 3, 1, .same, .winograd),
        ([14, 14, 64], 64, 3, 1, .same, .winograd),
        ([7, 7, 32], 32, 3, 1, .same, .winograd),
        ([14, 14, 32], 32, 3, 1, .valid, .filterVectors),
        ([14, 14, 63], 16, 3, 1, .same, .filterVectors),
        ([14, 14, 64], 48, 5, 1, .same, .patchMatrix),
        // Rows shorter than a vector, strides, filters not in whole vectors: the patch matrix.
        ([6, 5, 1], 3, 3, 1, .valid, .patchMatrix),
        ([28, 28, 1], 6, 5, 2, .same, .patchMatrix),
        ([5, 5, 2], 3, 3, 1, .valid, .patchMatrix),
        ([7, 8, 3], 16, 3, 2, .same, .filterVectors),
    ])
    func algorithmChoice(input: [Int], filters: Int, kernel: Int, strides: Int, padding: Padding,
                         expected: ConvolutionAlgorithmKind) throws {
        let layer = Conv2D(filters: filters, kernelSize: kernel, strides: strides, padding: padding)
        var generator = SeededGenerator(seed: 1)
        _ = try layer.build(inputShape: input, using: &generator)
        #expect(layer.algorithm == expected)
    }

    @Test func forcingAnAlgorithmThatCannotTakeTheShapeFailsByName() {
        let layer = Conv2D(filters: 5, kernelSize: 3)
        layer.forcedAlgorithm = .filterVectors
        var generator = SeededGenerator(seed: 1)
        #expect(throws: EngineError.invalidArgument("conv2d: the filterVectors convolution cannot take input [6, 6, 2]")) {
            try layer.build(inputShape: [6, 6, 2], using: &generator)
        }
    }

    @Test func conv2DHarnessOnTwoWorkers() throws {
        try withComputeThreads(2) {
            try LayerHarness(inputShape: [6, 6, 2], batch: 5).check(
                Conv2D(filters: 3, kernelSize: 3, activation: .linear), outputShape: [4, 4, 3], parameterCount: 57)
            try LayerHarness(inputShape: [6, 6, 1], batch: 5).check(
                Conv2D(filters: 3, kernelSize: 3, padding: .same, activation: .linear), outputShape: [6, 6, 3], parameterCount: 30)
            try LayerHarness(inputShape: [4, 20, 1], batch: 5).check(
                Conv2D(filters: 7, kernelSize: 3, activation: .linear), outputShape: [2, 18, 7], parameterCount: 70)
            try LayerHarness(inputShape: [6, 7, 2], batch: 5).check(
                Conv2D(filters: 16, kernelSize: 3, activation: .linear), outputShape: [4, 5, 16], parameterCount: 304)
        }
    }

    /// The direct methods multiply each item's gradient by the ReLU's derivative inside their
    /// workers; that must equal masking the gradient first and back-propagating it through the
    /// same layer without activation. (Finite differences would straddle ReLU kinks here.)
    @Test(arguments: [([4, 20, 1], 7), ([6, 7, 2], 16), ([5, 5, 2], 3)])
    func conv2DWithReLUBackPropagatesTheMaskedGradient(input: [Int], filters: Int) throws {
        try withComputeThreads(2) {
            var generator = SeededGenerator(seed: 9)
            let relu = Conv2D(filters: filters, kernelSize: 3, activation: .relu)
            let linear = Conv2D(filters: filters, kernelSize: 3, activation: .linear)
            _ = try relu.build(inputShape: input, using: &generator)
            _ = try linear.build(inputShape: input, using: &generator)
            for (a, b) in zip(relu.parameters, linear.parameters) { b.value = a.value }
            relu.bias.value = randomTensor(shape: [filters], using: &generator)
            linear.bias.value = relu.bias.value
            let x = randomTensor(shape: [5] + input, using: &generator)
            let y = relu.forward(x, training: true, using: &generator)
            let z = linear.forward(x, training: true, using: &generator)
            #expect(y.scalars == z.scalars.map { max($0, 0) })
            let g = randomTensor(shape: y.shape, using: &generator)
            let dxReLU = try #require(relu.backward(g, needsInputGradient: true))
            let masked = Tensor(shape: g.shape, scalars: zip(g.scalars, y.scalars).map { $1 > 0 ? $0 : 0 })
            let dxLinear = try #require(linear.backward(masked, needsInputGradient: true))
            func close(_ a: [Float], _ b: [Float]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) } }
            #expect(close(dxReLU.scalars, dxLinear.scalars), "input gradient")
            #expect(close(relu.kernel.gradient.scalars, linear.kernel.gradient.scalars), "kernel gradient")
            #expect(close(relu.bias.gradient.scalars, linear.bias.gradient.scalars), "bias gradient")
        }
    }

    @Test func conv2DComputesACorrelationWithTheKerasKernelLayout() throws {
        // One 3 × 3 image, one 2 × 2 kernel with two output channels.
        let layer = Conv2D(filters: 2, kernelSize: 2)
        var generator = SeededGenerator(seed: 1)
        _ = try layer.build(inputShape: [3, 3, 1], using: &generator)
        // Kernel (kh, kw, in, out): channel 0 is [[1, 2], [3, 4]], channel 1 is all ones.
        layer.kernel.value = Tensor(shape: [2, 2, 1, 2], scalars: [1, 1, 2, 1, 3, 1, 4, 1])
        layer.bias.value = Tensor(shape: [2], scalars: [0, 10])
        let x = Tensor(shape: [1, 3, 3, 1], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let y = layer.forward(x, training: false, using: &generator)
        // Top-left window [1, 2; 4, 5]: 1 + 4 + 12 + 20 = 37 and 12 + 10 = 22.
        #expect(y.shape == [1, 2, 2, 2])
        #expect(y.scalars == [37, 22, 47, 26, 67, 34, 77, 38])
    }

    @Test func zeroPaddingHarnessAndValues() throws {
        try LayerHarness(inputShape: [2, 3, 2]).check(ZeroPadding2D(padding: 1), outputShape: [4, 5, 2], parameterCount: 0)
        let layer = ZeroPadding2D(padding: 1)
        var generator = SeededGenerator(seed: 1)
        _ = try layer.build(inputShape: [1, 1, 1], using: &generator)
        let y = layer.forward(Tensor(shape: [1, 1, 1, 1], scalars: [7]), training: false, using: &generator)
        #expect(y.scalars == [0, 0, 0, 0, 7, 0, 0, 0, 0])
    }

    @Test func poolingLayersPassTheHarness() throws {
        try LayerHarness(inputShape: [4, 4, 2]).check(AveragePooling2D(poolSize: 2, strides: 2), outputShape: [2, 2, 2], parameterCount: 0)
        try LayerHarness(inputShape: [5, 5, 1]).check(AveragePooling2D(poolSize: 3, strides: 1), outputShape: [3, 3, 1], parameterCount: 0)
        // Tiling windows over an input they do not cover whole: the last row and column get no gradient.
        try LayerHarness(inputShape: [5, 7, 3]).check(AveragePooling2D(poolSize: 2), outputShape: [2, 3, 3], parameterCount: 0)
        try LayerHarness(inputShape: [4, 4, 2]).check(MaxPooling2D(poolSize: 2), outputShape: [2, 2, 2], parameterCount: 0)
        try LayerHarness(inputShape: [5, 4, 1]).check(MaxPooling2D(poolSize: 2, strides: 1), outputShape: [4, 3, 1], parameterCount: 0)
    }

    @Test func poolingMatchesHandComputedValues() throws {
        var generator = SeededGenerator(seed: 1)
        // 4 × 4 single-channel image 1…16.
        let x = Tensor(shape: [1, 4, 4, 1], scalars: (1...16).map(Float.init))
        let average = AveragePooling2D(poolSize: 2, strides: 2)
        _ = try average.build(inputShape: [4, 4, 1], using: &generator)
        #expect(average.forward(x, training: false, using: &generator).scalars == [3.5, 5.5, 11.5, 13.5])
        let maximum = MaxPooling2D(poolSize: 2)
        _ = try maximum.build(inputShape: [4, 4, 1], using: &generator)
        #expect(maximum.forward(x, training: false, using: &generator).scalars == [6, 8, 14, 16])
        // The max-pool gradient lands on each window's maximum only.
        let dx = try #require(maximum.backward(Tensor(shape: [1, 2, 2, 1], scalars: [1, 2, 3, 4]), needsInputGradient: true))
        #expect(dx.scalars == [0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4])
        // The average-pool gradient spreads a quarter over each window.
        let da = try #require(average.backward(Tensor(shape: [1, 2, 2, 1], scalars: [4, 8, 12, 16]), needsInputGradient: true))
        #expect(da.scalars == [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
    }

    @Test func dropoutScalesSurvivorsInTrainingAndIsTheIdentityAtInference() throws {
        let layer = Dropout(rate: 0.5)
        var generator = SeededGenerator(seed: 8)
        _ = try layer.build(inputShape: [1000], using: &generator)
        let x = Tensor(repeating: 1, shape: [2, 1000])
        let y = layer.forward(x, training: true, using: &generator)
        #expect(y.scalars.allSatisfy { $0 == 0 || $0 == 2 })
        let kept = y.scalars.filter { $0 != 0 }.count
        #expect(kept > 900 && kept < 1100)
        #expect(layer.forward(x, training: false, using: &generator) == x)
        // In training the gradient flows through the same mask.
        _ = layer.forward(x, training: true, using: &generator)
        let mask = layer.forward(x, training: true, using: &generator)
        let g = try #require(layer.backward(Tensor(repeating: 1, shape: [2, 1000]), needsInputGradient: true))
        #expect(g == mask)
    }

    @Test func dropoutPassesTheHarnessInTraining() throws {
        try LayerHarness(inputShape: [6], training: true).check(Dropout(rate: 0.3), outputShape: [6], parameterCount: 0)
    }

    @Test func leNet5HasTheNotebooksParameterCount() throws {
        let model = Sequential([
            ZeroPadding2D(padding: 2),
            Conv2D(filters: 6, kernelSize: 5, activation: .relu),
            AveragePooling2D(poolSize: 2, strides: 2),
            Conv2D(filters: 16, kernelSize: 5, activation: .relu),
            AveragePooling2D(poolSize: 2, strides: 2),
            Flatten(),
            Dense(units: 120, activation: .relu, kernelRegularizer: L2(1e-4)),
            Dropout(rate: 0.5),
            Dense(units: 84, activation: .relu, kernelRegularizer: L2(1e-4)),
            Dense(units: 10, activation: .softmax),
        ])
        var generator = SeededGenerator(seed: 1)
        try model.build(inputShape: [28, 28, 1], using: &generator)
        #expect(model.parameterCount == 61_706)
        #expect(model.layers.map(\.name).contains("conv2d_1"))
        #expect(model.summary().contains("Total params: 61,706"))
    }
}
