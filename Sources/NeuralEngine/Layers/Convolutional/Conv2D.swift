/// Padding of a convolution or pooling window, as Keras names it.
public enum Padding: String, Codable, Sendable, Hashable {
    /// No padding: only windows that fit entirely inside the input.
    case valid
    /// Zero padding so that the output has ⌈input / stride⌉ positions; the extra row or column
    /// goes at the bottom or right, as in Keras.
    case same

    /// Output size and the padding before the first position, for one spatial dimension.
    func geometry(input: Int, kernel: Int, stride: Int) -> (output: Int, before: Int) {
        switch self {
        case .valid:
            return (input >= kernel ? (input - kernel) / stride + 1 : 0, 0)
        case .same:
            let output = (input + stride - 1) / stride
            let total = max((output - 1) * stride + kernel - input, 0)
            return (output, total / 2)
        }
    }
}

/// A 2-D convolution over channels-last images (Keras's `Conv2D`).
///
/// Input (N, H, W, C), kernel (kh, kw, C, filters) initialised Glorot-uniform with fans
/// kh·kw·C and kh·kw·filters, bias zero, output (N, H', W', filters). The convolution is
/// lowered onto matrix products: each worker unrolls its share of the batch into a
/// patch matrix (one row per output position, kh·kw·C columns, "im2col") and multiplies it by
/// the kernel seen as a (kh·kw·C) × filters matrix. Backward, dW = colsᵀ·dZ (each worker's
/// partial sum, added in worker order) and the patch gradient dZ·Wᵀ is scattered back onto
/// the input ("col2im").
public final class Conv2D: ActivatedLayer {
    public let filters: Int
    public let kernelSize: (height: Int, width: Int)
    public let strides: (height: Int, width: Int)
    public let padding: Padding
    public let activation: Activation
    public let kernelRegularizer: L2?
    public var name = "conv2d"
    public var typeName: String { "Conv2D" }
    public private(set) var outputShape: [Int] = []
    public private(set) var parameters: [Parameter] = []

