/// Runs a `ConvolutionAlgorithm` over a batch on the engine's workers: the one forward driver and
/// the one backward driver of every algorithm.
///
/// Each worker takes a contiguous share of the batch (`WorkerPool.slices`) and walks it in chunks
/// of `itemsPerChunk` items, so that a chunk's scratch, its outputs and their gradients stay in
/// cache while the activation, its derivative and the bias gradient are applied to them.
///
/// Backward, the batch is cut into shares of `itemsPerShare` items whatever the thread count;
/// every share has its own kernel-gradient accumulator and bias sums, which workers fill share
/// by share and which are added in share order at the end. So the gradients' sums have one
/// order, fixed by the batch size and the algorithm: the same bits on 1, 2 or 64 threads.
final class ConvolutionRunner {
    let algorithm: any ConvolutionAlgorithm
    private var scratch = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)

    init(_ algorithm: any ConvolutionAlgorithm) { self.algorithm = algorithm }

    deinit { scratch.deallocate() }

    var geometry: ConvolutionGeometry { algorithm.geometry }

    /// `activation(x ∗ kernel + bias)` for a batch `x`.
    func forward(_ x: Tensor, kernel: Tensor, bias: Tensor, activation: Activation) -> Tensor {
        let (n, pool, algorithm, g) = (x.batchSize, Products.pool, algorithm, geometry)
        let (chunk, perWorker, rows) = (algorithm.itemsPerChunk, algorithm.scratchCount, g.outputHeight * g.outputWidth)
        let scratch = scratchBase(count: perWorker, workers: pool.count)
        var prepared = [Float](repeating: 0, count: algorithm.preparedWeightsCount)
        if !prepared.isEmpty {
            kernel.scalars.withUnsafeBufferPointer { w in
                prepared.withUnsafeMutableBufferPointer { algorithm.prepareWeights(w.baseAddress!, into: $0.baseAddress!) }
            }
        }
        return Tensor(shape: [n, g.outputHeight, g.outputWidth, g.filters]) { y in
            let y = y.baseAddress!
            x.scalars.withUnsafeBufferPointer { x in
                (prepared.isEmpty ? kernel.scalars : prepared).withUnsafeBufferPointer { w in
                    bias.scalars.withUnsafeBufferPointer { b in
                        let (x, w, b) = (x.baseAddress!, w.baseAddress!, b.baseAddress!)
                        pool.slices(n) { worker, items in
                            let scratch = scratch + worker * perWorker
                            for start in stride(from: items.lowerBound, to: items.upperBound, by: chunk) {
                                let count = min(chunk, items.upperBound - start)
                                let out = y + start * g.outputCount
                                algorithm.forward(x + start * g.inputCount, items: count, weights: w, bias: b,
                                                  scratch: scratch, into: out)
                                // While the chunk is still in cache.
                                activation.apply(out, rows: count * rows, columns: g.filters)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The input gradient (when asked for), writing the kernel's and the bias's gradients.
    ///
    /// - Parameters:
    ///   - dz: the gradient of the layer's output when `activation` is not linear (it is then
    ///     multiplied by the activation's derivative, from `output`, chunk by chunk), else of the
    ///     pre-activation values.
    ///   - x, output: the last forward's input and output.
    func backward(_ dz: Tensor, activation: Activation, x: Tensor, output: Tensor, kernel: Parameter, bias: Parameter,
                  needsInputGradient: Bool) -> Tensor? {
        let (n, pool, algorithm, g) = (x.batchSize, Products.pool, algorithm, geometry)
        let workers = pool.count
        let (chunk, own, accumulatorCount) = (algorithm.itemsPerChunk, algorithm.scratchCount, algorithm.accumulatorCount)
        let shareSize = Self.itemsPerShare(chunk: chunk)
        let shares = (n + shareSize - 1) / shareSize
        // The algorithm's scratch, then the chunk's pre-activation gradient and its column sums.
        let perWorker = own + chunk * g.outputCount + g.filters
        let scratch = scratchBase(count: perWorker, workers: workers)
        var accumulators = [Float](repeating: 0, count: shares * accumulatorCount)
        var partials = [Float](repeating: 0, count: shares * g.kernelCount)
        var biasPartials = [Float](repeating: 0, count: shares * g.filters)
        var arranged = [Float](repeating: 0, count: needsInputGradient ? algorithm.arrangedWeightsCount : 0)
        // Zeroed only for an algorithm that adds onto it; every value is written before it is read.
        var dx = !needsInputGradient ? [] : algorithm.writesWholeInputGradient
            ? [Float](unsafeUninitializedCapacity: n * g.inputCount) { _, count in count = n * g.inputCount }
            : [Float](repeating: 0, count: n * g.inputCount)
        kernel.value.scalars.withUnsafeBufferPointer { w in
            arranged.withUnsafeMutableBufferPointer { arranged in
                if !arranged.isEmpty { algorithm.arrangeWeights(w.baseAddress!, into: arranged.baseAddress!) }
            }
        }
        output.scalars.withUnsafeBufferPointer { y in
        x.scalars.withUnsafeBufferPointer { x in
        dz.scalars.withUnsafeBufferPointer { dz in
        kernel.value.scalars.withUnsafeBufferPointer { w in
        arranged.withUnsafeBufferPointer { arranged in
        accumulators.withUnsafeMutableBufferPointer { accumulators in
        partials.withUnsafeMutableBufferPointer { partials in
        biasPartials.withUnsafeMutableBufferPointer { biasPartials in
        dx.withUnsafeMutableBufferPointer { dx in
            let (x, w, accumulators, partials) = (x.baseAddress!, w.baseAddress!, accumulators.baseAddress!, partials.baseAddress!)
            // An empty array may still have a base address: ask the flag, not the pointer.
            let dxBase = needsInputGradient ? dx.baseAddress : nil
            let arranged = arranged.isEmpty ? nil : arranged.baseAddress
            let gradients = ChunkGradients(dz: dz.baseAddress!, output: y.baseAddress!, activation: activation,
                                           positions: g.outputHeight * g.outputWidth, filters: g.filters,
                                           biasSums: biasPartials.baseAddress!)
            pool.run { worker in
                let frame = scratch + worker * perWorker
                for share in stride(from: worker, to: shares, by: workers) {
                    let accumulator = accumulators + share * accumulatorCount
                    let end = min(n, (share + 1) * shareSize)
                    for start in stride(from: share * shareSize, to: end, by: chunk) {
                        let count = min(chunk, end - start)
                        let dz = gradients.chunk(start, items: count, share: share, scratch: frame + own)
                        algorithm.backward(x + start * g.inputCount, gradient: dz, items: count, weights: w, arranged: arranged,
                                           scratch: frame, accumulator: accumulator,
                                           inputGradient: dxBase.map { $0 + start * g.inputCount })
                    }
                    algorithm.finishKernelGradient(accumulator, into: partials + share * g.kernelCount)
                }
            }
        }}}}}}}}}
        sum(partials, into: kernel, biasPartials, into: bias, shares: shares)
        return needsInputGradient ? Tensor(shape: x.shape, scalars: dx) : nil
    }

    /// Items of one share of the backward pass: 16, or the algorithm's chunk if larger, rounded
    /// up to whole chunks. It depends on the algorithm alone, never on the thread count.
    static func itemsPerShare(chunk: Int) -> Int { (max(16, chunk) + chunk - 1) / chunk * chunk }

    /// The kernel and bias gradients as the sums of the shares' partial sums, in share order.
    private func sum(_ partials: [Float], into kernel: Parameter, _ biasPartials: [Float], into bias: Parameter, shares: Int) {
        let (count, filters) = (geometry.kernelCount, geometry.filters)
        kernel.gradient.scalars.withUnsafeMutableBufferPointer { dw in
            partials.withUnsafeBufferPointer { partials in
                dw.baseAddress!.update(from: partials.baseAddress!, count: count)
                for share in 1..<max(shares, 1) {
                    Kernels.scaleAdd(dw.baseAddress!, scale: 1, partials.baseAddress! + share * count, alpha: 1, count: count)
                }
            }
        }
        bias.gradient.scalars.withUnsafeMutableBufferPointer { db in
            for j in 0..<filters { db[j] = biasPartials[j] }
            for share in 1..<max(shares, 1) {
                for j in 0..<filters { db[j] += biasPartials[share * filters + j] }
            }
        }
    }

    /// The per-worker scratch, `count` values a worker (kept between calls, grown when needed).
    private func scratchBase(count: Int, workers: Int) -> UnsafeMutablePointer<Float> {
        if scratch.count < count * workers {
            scratch.deallocate()
            scratch = .allocate(capacity: count * workers)
            scratch.initialize(repeating: 0)
        }
        return scratch.baseAddress!
    }
}

/// A chunk's pre-activation gradient for a share of the backward pass: the chunk's slice of
/// `dz`, or, when an activation is to be applied, its copy in the worker's scratch multiplied by
/// the activation's derivative; either way its column sums are added to the share's bias sums.
/// The pointers are valid for the backward pass that makes it (inside its buffers' closures).
private struct ChunkGradients: @unchecked Sendable {
    let dz: UnsafePointer<Float>
    let output: UnsafePointer<Float>
    let activation: Activation
    let positions: Int, filters: Int
    let biasSums: UnsafeMutablePointer<Float>

    /// `scratch` holds `items` · positions · filters values, then filters more.
    func chunk(_ start: Int, items: Int, share: Int, scratch: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
        let count = items * positions * filters
        var gradient = dz + start * positions * filters
        let sums = scratch + count
        if activation == .relu, filters % 16 == 0, filters <= 256 {
            // The mask, the copy and the column sums in one pass: the same values and the same
            // sums (each filter's chain over the positions in order, from 0) as below.
            ComputeKernels.table.pointee.relu_mask_sums(output + start * positions * filters, gradient, scratch,
                                                        filters, items * positions, sums)
            Kernels.scaleAdd(biasSums + share * filters, scale: 1, sums, alpha: 1, count: filters)
            return UnsafePointer(scratch)
        }
        if activation != .linear {
            scratch.update(from: gradient, count: count)
            activation.backward(output: output + start * positions * filters, gradient: scratch,
                                rows: items * positions, columns: filters)
            gradient = UnsafePointer(scratch)
        }
        Kernels.columnSums(gradient, rows: items * positions, columns: filters, into: sums)
        Kernels.scaleAdd(biasSums + share * filters, scale: 1, sums, alpha: 1, count: filters)
        return gradient
    }
}
