import CKernels
import NeuralEngine
import Testing

/// The direct convolutions' C kernels at every level this CPU runs, called through the level's
/// table on awkward shapes (widths past whole vectors and register blocks, one row, remainders of
/// every block), against the order `kernels.h` states (bit for bit), against a plain sum in
/// Double (to 1e-5 of the sum of the terms' magnitudes), and against the baseline level (bit for
/// bit).
@Suite("Convolution kernels at every level")
struct ConvolutionKernelTests {
    /// Every array a kernel wrote, as bit patterns, under a name.
    typealias Outputs = [(name: String, values: [Float])]

    /// A plain sum in Double and the sum of its terms' magnitudes (the scale of its rounding error).
    struct Exact {
        var value: Double = 0, magnitude: Double = 0
        init() {}
        init(start: Float) { value = Double(start); magnitude = abs(Double(start)) }
        mutating func add(_ x: Float) { value += Double(x); magnitude += abs(Double(x)) }
        mutating func add(_ x: Float, _ y: Float) { let p = Double(x) * Double(y); value += p; magnitude += abs(p) }
    }

    static func random(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
        randomTensor(shape: [count], using: &generator).scalars
    }

    static func check(_ name: String, _ got: [Float], order: [Float], exact: [Exact], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.count == order.count && got.count == exact.count, "\(name): counts", sourceLocation: sourceLocation)
        let wrongBits = zip(got, order).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(wrongBits == 0, "\(name): \(wrongBits) of \(got.count) values off the documented order", sourceLocation: sourceLocation)
        let worst = zip(got, exact).map { abs(Double($0) - $1.value) / max($1.magnitude, 1e-30) }.max() ?? 0
        #expect(worst <= 1e-5, "\(name): relative error \(worst) against the exact sum", sourceLocation: sourceLocation)
    }

    // MARK: Single-channel rows

    /// (output rows, output columns, kernel rows, kernel columns, filters): widths of 16 to 47
    /// (one vector, overlapping last vectors, blocks of vectors cut short), filters in and past
    /// the blocks of 6 and 3, kernel rows of fewer and more than 4 taps.
    static let rowShapes: [RowShape] = [
        (1, 16, 1, 1, 1), (1, 17, 3, 3, 6), (3, 23, 5, 5, 6), (2, 33, 2, 4, 7), (4, 47, 3, 5, 16), (2, 28, 5, 5, 32),
        (5, 31, 3, 2, 13),
    ]

    static func rowsShape(_ s: RowShape) -> kernels_convolution {
        kernels_convolution(kernel_height: s.kh, kernel_width: s.kw, channels: 1, filters: s.f, stride_y: 1, stride_x: 1,
                            output_height: s.oh, output_width: s.ow, frame_row: s.ow + s.kw - 1,
                            planar_width: (s.ow + 15) / 16 * 16, padded_run: 0)
    }

    typealias RowShape = (oh: Int, ow: Int, kh: Int, kw: Int, f: Int)

    /// The inputs of one shape: frame, kernel, bias, planar output gradient (zero past each
    /// row's end), and the kernel-gradient sums and the gradient frame as they start.
    static func rowInputs(_ s: RowShape, seed: UInt64) -> (frame: [Float], w: [Float], bias: [Float], g: [Float], sums: [Float],
                                                           gradientFrame: [Float]) {
        let shape = rowsShape(s)
        let (width, pw) = (shape.planar_width, shape.frame_row)
        let frameCount = (s.oh + s.kh - 1) * pw + width
        var generator = SeededGenerator(seed: seed)
        let frame = random(frameCount, &generator)
        let w = random(s.kh * s.kw * s.f, &generator), bias = random(s.f, &generator)
        var g = random(s.f * s.oh * width, &generator)
        for i in g.indices where i % width >= s.ow { g[i] = 0 }
        return (frame, w, bias, g, random(s.kh * s.kw * s.f * width, &generator), random(frameCount, &generator))
    }

    /// The three row kernels of `level` on one shape, from inputs drawn with `seed`.
    static func rows(_ level: KernelLevel, _ s: RowShape, seed: UInt64) -> Outputs {
        let table = ComputeKernels.table(level).pointee
        let shape = rowsShape(s)
        let (frame, w, bias, g, start, startFrame) = rowInputs(s, seed: seed)
        var (sums, gradientFrame) = (start, startFrame)
        var (y, planar) = ([Float](repeating: .nan, count: s.oh * s.ow * s.f), [Float](repeating: .nan, count: s.f * shape.planar_width))
        table.conv_rows_forward(shape, frame, w, bias, &planar, &y)
        table.conv_rows_kernel_gradient(shape, frame, g, &sums)
        table.conv_rows_input_gradient(shape, g, w, &gradientFrame)
        return [("output", y), ("kernel gradient", sums), ("input gradient", gradientFrame)]
    }

    /// The same outputs from the documented orders, and as exact sums.
    static func rowsReference(_ s: RowShape, seed: UInt64) -> (Outputs, [[Exact]]) {
        let shape = rowsShape(s)
        let (width, pw) = (shape.planar_width, shape.frame_row)
        let (frame, w, bias, g, start, startFrame) = rowInputs(s, seed: seed)
        var (sums, gradientFrame) = (start, startFrame)
        var y = [Float](repeating: 0, count: s.oh * s.ow * s.f)
        var (exactY, exactSums, exactFrame) = ([Exact](repeating: Exact(), count: y.count), sums.map(Exact.init(start:)),
                                               gradientFrame.map(Exact.init(start:)))
        for oy in 0..<s.oh {
            for ox in 0..<s.ow {
                for f in 0..<s.f {
                    var acc = bias[f], exact = Exact()
                    exact.add(bias[f])
                    for dy in 0..<s.kh {
                        for dx in 0..<s.kw {
                            let (x, weight) = (frame[(oy + dy) * pw + ox + dx], w[(dy * s.kw + dx) * s.f + f])
                            acc = acc.addingProduct(x, weight)
                            exact.add(x, weight)
                        }
                    }
                    y[(oy * s.ow + ox) * s.f + f] = acc
                    exactY[(oy * s.ow + ox) * s.f + f] = exact
                }
            }
        }
        for tap in 0..<s.kh * s.kw {
            let (dy, dx) = (tap / s.kw, tap % s.kw)
            for f in 0..<s.f {
                for ox in 0..<width {
                    let index = (tap * s.f + f) * width + ox
                    for oy in 0..<s.oh {
                        let (x, gradient) = (frame[(oy + dy) * pw + ox + dx], g[(f * s.oh + oy) * width + ox])
                        sums[index] = sums[index].addingProduct(x, gradient)
                        exactSums[index].add(x, gradient)
                    }
                }
            }
        }
        for oy in 0..<s.oh {
            for dy in 0..<s.kh {
                for dx in 0..<s.kw {
                    for ox in 0..<width {
                        let index = (oy + dy) * pw + dx + ox
                        for f in 0..<s.f {
                            let (gradient, weight) = (g[(f * s.oh + oy) * width + ox], w[(dy * s.kw + dx) * s.f + f])
                            gradientFrame[index] = gradientFrame[index].addingProduct(gradient, weight)
                            exactFrame[index].add(gradient, weight)
                        }
                    }
                }
            }
        }
        return ([("output", y), ("kernel gradient", sums), ("input gradient", gradientFrame)], [exactY, exactSums, exactFrame])
    }

    @Test("Single-channel rows: the documented order, the exact sums, the baseline's bits", arguments: KernelLevel.supported)
    func singleChannelRows(level: KernelLevel) {
        for (index, s) in Self.rowShapes.enumerated() {
            let seed = UInt64(100 + index)
            let got = Self.rows(level, s, seed: seed)
            let (order, exact) = Self.rowsReference(s, seed: seed)
            let baseline = Self.rows(.baseline, s, seed: seed)
            for i in got.indices {
                let name = "\(level) rows \(s) \(got[i].name)"
                Self.check(name, got[i].values, order: order[i].values, exact: exact[i])
                #expect(got[i].values.map(\.bitPattern) == baseline[i].values.map(\.bitPattern), "\(name): not the baseline's bits")
            }
        }
    }

    // MARK: Filter vectors

    /// (output rows, output columns, kernel rows, kernel columns, channels, filters, strides):
    /// one position, one row, rows past blocks of 2 and 4 (1, 2 and 3 left over) and a whole
    /// number of blocks, widths past blocks of 5 and 2, runs of 1 to 40 values (one, two and
    /// three vectors padded), channels 1, 3, 6 and 8, filters 16 and 32, strides 1 and 2.
    typealias FilterShape = (oh: Int, ow: Int, kh: Int, kw: Int, c: Int, f: Int, sy: Int, sx: Int)

    static let filterShapes: [FilterShape] = [
        (1, 1, 1, 1, 1, 16, 1, 1), (1, 7, 3, 3, 3, 16, 1, 1), (5, 5, 3, 3, 6, 32, 2, 2), (10, 10, 5, 5, 6, 16, 1, 1),
        (7, 11, 3, 3, 1, 16, 1, 2), (6, 9, 2, 5, 3, 32, 2, 1), (3, 13, 5, 5, 6, 16, 1, 1), (8, 6, 3, 3, 3, 16, 1, 1),
        (4, 5, 3, 5, 8, 16, 1, 1),
    ]

    static func filtersShape(_ s: FilterShape) -> kernels_convolution {
        let run = s.kw * s.c
        return kernels_convolution(kernel_height: s.kh, kernel_width: s.kw, channels: s.c, filters: s.f, stride_y: s.sy,
                                   stride_x: s.sx, output_height: s.oh, output_width: s.ow,
                                   frame_row: ((s.ow - 1) * s.sx + s.kw) * s.c, planar_width: 0, padded_run: (run + 15) / 16 * 16)
    }

    /// The inputs of one shape: frame, kernel, bias, output gradient, transposed kernel, the
    /// kernel-gradient accumulator and the gradient frame as they start.
    static func filterInputs(_ s: FilterShape, seed: UInt64)
        -> (frame: [Float], w: [Float], bias: [Float], g: [Float], t: [Float], dw: [Float], gradientFrame: [Float]) {
        let shape = filtersShape(s)
        let (run, padded) = (s.kw * s.c, shape.padded_run)
        let frameCount = ((s.oh - 1) * s.sy + s.kh) * shape.frame_row + padded
        var generator = SeededGenerator(seed: seed)
        let frame = random(frameCount, &generator)
        let w = random(s.kh * run * s.f, &generator), bias = random(s.f, &generator)
        let g = random(s.oh * s.ow * s.f, &generator)
        var t = [Float](repeating: 0, count: s.kh * s.f * padded)
        for dy in 0..<s.kh { for k in 0..<run { for f in 0..<s.f { t[(dy * s.f + f) * padded + k] = w[(dy * run + k) * s.f + f] } } }
        return (frame, w, bias, g, t, random(w.count, &generator), random(frameCount, &generator))
    }

    static func filters(_ level: KernelLevel, _ s: FilterShape, seed: UInt64) -> Outputs {
        let table = ComputeKernels.table(level).pointee
        let shape = filtersShape(s)
        let (frame, w, bias, g, t, start, startFrame) = filterInputs(s, seed: seed)
        var (dw, gradientFrame) = (start, startFrame)
        var y = [Float](repeating: .nan, count: s.oh * s.ow * s.f)
        table.conv_filters_forward(shape, frame, w, bias, &y)
        table.conv_filters_kernel_gradient(shape, frame, g, &dw)
        table.conv_filters_input_gradient(shape, g, t, &gradientFrame)
        return [("output", y), ("kernel gradient", dw), ("input gradient", gradientFrame)]
    }

    static func filtersReference(_ s: FilterShape, seed: UInt64) -> (Outputs, [[Exact]]) {
        let shape = filtersShape(s)
        let (frame, w, bias, g, t, start, startFrame) = filterInputs(s, seed: seed)
        var (dw, gradientFrame) = (start, startFrame)
        let (run, padded, rowStride, step) = (s.kw * s.c, shape.padded_run, shape.frame_row, s.sx * s.c)
        func x(_ oy: Int, _ ox: Int, _ dy: Int, _ k: Int) -> Float { frame[(oy * s.sy + dy) * rowStride + ox * step + k] }
        var y = [Float](repeating: 0, count: s.oh * s.ow * s.f)
        var exactY = [Exact](repeating: Exact(), count: y.count)
        var (exactDw, exactFrame) = (dw.map(Exact.init(start:)), gradientFrame.map(Exact.init(start:)))
        for oy in 0..<s.oh {
            for ox in 0..<s.ow {
                for f in 0..<s.f {
                    var (acc, exact) = (bias[f], Exact())
                    exact.add(bias[f])
                    for dy in 0..<s.kh {
                        for k in 0..<run {
                            acc = acc.addingProduct(x(oy, ox, dy, k), w[(dy * run + k) * s.f + f])
                            exact.add(x(oy, ox, dy, k), w[(dy * run + k) * s.f + f])
                        }
                    }
                    y[(oy * s.ow + ox) * s.f + f] = acc
                    exactY[(oy * s.ow + ox) * s.f + f] = exact
                }
            }
        }
        for index in dw.indices {
            let (dy, k, f) = (index / (run * s.f), index / s.f % run, index % s.f)
            for oy in 0..<s.oh {
                for ox in 0..<s.ow {
                    dw[index] = dw[index].addingProduct(x(oy, ox, dy, k), g[(oy * s.ow + ox) * s.f + f])
                    exactDw[index].add(x(oy, ox, dy, k), g[(oy * s.ow + ox) * s.f + f])
                }
            }
        }
        for block in stride(from: 0, to: s.oh, by: 4) {
            let rows = min(4, s.oh - block)
            for ox in 0..<s.ow {
                for dy in 0..<s.kh {
                    for oy in block..<block + rows {
                        for j in 0..<padded {
                            var (even, odd, exact) = (Float(0), Float(0), Exact())
                            for f in 0..<s.f {
                                let (gradient, weight) = (g[(oy * s.ow + ox) * s.f + f], t[(dy * s.f + f) * padded + j])
                                if rows == 4 || f % 2 == 0 { even = even.addingProduct(gradient, weight) } else { odd = odd.addingProduct(gradient, weight) }
                                exact.add(gradient, weight)
                            }
                            let index = (oy * s.sy + dy) * rowStride + ox * step + j
                            gradientFrame[index] += rows == 4 ? even : even + odd
                            exactFrame[index].value += exact.value
                            exactFrame[index].magnitude += exact.magnitude
                        }
                    }
                }
            }
        }
        return ([("output", y), ("kernel gradient", dw), ("input gradient", gradientFrame)], [exactY, exactDw, exactFrame])
    }

    @Test("Filter vectors: the documented order, the exact sums, the baseline's bits", arguments: KernelLevel.supported)
    func filterVectors(level: KernelLevel) {
        for (index, s) in Self.filterShapes.enumerated() {
            let seed = UInt64(200 + index)
            let got = Self.filters(level, s, seed: seed)
            let (order, exact) = Self.filtersReference(s, seed: seed)
            let baseline = Self.filters(.baseline, s, seed: seed)
            for i in got.indices {
                let name = "\(level) filters \(s) \(got[i].name)"
                Self.check(name, got[i].values, order: order[i].values, exact: exact[i])
                #expect(got[i].values.map(\.bitPattern) == baseline[i].values.map(\.bitPattern), "\(name): not the baseline's bits")
            }
        }
    }
}