    private var input = (height: 0, width: 0, channels: 0)
    private var output = (height: 0, width: 0)
    private var pad = (top: 0, left: 0)
    private var patches: [Float] = []
    private var patchGradients: [Float] = []
    private var lastBatch = 0
    private var lastInput = Tensor(shape: [0], scalars: [])
    private var lastOutput = Tensor(shape: [0], scalars: [])
    /// How the products are computed, chosen by `build` from the shapes.
    private var method = Method.patches
    /// Per-worker scratch of the direct methods, and the weights rearranged for them.
    private var scratch = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)
    private var arrangedWeights: [Float] = []
    private var laneSums: [Float] = []

    private enum Method {
        /// A single input channel at stride 1: expanded rows, no patch matrix.
        case singleChannel(SingleChannelConvolution)
        /// Filters in whole 16-lane vectors: weights broadcast against inputs, no patch matrix.
        case filterVectors(FilterVectorConvolution)
        /// Anything else: im2col and matrix products.
        case patches
    }

    /// - Parameters:
    ///   - filters: output channels, at least 1.
    ///   - kernelSize: the window, square when one number is given.
    ///   - strides: the step between windows (1 by default).
    ///   - padding: `.valid` (Keras's default) or `.same`.
    public init(filters: Int, kernelSize: Int, strides: Int = 1, padding: Padding = .valid,
                activation: Activation = .linear, kernelRegularizer: L2? = nil) {
        precondition(filters > 0, "Conv2D needs at least one filter, got filters: \(filters)")
        precondition(kernelSize > 0, "Conv2D kernel size must be positive, got kernelSize: \(kernelSize)")
        precondition(strides > 0, "Conv2D strides must be positive, got strides: \(strides)")
        precondition(activation != .softmax, "Conv2D does not take a softmax activation")
        self.filters = filters
        self.kernelSize = (kernelSize, kernelSize)
        self.strides = (strides, strides)
        self.padding = padding
        self.activation = activation
        self.kernelRegularizer = kernelRegularizer
    }

    public var configuration: LayerConfiguration {
        .conv2D(filters: filters, kernelSize: kernelSize.height, strides: strides.height, padding: padding,
                activation: activation, l2: kernelRegularizer?.factor)
    }

    public var kernel: Parameter { parameters[0] }
    public var bias: Parameter { parameters[1] }

    /// Columns of the patch matrix: kh · kw · C.
    private var patchSize: Int { kernelSize.height * kernelSize.width * input.channels }
    private var positions: Int { output.height * output.width }

    public var multiplyAccumulatesPerItem: Int { positions * patchSize * filters }

    public func build(inputShape: [Int], using generator: inout some RandomNumberGenerator) throws -> [Int] {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw EngineError.incompatibleShape(layer: name, expected: "(height, width, channels)", got: inputShape)
        }
        input = (inputShape[0], inputShape[1], inputShape[2])
        let rows = padding.geometry(input: input.height, kernel: kernelSize.height, stride: strides.height)
        let columns = padding.geometry(input: input.width, kernel: kernelSize.width, stride: strides.width)
        guard rows.output > 0, columns.output > 0 else {
            throw EngineError.incompatibleShape(
                layer: name, expected: "at least \(kernelSize.height) × \(kernelSize.width) pixels for 'valid' padding", got: inputShape)
        }
        output = (rows.output, columns.output)
        pad = (rows.before, columns.before)
        let geometry = ConvolutionGeometry(
            height: input.height, width: input.width, channels: input.channels,
            kernelHeight: kernelSize.height, kernelWidth: kernelSize.width, filters: filters,
            strideY: strides.height, strideX: strides.width, outputHeight: output.height, outputWidth: output.width,
            top: pad.top, left: pad.left)
        if let direct = SingleChannelConvolution(geometry) {
            method = .singleChannel(direct)
        } else if let direct = FilterVectorConvolution(geometry) {
            method = .filterVectors(direct)
        } else {
            method = .patches
        }
        let (kh, kw, c) = (kernelSize.height, kernelSize.width, input.channels)
        let kernel = GlorotUniform.tensor(shape: [kh, kw, c, filters], fanIn: kh * kw * c, fanOut: kh * kw * filters,
                                          using: &generator)
        parameters = [
            Parameter(name: "kernel", value: kernel, regularizer: kernelRegularizer),
            Parameter(name: "bias", value: Tensor(repeating: 0, shape: [filters])),
        ]
        outputShape = [output.height, output.width, filters]
        return outputShape
    }

    public func forward(_ x: Tensor, training: Bool, using generator: inout some RandomNumberGenerator) -> Tensor {
        precondition(Array(x.shape.dropFirst()) == [input.height, input.width, input.channels],
                     "\(name) expects items of \([input.height, input.width, input.channels]), got \(Array(x.shape.dropFirst()))")
        let result: Tensor
        switch method {
        case .singleChannel(let direct): result = forward(x, direct)
        case .filterVectors(let direct): result = forward(x, direct)
        case .patches: result = forwardWithPatches(x)
        }
        lastBatch = x.batchSize
        lastInput = x
        lastOutput = result
        return result
    }

    deinit { scratch.deallocate() }

    /// The per-worker scratch, `count` values a worker (contents undefined: kernels fill what they read).
    private func scratchBase(count: Int, workers: Int) -> UnsafeMutablePointer<Float> {
        if scratch.count < count * workers {
            scratch.deallocate()
            scratch = .allocate(capacity: count * workers)
            scratch.initialize(repeating: 0)
        }
        return scratch.baseAddress!
    }

    private func forward(_ x: Tensor, _ direct: some DirectConvolution) -> Tensor {
        let (n, pool, activation, rows) = (x.batchSize, BLAS.pool, activation, positions)
        let scratch = scratchBase(count: direct.scratchCount, workers: pool.count)
        let (inputCount, outputCount, filters) = (direct.shape.inputCount, direct.shape.outputCount, filters)
        return Tensor(shape: [n] + outputShape) { y in
            let y = y.baseAddress!
            x.scalars.withUnsafeBufferPointer { x in
                kernel.value.scalars.withUnsafeBufferPointer { w in
                    bias.value.scalars.withUnsafeBufferPointer { b in
                        let (x, w, b) = (x.baseAddress!, w.baseAddress!, b.baseAddress!)
                        pool.slices(n) { worker, items in
                            let scratch = scratch + worker * direct.scratchCount
                            for item in items {
                                let out = y + item * outputCount
                                direct.forward(item: x + item * inputCount, weights: w, bias: b, scratch: scratch, into: out)
                                // While the item is still in cache.
                                activation.apply(out, rows: rows, columns: filters)
                            }
                        }
                    }
                }
            }
        }
    }

    private func forwardWithPatches(_ x: Tensor) -> Tensor {
        let n = x.batchSize
        let (k, positions, filters, activation) = (patchSize, positions, filters, activation)
        if patches.count != n * positions * k { patches = [Float](repeating: 0, count: n * positions * k) }
        let pool = BLAS.pool  // one pool for the whole call, even if the thread count changes meanwhile
        let transposed = unrollsTransposed
        let result = Tensor(shape: [n] + outputShape) { y in
            let y = y.baseAddress!
            x.scalars.withUnsafeBufferPointer { x in
                patches.withUnsafeMutableBufferPointer { cols in
                    kernel.value.scalars.withUnsafeBufferPointer { w in
                        bias.value.scalars.withUnsafeBufferPointer { b in
                            let (x, cols, w, b) = (x.baseAddress!, cols.baseAddress!, w.baseAddress!, b.baseAddress!)
                            pool.slices(n) { _, items in
                                let rows = items.count * positions
                                let colStart = cols + items.lowerBound * positions * k
                                let yStart = y + items.lowerBound * positions * filters
                                Kernels.broadcastRows(b, rows: rows, columns: filters, into: yStart)
                                if transposed {
                                    self.unrollTransposed(x, items: items, into: colStart)
                                    BLAS.serialGemm(transposeA: true, m: rows, n: filters, k: k, a: colStart, lda: rows,
                                                    b: w, ldb: filters, beta: 1, c: yStart, ldc: filters)
                                } else {
                                    self.unroll(x, items: items, into: colStart)
                                    BLAS.serialGemm(m: rows, n: filters, k: k, a: colStart, lda: k, b: w, ldb: filters,
                                                    beta: 1, c: yStart, ldc: filters)
                                }
                                activation.apply(yStart, rows: rows, columns: filters)
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        precondition(outputGradient.count == lastBatch * positions * filters, "\(name): gradient does not match the last forward")
        // The direct methods take the activation's derivative item by item, in cache.
        switch method {
        case .singleChannel(let direct):
            return backward(outputGradient, direct, applyingActivation: true, needsInputGradient: needsInputGradient)
        case .filterVectors(let direct):
            return backward(outputGradient, direct, applyingActivation: true, needsInputGradient: needsInputGradient)
        case .patches:
            break
        }
        var gradient = outputGradient
        let (rows, filters, activation) = (gradient.count / filters, filters, activation)
        lastOutput.scalars.withUnsafeBufferPointer { y in
            gradient.scalars.withUnsafeMutableBufferPointer { g in
                let (y, g) = (y.baseAddress!, g.baseAddress!)
                BLAS.pool.slices(rows) { _, range in
                    let offset = range.lowerBound * filters
                    activation.backward(output: y + offset, gradient: g + offset, rows: range.count, columns: filters)
                }
            }
        }
        return backward(preActivationGradient: gradient, needsInputGradient: needsInputGradient)
    }

    public func backward(preActivationGradient dz: Tensor, needsInputGradient: Bool) -> Tensor? {
        precondition(dz.count == lastBatch * positions * filters, "\(name): gradient does not match the last forward")
        switch method {
        case .singleChannel(let direct):
            return backward(dz, direct, applyingActivation: false, needsInputGradient: needsInputGradient)
        case .filterVectors(let direct):
            return backward(dz, direct, applyingActivation: false, needsInputGradient: needsInputGradient)
        case .patches:
            return backwardWithPatches(dz, needsInputGradient: needsInputGradient)
        }
    }

    /// - Parameter applyingActivation: `dz` is the gradient of the activation's output, not of
    ///   the pre-activation: each item's is multiplied by the activation's derivative first.
    private func backward(_ dz: Tensor, _ direct: SingleChannelConvolution, applyingActivation: Bool,
                          needsInputGradient: Bool) -> Tensor? {
        let (n, pool, shape) = (lastBatch, BLAS.pool, direct.shape)
        let workers = pool.count
        let perWorker = direct.scratchCount + shape.outputCount + shape.filters
        let scratch = scratchBase(count: perWorker, workers: workers)
        var biasPartials = [Float](repeating: 0, count: workers * shape.filters)
        let sumsCount = direct.laneSumsCount
        if laneSums.count != workers * sumsCount { laneSums = [Float](repeating: 0, count: workers * sumsCount) }
        var partials = [Float](repeating: 0, count: workers * shape.taps * shape.filters)
        var dx = needsInputGradient ? [Float](repeating: 0, count: n * shape.inputCount) : []
        lastOutput.scalars.withUnsafeBufferPointer { y in
        lastInput.scalars.withUnsafeBufferPointer { x in
            dz.scalars.withUnsafeBufferPointer { dz in
                kernel.value.scalars.withUnsafeBufferPointer { w in
                    laneSums.withUnsafeMutableBufferPointer { sums in
                        partials.withUnsafeMutableBufferPointer { partials in
                            dx.withUnsafeMutableBufferPointer { dx in
                              biasPartials.withUnsafeMutableBufferPointer { biasPartials in
                                let (x, dz, w) = (x.baseAddress!, dz.baseAddress!, w.baseAddress!)
                                let (sums, partials) = (sums.baseAddress!, partials.baseAddress!)
                                let dxBase = needsInputGradient ? dx.baseAddress : nil
                                let gradients = ItemGradients(dz: dz, output: y.baseAddress!, activation: applyingActivation ? activation : .linear,
                                                              positions: positions, filters: filters, biasSums: biasPartials.baseAddress!)
                                pool.slices(n) { worker, items in
                                    let frame = scratch + worker * perWorker
                                    let planar = frame + direct.frameCount
                                    let gradientFrame = planar + direct.planarCount
                                    let itemScratch = frame + direct.scratchCount
                                    let laneSums = sums + worker * sumsCount
                                    laneSums.update(repeating: 0, count: sumsCount)
                                    for item in items {
                                        direct.pad(x + item * shape.inputCount, into: frame)
                                        let dz = gradients.item(item, worker: worker, scratch: itemScratch)
                                        direct.planar(dz, into: planar)
                                        direct.accumulateKernelGradient(frame: frame, planar: planar, into: laneSums)
                                        if let dxBase {
                                            direct.inputGradient(planar: planar, weights: w, scratch: gradientFrame,
                                                                 into: dxBase + item * shape.inputCount)
                                        }
                                    }
                                    direct.foldKernelGradient(laneSums, into: partials + worker * shape.taps * shape.filters)
                                }
                              }
                            }
                        }
                    }
                }
            }
        }
        }
        finishParameterGradients(partials: partials, biasPartials: biasPartials, workers: workers)
        return needsInputGradient ? Tensor(shape: [n, shape.height, shape.width, shape.channels], scalars: dx) : nil
    }

    private func backward(_ dz: Tensor, _ direct: FilterVectorConvolution, applyingActivation: Bool,
                          needsInputGradient: Bool) -> Tensor? {
        let (n, pool, shape) = (lastBatch, BLAS.pool, direct.shape)
        let workers = pool.count
        let perWorker = direct.scratchCount + shape.outputCount + shape.filters
        let scratch = scratchBase(count: perWorker, workers: workers)
        var biasPartials = [Float](repeating: 0, count: workers * shape.filters)
        let kernelCount = shape.taps * shape.channels * shape.filters
        if needsInputGradient {
            arrangedWeights = [Float](repeating: 0, count: direct.transposedCount)
            arrangedWeights.withUnsafeMutableBufferPointer { t in
                direct.transpose(kernel.value.scalars, into: t.baseAddress!)
            }
        }
        var partials = [Float](repeating: 0, count: workers * kernelCount)
        var dx = needsInputGradient ? [Float](repeating: 0, count: n * shape.inputCount) : []
        lastOutput.scalars.withUnsafeBufferPointer { y in
        lastInput.scalars.withUnsafeBufferPointer { x in
            dz.scalars.withUnsafeBufferPointer { dz in
                arrangedWeights.withUnsafeBufferPointer { transposed in
                    partials.withUnsafeMutableBufferPointer { partials in
                        dx.withUnsafeMutableBufferPointer { dx in
                          biasPartials.withUnsafeMutableBufferPointer { biasPartials in
                            let (x, dz, partials) = (x.baseAddress!, dz.baseAddress!, partials.baseAddress!)
                            let dxBase = needsInputGradient ? dx.baseAddress : nil
                            let transposed = needsInputGradient ? transposed.baseAddress : nil
                            let gradients = ItemGradients(dz: dz, output: y.baseAddress!, activation: applyingActivation ? activation : .linear,
                                                          positions: positions, filters: filters, biasSums: biasPartials.baseAddress!)
                            pool.slices(n) { worker, items in
                                let frame = scratch + worker * perWorker
                                let gradientFrame = frame + direct.frameCount
                                let itemScratch = frame + direct.scratchCount
                                for item in items {
                                    direct.shape.pad(x + item * shape.inputCount, into: frame, rowStride: direct.frameRowStride)
                                    let dz = gradients.item(item, worker: worker, scratch: itemScratch)
                                    direct.accumulateKernelGradient(frame: frame, gradient: dz, into: partials + worker * kernelCount)
                                    if let dxBase, let transposed {
                                        direct.inputGradient(gradient: dz, transposed: transposed,
                                                             scratch: gradientFrame, into: dxBase + item * shape.inputCount)
                                    }
                                }
                            }
                          }
                        }
                    }
                }
            }
        }
        }
        finishParameterGradients(partials: partials, biasPartials: biasPartials, workers: workers)
        return needsInputGradient ? Tensor(shape: [n, shape.height, shape.width, shape.channels], scalars: dx) : nil
    }

    /// The kernel and bias gradients as the sums of the workers' partial sums, in worker order.
    private func finishParameterGradients(partials: [Float], biasPartials: [Float], workers: Int) {
        let (count, filters) = (patchSize * filters, filters)
        kernel.gradient.scalars.withUnsafeMutableBufferPointer { dw in
            partials.withUnsafeBufferPointer { partials in
                dw.baseAddress!.update(from: partials.baseAddress!, count: count)
                for worker in 1..<workers {
                    Kernels.scaleAdd(dw.baseAddress!, scale: 1, partials.baseAddress! + worker * count, alpha: 1, count: count)
                }
            }
        }
        bias.gradient.scalars.withUnsafeMutableBufferPointer { db in
            for j in 0..<filters { db[j] = biasPartials[j] }
            for worker in 1..<workers {
                for j in 0..<filters { db[j] += biasPartials[worker * filters + j] }
            }
        }
    }

    /// Each worker's column sums of its rows of `dz` (the bias gradient's partial sums).
    private func biasPartials(of dz: Tensor) -> [Float] {
        let (pool, filters, rows) = (BLAS.pool, filters, dz.count / filters)
        var partials = [Float](repeating: 0, count: pool.count * filters)
        dz.scalars.withUnsafeBufferPointer { dz in
            partials.withUnsafeMutableBufferPointer { partials in
                let (dz, partials) = (dz.baseAddress!, partials.baseAddress!)
                pool.slices(rows) { worker, range in
                    Kernels.columnSums(dz + range.lowerBound * filters, rows: range.count, columns: filters,
                                       into: partials + worker * filters)
                }
            }
        }
        return partials
    }

    private func backwardWithPatches(_ dz: Tensor, needsInputGradient: Bool) -> Tensor? {
        let n = lastBatch
        let (k, positions, filters) = (patchSize, positions, filters)
        let pool = BLAS.pool
        let workers = pool.count
        let transposed = unrollsTransposed
        // One partial kernel gradient per worker, summed in worker order afterwards.
        var partials = [Float](repeating: 0, count: workers * k * filters)
        var dx = needsInputGradient ? [Float](repeating: 0, count: n * input.height * input.width * input.channels) : []
        if needsInputGradient, patchGradients.count != patches.count { patchGradients = [Float](repeating: 0, count: patches.count) }
        dz.scalars.withUnsafeBufferPointer { dz in
            patches.withUnsafeBufferPointer { cols in
                kernel.value.scalars.withUnsafeBufferPointer { w in
                    partials.withUnsafeMutableBufferPointer { partials in
                        dx.withUnsafeMutableBufferPointer { dx in
                          patchGradients.withUnsafeMutableBufferPointer { scratch in
                            // An empty array may still have a base address: ask the flag, not the pointer.
                            let (dz, cols, w, partials) = (dz.baseAddress!, cols.baseAddress!, w.baseAddress!, partials.baseAddress!)
                            let dxBase = needsInputGradient ? dx.baseAddress : nil
                            let scratch = needsInputGradient ? scratch.baseAddress : nil
                            pool.slices(n) { worker, items in
                                let rows = items.count * positions
                                let colStart = cols + items.lowerBound * positions * k
                                let dzStart = dz + items.lowerBound * positions * filters
                                BLAS.serialGemm(transposeA: !transposed, m: k, n: filters, k: rows, a: colStart,
                                                lda: transposed ? rows : k, b: dzStart, ldb: filters,
                                                c: partials + worker * k * filters, ldc: filters)
                                if let dxBase, let scratch {
                                    // The patch gradient reuses this worker's rows of the scratch buffer.
                                    let dcols = scratch + items.lowerBound * positions * k
                                    BLAS.serialGemm(transposeB: true, m: rows, n: k, k: filters, a: dzStart, lda: filters,
                                                    b: w, ldb: filters, c: dcols, ldc: k)
                                    self.fold(dcols, items: items, into: dxBase)
                                }
                            }
                          }
                        }
                    }
                }
            }
        }
        finishParameterGradients(partials: partials, biasPartials: biasPartials(of: dz), workers: workers)
        return needsInputGradient ? Tensor(shape: [n, input.height, input.width, input.channels], scalars: dx) : nil
    }

    /// A single-channel input with stride 1 is unrolled transposed (one row per kernel tap,
    /// one column per output position), where each tap's row is whole input rows copied
    /// with a shift: 28-value runs instead of 5-value ones.
    private var unrollsTransposed: Bool { input.channels == 1 && strides == (1, 1) }

    /// Transposed im2col for `items` of a single-channel input at stride 1: the matrix has
    /// kh · kw rows (tap (dy, dx)) of items · oh · ow columns (position (item, oy, ox)).
    private func unrollTransposed(_ x: UnsafePointer<Float>, items: Range<Int>, into cols: UnsafeMutablePointer<Float>) {
        let (h, w, kh, kw) = (input.height, input.width, kernelSize.height, kernelSize.width)
        let (oh, ow, top, left) = (output.height, output.width, pad.top, pad.left)
        let columns = items.count * oh * ow
        for dy in 0..<kh {
            for dx in 0..<kw {
                var dest = cols + (dy * kw + dx) * columns
                // The output positions ox whose input column ox + dx − left lies inside the image.
                let first = max(0, left - dx), last = min(ow, w + left - dx)
                for item in items {
                    let image = x + item * h * w
                    for oy in 0..<oh {
                        let iy = oy + dy - top
                        if iy < 0 || iy >= h || first >= last {
                            dest.update(repeating: 0, count: ow)
                        } else {
                            if first > 0 { dest.update(repeating: 0, count: first) }
                            (dest + first).update(from: image + iy * w + first + dx - left, count: last - first)
                            if last < ow { (dest + last).update(repeating: 0, count: ow - last) }
                        }
                        dest += ow
                    }
                }
            }
        }
    }

    /// im2col for `items`: row (item, oy, ox) holds the window's pixels in (dy, dx, channel)
    /// order, matching the kernel's (kh, kw, C) layout; positions outside the input are zero.
    /// Each kernel row of a window is one contiguous run of kw · C input values.
    private func unroll(_ x: UnsafePointer<Float>, items: Range<Int>, into cols: UnsafeMutablePointer<Float>) {
        let (h, w, c) = (input.height, input.width, input.channels)
        let (kh, kw, sh, sw) = (kernelSize.height, kernelSize.width, strides.height, strides.width)
        let (oh, ow, top, left) = (output.height, output.width, pad.top, pad.left)
        let run = kw * c, k = kh * run
        var row = cols
        for item in items {
            let image = x + item * h * w * c
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let x0 = ox * sw - left
                    for dy in 0..<kh {
                        let iy = oy * sh + dy - top
                        let dest = row + dy * run
                        if iy < 0 || iy >= h {
                            dest.update(repeating: 0, count: run)
                        } else if x0 >= 0 && x0 + kw <= w {
                            dest.update(from: image + (iy * w + x0) * c, count: run)
                        } else {
                            for dx in 0..<kw {
                                let ix = x0 + dx
                                if ix < 0 || ix >= w {
                                    (dest + dx * c).update(repeating: 0, count: c)
                                } else {
                                    (dest + dx * c).update(from: image + (iy * w + ix) * c, count: c)
                                }
                            }
                        }
                    }
                    row += k
                }
            }
        }
    }

    /// col2im for `items`: adds every patch-matrix gradient back onto the input position it came from.
    private func fold(_ dcols: UnsafePointer<Float>, items: Range<Int>, into dx: UnsafeMutablePointer<Float>) {
        let (h, w, c) = (input.height, input.width, input.channels)
        let (kh, kw, sh, sw) = (kernelSize.height, kernelSize.width, strides.height, strides.width)
        let (oh, ow, top, left) = (output.height, output.width, pad.top, pad.left)
        let run = kw * c, k = kh * run
        var row = dcols
        for item in items {
            let image = dx + item * h * w * c
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let x0 = ox * sw - left
                    for dy in 0..<kh {
                        let iy = oy * sh + dy - top
                        guard iy >= 0 && iy < h else { continue }
                        let source = row + dy * run
                        if x0 >= 0 && x0 + kw <= w {
                            let dest = image + (iy * w + x0) * c
                            for i in 0..<run { dest[i] += source[i] }
                        } else {
                            for dx in 0..<kw where x0 + dx >= 0 && x0 + dx < w {
                                let dest = image + (iy * w + x0 + dx) * c
                                for ch in 0..<c { dest[ch] += source[dx * c + ch] }
                            }
                        }
                    }
                    row += k
                }
            }
        }
    }
}

/// One item's pre-activation gradient for a worker of a direct backward pass: the item's slice of
/// `dz`, or, when an activation is to be applied, its copy in the worker's scratch multiplied by
/// the activation's derivative; either way its column sums are added to the worker's bias sums.
/// The pointers are valid for the backward pass that makes it (inside its buffers' closures).
private struct ItemGradients: @unchecked Sendable {
    let dz: UnsafePointer<Float>
    let output: UnsafePointer<Float>
    let activation: Activation
    let positions: Int, filters: Int
    let biasSums: UnsafeMutablePointer<Float>


    /// `scratch` holds positions · filters values, then filters more.
    func item(_ item: Int, worker: Int, scratch: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
        let count = positions * filters
        var gradient = dz + item * count
        if activation != .linear {
            scratch.update(from: gradient, count: count)
            activation.backward(output: output + item * count, gradient: scratch, rows: positions, columns: filters)
            gradient = UnsafePointer(scratch)
        }
        let sums = scratch + count
        Kernels.columnSums(gradient, rows: positions, columns: filters, into: sums)
        Kernels.scaleAdd(biasSums + worker * filters, scale: 1, sums, alpha: 1, count: filters)
        return gradient
    }
}
