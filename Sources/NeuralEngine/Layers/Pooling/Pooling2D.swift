import CKernels

/// The shared geometry of the 2-D pooling layers: a window of `poolSize` moved by `strides`
/// over each channel separately, 'valid' padding (Keras's default).
public class Pooling2D {
    public let poolSize: Int
    public let strides: Int
    public private(set) var outputShape: [Int] = []
    public var parameters: [Parameter] { [] }
    public var name: String
    var input = (height: 0, width: 0, channels: 0)
    var output = (height: 0, width: 0)
    var lastBatch = 0

    init(poolSize: Int, strides: Int?, name: String) {
        precondition(poolSize > 0, "pool size must be positive, got poolSize: \(poolSize)")
        precondition((strides ?? poolSize) > 0, "pooling strides must be positive, got strides: \(strides ?? poolSize)")
        self.poolSize = poolSize
        self.strides = strides ?? poolSize
        self.name = name
    }

    public func build(inputShape: [Int], using generator: inout some RandomNumberGenerator) throws -> [Int] {
        guard inputShape.count == 3, inputShape[0] >= poolSize, inputShape[1] >= poolSize else {
            throw EngineError.incompatibleShape(
                layer: name, expected: "(height, width, channels) of at least \(poolSize) × \(poolSize)", got: inputShape)
        }
        input = (inputShape[0], inputShape[1], inputShape[2])
        output = (Padding.valid.geometry(input: input.height, kernel: poolSize, stride: strides).output,
                  Padding.valid.geometry(input: input.width, kernel: poolSize, stride: strides).output)
        outputShape = [output.height, output.width, input.channels]
        return outputShape
    }

    /// Calls `body(inputOffset, outputOffset)` for every output value's window origin, per
    /// item: offsets in floats from the item's start, for channel 0.
    @inline(__always)
    func forEachWindow(_ body: (Int, Int) -> Void) {
        let (w, c) = (input.width, input.channels)
        for oy in 0..<output.height {
            for ox in 0..<output.width {
                body(((oy * strides) * w + ox * strides) * c, (oy * output.width + ox) * c)
            }
        }
    }

    var inputItemSize: Int { input.height * input.width * input.channels }
    var outputItemSize: Int { output.height * output.width * input.channels }
}

/// The mean of each window (Keras's `AveragePooling2D`).
public final class AveragePooling2D: Pooling2D, Layer {
    public var configuration: LayerConfiguration { .averagePooling2D(poolSize: poolSize, strides: strides) }

    /// - Parameters:
    ///   - poolSize: the side of the square window.
    ///   - strides: the step between windows; the pool size when nil (Keras's default).
    public init(poolSize: Int = 2, strides: Int? = nil) {
        super.init(poolSize: poolSize, strides: strides, name: "average_pooling2d")
    }

    public func forward(_ x: Tensor, training: Bool, using generator: inout some RandomNumberGenerator) -> Tensor {
        let n = x.batchSize
        lastBatch = n
        let (w, c, p, inSize, outSize) = (input.width, input.channels, poolSize, inputItemSize, outputItemSize)
        let scale = 1 / Float(p * p)
        return Tensor(shape: [n] + outputShape) { y in
            let y = y.baseAddress!
            y.update(repeating: 0, count: n * outSize)
            x.scalars.withUnsafeBufferPointer { x in
                let x = x.baseAddress!
                Products.pool.slices(n) { _, items in
                    if self.strides == p {
                        for item in items { self.averageTiled(x + item * inSize, into: y + item * outSize) }
                        return
                    }
                    for item in items {
                        let (source, dest) = (x + item * inSize, y + item * outSize)
                        self.forEachWindow { from, to in
                            for dy in 0..<p {
                                for dx in 0..<p {
                                    let pixel = source + from + (dy * w + dx) * c
                                    for ch in 0..<c { dest[to + ch] += pixel[ch] }
                                }
                            }
                            for ch in 0..<c { dest[to + ch] *= scale }
                        }
                    }
                }
            }
        }
    }

    public func backward(_ g: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        let n = lastBatch
        let (w, c, p, inSize, outSize) = (input.width, input.channels, poolSize, inputItemSize, outputItemSize)
        let scale = 1 / Float(p * p)
        return Tensor(shape: [n, input.height, input.width, input.channels]) { dx in
            let dxBase = dx.baseAddress!
            // Tiling windows write every input value themselves (zeros where no window reaches).
            if strides != p { dxBase.update(repeating: 0, count: n * inSize) }
            g.scalars.withUnsafeBufferPointer { g in
                let g = g.baseAddress!
                Products.pool.slices(n) { _, items in
                    if self.strides == p {
                        for item in items { self.spreadTiled(g + item * outSize, into: dxBase + item * inSize) }
                        return
                    }
                    for item in items {
                        let (dest, source) = (dxBase + item * inSize, g + item * outSize)
                        self.forEachWindow { from, to in
                            for dy in 0..<p {
                                for dx in 0..<p {
                                    let pixel = dest + from + (dy * w + dx) * c
                                    for ch in 0..<c { pixel[ch] += source[to + ch] * scale }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The largest value of each window (Keras's `MaxPooling2D`); the gradient goes to the first
/// largest value of each window.
extension AveragePooling2D {
    /// Windows that tile the input (stride = pool size), one item: the pool's input rows are
    /// summed as whole rows, then each row sum is added to itself shifted by one pixel, p − 1
    /// times, 16 lanes at a time; window ox's sums are then the pixel at ox · p.
    private func averageTiled(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        // Sizes read once: a stored property of a class read in a loop is an access check each time.
        let (c, p, oh, ow) = (input.channels, poolSize, output.height, output.width)
        let (run, scale) = (input.width * c, 1 / Float(p * p))
        let span = run - (p - 1) * c  // the shifted sums' length
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * run) { buffer in
            let (sums, windows) = (buffer.baseAddress!, buffer.baseAddress! + run)
            for oy in 0..<oh {
                let top = x + oy * p * run
                sums.update(from: top, count: run)
                for dy in 1..<p { Kernels.scaleAdd(sums, scale: 1, top + dy * run, alpha: 1, count: run) }
                windows.update(from: sums, count: span)
                for dx in 1..<p { Kernels.scaleAdd(windows, scale: 1, sums + dx * c, alpha: 1, count: span) }
                var (out, source) = (y + oy * ow * c, UnsafePointer(windows))
                for _ in 0..<ow {
                    for ch in 0..<c { out[ch] = source[ch] * scale }
                    out += c
                    source += p * c
                }
            }
        }
    }

    /// The gradient of `averageTiled`: each input pixel of a window gets the window's gradient
    /// over its size; one input row is built, then copied to the pool's other rows.
    private func spreadTiled(_ g: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        let (c, p, oh, ow) = (input.channels, poolSize, output.height, output.width)
        let (run, scale) = (input.width * c, 1 / Float(p * p))
        for oy in 0..<oh {
            let row = dx + oy * p * run
            let source = g + oy * ow * c
            for ox in 0..<ow {
                for dxIndex in 0..<p {
                    let pixel = row + (ox * p + dxIndex) * c
                    for ch in 0..<c { pixel[ch] = source[ox * c + ch] * scale }
                }
            }
            // Columns no window reaches, then the pool's other rows.
            (row + ow * p * c).update(repeating: 0, count: run - ow * p * c)
            for dy in 1..<p { (row + dy * run).update(from: row, count: run) }
        }
        // Rows no window reaches.
        let covered = oh * p * run
        (dx + covered).update(repeating: 0, count: input.height * run - covered)
    }
}

public final class MaxPooling2D: Pooling2D, Layer {
    public var configuration: LayerConfiguration { .maxPooling2D(poolSize: poolSize, strides: strides) }
    private var winners: [Int32] = []

    /// - Parameters:
    ///   - poolSize: the side of the square window.
    ///   - strides: the step between windows; the pool size when nil (Keras's default).
    public init(poolSize: Int = 2, strides: Int? = nil) {
        super.init(poolSize: poolSize, strides: strides, name: "max_pooling2d")
    }

    /// y = the largest value of each window, per channel; the first of equal values wins (in
    /// row-major order within the window), and its position is kept for the backward pass.
    /// Each item is one call of the kernel `max_pool`, whose inner loop runs over the channels
    /// (contiguous, NHWC).
    public func forward(_ x: Tensor, training: Bool, using generator: inout some RandomNumberGenerator) -> Tensor {
        let n = x.batchSize
        lastBatch = n
        let (w, c, p, s) = (input.width, input.channels, poolSize, strides)
        let (oh, ow, inSize, outSize) = (output.height, output.width, inputItemSize, outputItemSize)
        let pool = ComputeKernels.table.pointee.max_pool!
        var chosen = [Int32](unsafeUninitializedCapacity: n * outSize) { _, count in count = n * outSize }
        let y = Tensor(shape: [n] + outputShape) { y in
            x.scalars.withUnsafeBufferPointer { x in
                chosen.withUnsafeMutableBufferPointer { chosen in
                    let (x, y, chosen) = (x.baseAddress!, y.baseAddress!, chosen.baseAddress!)
                    Products.pool.slices(n) { _, items in
                        for item in items {
                            pool(x + item * inSize, w, c, p, s, oh, ow, y + item * outSize, chosen + item * outSize)
                        }
                    }
                }
            }
        }
        winners = chosen
        return y
    }

    public func backward(_ g: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        let (n, inSize, outSize) = (lastBatch, inputItemSize, outputItemSize)
        return Tensor(shape: [n, input.height, input.width, input.channels]) { dx in
            let dx = dx.baseAddress!
            g.scalars.withUnsafeBufferPointer { g in
                winners.withUnsafeBufferPointer { winners in
                    let (g, winners) = (g.baseAddress!, winners.baseAddress!)
                    Products.pool.slices(n) { _, items in
                        for item in items {
                            let (target, source, chosen) = (dx + item * inSize, g + item * outSize, winners + item * outSize)
                            target.update(repeating: 0, count: inSize)
                            for i in 0..<outSize { target[Int(chosen[i])] += source[i] }
                        }
                    }
                }
            }
        }
    }
}
