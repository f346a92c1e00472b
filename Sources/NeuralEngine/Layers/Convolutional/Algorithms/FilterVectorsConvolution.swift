/// Convolution whose filters fill whole 16-lane vectors (LeNet's second layer), without a patch
/// matrix: one vector holds sixteen filters of one output position, and each input value is
/// broadcast against the weight vectors of its tap.
struct FilterVectorsConvolution: ConvolutionAlgorithm {
    typealias Vector = SIMD16<Float>
    let shape: ConvolutionGeometry

    init?(_ shape: ConvolutionGeometry) {
        guard shape.filters % Vector.scalarCount == 0 else { return nil }
        self.shape = shape
    }

    var geometry: ConvolutionGeometry { shape }

    func forward(_ x: UnsafePointer<Float>, items: Int, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 scratch: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        for item in 0..<items {
            shape.pad(x + item * shape.inputCount, into: scratch, rowStride: frameRowStride)
            forward(frame: scratch, weights: weights, bias: bias, into: y + item * shape.outputCount)
        }
    }

    /// Per item: the padded frame, the kernel gradient added in the kernel's own layout and,
    /// from the transposed kernel (`arranged`), the input gradient.
    func backward(_ x: UnsafePointer<Float>, gradient dz: UnsafePointer<Float>, items: Int,
                  weights: UnsafePointer<Float>, arranged: UnsafePointer<Float>?,
                  scratch: UnsafeMutablePointer<Float>, accumulator: UnsafeMutablePointer<Float>,
                  inputGradient dx: UnsafeMutablePointer<Float>?) {
        let (frame, gradientFrame) = (scratch, scratch + frameCount)
        for item in 0..<items {
            shape.pad(x + item * shape.inputCount, into: frame, rowStride: frameRowStride)
            accumulateKernelGradient(frame: frame, gradient: dz + item * shape.outputCount, into: accumulator)
            if let dx, let arranged {
                inputGradient(gradient: dz + item * shape.outputCount, transposed: arranged, scratch: gradientFrame,
                              into: dx + item * shape.inputCount)
            }
        }
    }

    var arrangedWeightsCount: Int { transposedCount }

    func arrangeWeights(_ w: UnsafePointer<Float>, into arranged: UnsafeMutablePointer<Float>) {
        transpose(w, into: arranged)
    }

    /// Values in one row of the padded frame.
    var frameRowStride: Int { shape.paddedWidth * shape.channels }
    /// One kernel row's taps and channels (kw · C), the run the kernels walk.
    var run: Int { shape.kernelWidth * shape.channels }
    /// `run` rounded up to whole vectors: the transposed weights' row length.
    var paddedRun: Int { (run + Vector.scalarCount - 1) / Vector.scalarCount * Vector.scalarCount }
    var frameCount: Int { shape.paddedHeight * frameRowStride + paddedRun }
    /// Scratch of one worker: the padded input and the padded input gradient.
    var scratchCount: Int { 2 * frameCount }
    /// The kernel transposed to (kh, filters, kw · C), rows padded to `paddedRun` with zeros.
    var transposedCount: Int { shape.kernelHeight * shape.filters * paddedRun }

    func transpose(_ w: UnsafePointer<Float>, into t: UnsafeMutablePointer<Float>) {
        let (f, run, padded) = (shape.filters, run, paddedRun)
        t.update(repeating: 0, count: transposedCount)
        for dy in 0..<shape.kernelHeight {
            for k in 0..<run {
                for filter in 0..<f { t[(dy * f + filter) * padded + k] = w[(dy * run + k) * f + filter] }
            }
        }
    }

    /// One item's pre-activation output from its padded frame.
    func forward(frame: UnsafePointer<Float>, weights w: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 into y: UnsafeMutablePointer<Float>) {
        let (f, run, rowStride) = (shape.filters, run, frameRowStride)
        let (oh, ow, sx, sy) = (shape.outputHeight, shape.outputWidth, shape.strideX, shape.strideY)
        let step = sx * shape.channels  // from one output position's window to the next
        for chunk in stride(from: 0, to: f, by: Vector.scalarCount) {
            let b = Kernels.load(bias + chunk)
            var oy = 0
            #if WIDE_VECTOR_REGISTERS
            // Two rows × five positions: ten sums in flight, which 32 vector registers hold.
            let down = sy * rowStride
            while oy + 2 <= oh {
                var ox = 0
                while ox + 5 <= ow {
                    var (s0, s1, s2, s3, s4) = (b, b, b, b, b)
                    var (t0, t1, t2, t3, t4) = (b, b, b, b, b)
                    for dy in 0..<shape.kernelHeight {
                        let x = frame + (oy * sy + dy) * rowStride + ox * step
                        let wRow = w + dy * run * f + chunk
                        for k in 0..<run {
                            let weight = Kernels.load(wRow + k * f)
                            s0.addProduct(Vector(repeating: x[k]), weight)
                            s1.addProduct(Vector(repeating: x[k + step]), weight)
                            s2.addProduct(Vector(repeating: x[k + 2 * step]), weight)
                            s3.addProduct(Vector(repeating: x[k + 3 * step]), weight)
                            s4.addProduct(Vector(repeating: x[k + 4 * step]), weight)
                            t0.addProduct(Vector(repeating: x[down + k]), weight)
                            t1.addProduct(Vector(repeating: x[down + k + step]), weight)
                            t2.addProduct(Vector(repeating: x[down + k + 2 * step]), weight)
                            t3.addProduct(Vector(repeating: x[down + k + 3 * step]), weight)
                            t4.addProduct(Vector(repeating: x[down + k + 4 * step]), weight)
                        }
                    }
                    var out = y + (oy * ow + ox) * f + chunk
                    Kernels.store(s0, out); Kernels.store(s1, out + f); Kernels.store(s2, out + 2 * f)
                    Kernels.store(s3, out + 3 * f); Kernels.store(s4, out + 4 * f)
                    out += ow * f
                    Kernels.store(t0, out); Kernels.store(t1, out + f); Kernels.store(t2, out + 2 * f)
                    Kernels.store(t3, out + 3 * f); Kernels.store(t4, out + 4 * f)
                    ox += 5
                }
                forwardRow(oy, from: ox, chunk: chunk, bias: b, frame: frame, weights: w, into: y)
                forwardRow(oy + 1, from: ox, chunk: chunk, bias: b, frame: frame, weights: w, into: y)
                oy += 2
            }
            #endif
            while oy < oh {
                forwardRow(oy, from: 0, chunk: chunk, bias: b, frame: frame, weights: w, into: y)
                oy += 1
            }
        }
    }

    /// Output row `oy` from position `ox` on, for the filters of one vector.
    @inline(__always)
    private func forwardRow(_ oy: Int, from ox: Int, chunk: Int, bias b: Vector, frame: UnsafePointer<Float>,
                            weights w: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let (f, run, rowStride) = (shape.filters, run, frameRowStride)
        let (ow, sy, step) = (shape.outputWidth, shape.strideY, shape.strideX * shape.channels)
        var ox = ox
        // Five positions at a time: each weight vector loaded once serves five sums.
        while ox + 5 <= ow {
            var (s0, s1, s2, s3, s4) = (b, b, b, b, b)
            for dy in 0..<shape.kernelHeight {
                let x = frame + (oy * sy + dy) * rowStride + ox * step
                let wRow = w + dy * run * f + chunk
                for k in 0..<run {
                    let weight = Kernels.load(wRow + k * f)
                    s0.addProduct(Vector(repeating: x[k]), weight)
                    s1.addProduct(Vector(repeating: x[k + step]), weight)
                    s2.addProduct(Vector(repeating: x[k + 2 * step]), weight)
                    s3.addProduct(Vector(repeating: x[k + 3 * step]), weight)
                    s4.addProduct(Vector(repeating: x[k + 4 * step]), weight)
                }
            }
            let out = y + (oy * ow + ox) * f + chunk
            Kernels.store(s0, out)
            Kernels.store(s1, out + f)
            Kernels.store(s2, out + 2 * f)
            Kernels.store(s3, out + 3 * f)
            Kernels.store(s4, out + 4 * f)
            ox += 5
        }
        while ox < ow {
            var s = b
            for dy in 0..<shape.kernelHeight {
                let x = frame + (oy * sy + dy) * rowStride + ox * step
                let wRow = w + dy * run * f + chunk
                for k in 0..<run { s.addProduct(Vector(repeating: x[k]), Kernels.load(wRow + k * f)) }
            }
            Kernels.store(s, y + (oy * ow + ox) * f + chunk)
            ox += 1
        }
    }

    /// Adds one item's kernel gradient to `dw` (the kernel's own layout).
    func accumulateKernelGradient(frame: UnsafePointer<Float>, gradient dz: UnsafePointer<Float>,
                                  into dw: UnsafeMutablePointer<Float>) {
        let (f, run, rowStride) = (shape.filters, run, frameRowStride)
        let (oh, ow, sx, sy) = (shape.outputHeight, shape.outputWidth, shape.strideX, shape.strideY)
        let step = sx * shape.channels
        for chunk in stride(from: 0, to: f, by: Vector.scalarCount) {
            for dy in 0..<shape.kernelHeight {
                let dwRow = dw + dy * run * f + chunk
                var k = 0
                #if WIDE_VECTOR_REGISTERS
                // Twelve (tap, channel) sums at a time, kept in registers over every position.
                while k + 12 <= run {
                    let s = dwRow + k * f
                    var (s0, s1, s2, s3) = (Kernels.load(s), Kernels.load(s + f), Kernels.load(s + 2 * f), Kernels.load(s + 3 * f))
                    var (s4, s5, s6, s7) = (Kernels.load(s + 4 * f), Kernels.load(s + 5 * f), Kernels.load(s + 6 * f),
                                            Kernels.load(s + 7 * f))
                    var (s8, s9, s10, s11) = (Kernels.load(s + 8 * f), Kernels.load(s + 9 * f), Kernels.load(s + 10 * f),
                                              Kernels.load(s + 11 * f))
                    for oy in 0..<oh {
                        var x = frame + (oy * sy + dy) * rowStride + k
                        var g = dz + oy * ow * f + chunk
                        for _ in 0..<ow {
                            let gradient = Kernels.load(g)
                            s0.addProduct(Vector(repeating: x[0]), gradient)
                            s1.addProduct(Vector(repeating: x[1]), gradient)
                            s2.addProduct(Vector(repeating: x[2]), gradient)
                            s3.addProduct(Vector(repeating: x[3]), gradient)
                            s4.addProduct(Vector(repeating: x[4]), gradient)
                            s5.addProduct(Vector(repeating: x[5]), gradient)
                            s6.addProduct(Vector(repeating: x[6]), gradient)
                            s7.addProduct(Vector(repeating: x[7]), gradient)
                            s8.addProduct(Vector(repeating: x[8]), gradient)
                            s9.addProduct(Vector(repeating: x[9]), gradient)
                            s10.addProduct(Vector(repeating: x[10]), gradient)
                            s11.addProduct(Vector(repeating: x[11]), gradient)
                            x += step
                            g += f
                        }
                    }
                    Kernels.store(s0, s); Kernels.store(s1, s + f); Kernels.store(s2, s + 2 * f); Kernels.store(s3, s + 3 * f)
                    Kernels.store(s4, s + 4 * f); Kernels.store(s5, s + 5 * f); Kernels.store(s6, s + 6 * f)
                    Kernels.store(s7, s + 7 * f); Kernels.store(s8, s + 8 * f); Kernels.store(s9, s + 9 * f)
                    Kernels.store(s10, s + 10 * f); Kernels.store(s11, s + 11 * f)
                    k += 12
                }
                #endif
                // Six (tap, channel) sums at a time, kept in registers over every position.
                while k + 6 <= run {
                    var (s0, s1, s2, s3, s4, s5) = (Kernels.load(dwRow + k * f), Kernels.load(dwRow + (k + 1) * f),
                                                    Kernels.load(dwRow + (k + 2) * f), Kernels.load(dwRow + (k + 3) * f),
                                                    Kernels.load(dwRow + (k + 4) * f), Kernels.load(dwRow + (k + 5) * f))
                    for oy in 0..<oh {
                        var x = frame + (oy * sy + dy) * rowStride + k
                        var g = dz + oy * ow * f + chunk
                        for _ in 0..<ow {
                            let gradient = Kernels.load(g)
                            s0.addProduct(Vector(repeating: x[0]), gradient)
                            s1.addProduct(Vector(repeating: x[1]), gradient)
                            s2.addProduct(Vector(repeating: x[2]), gradient)
                            s3.addProduct(Vector(repeating: x[3]), gradient)
                            s4.addProduct(Vector(repeating: x[4]), gradient)
                            s5.addProduct(Vector(repeating: x[5]), gradient)
                            x += step
                            g += f
                        }
                    }
                    Kernels.store(s0, dwRow + k * f)
                    Kernels.store(s1, dwRow + (k + 1) * f)
                    Kernels.store(s2, dwRow + (k + 2) * f)
                    Kernels.store(s3, dwRow + (k + 3) * f)
                    Kernels.store(s4, dwRow + (k + 4) * f)
                    Kernels.store(s5, dwRow + (k + 5) * f)
                    k += 6
                }
                while k < run {
                    var s = Kernels.load(dwRow + k * f)
                    for oy in 0..<oh {
                        for ox in 0..<ow {
                            s.addProduct(Vector(repeating: frame[(oy * sy + dy) * rowStride + ox * step + k]),
                                         Kernels.load(dz + (oy * ow + ox) * f + chunk))
                        }
                    }
                    Kernels.store(s, dwRow + k * f)
                    k += 1
                }
            }
        }
    }

    /// One item's input gradient: for each output position and kernel row, the gradient of the
    /// window's run (kw · C values) is Σ over filters of dz · (that filter's weights), built a
    /// vector of the run at a time and added onto the padded frame, then cropped onto `dx`.
    ///
    /// Four output rows are done at once: their runs lie in different frame rows, so the four
    /// read-add-writes never overlap one another (neighbouring positions of one row would, and a
    /// read overlapping a store still in flight stalls).
    func inputGradient(gradient dz: UnsafePointer<Float>, transposed t: UnsafePointer<Float>,
                       scratch frame: UnsafeMutablePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        let (f, padded, rowStride) = (shape.filters, paddedRun, frameRowStride)
        let (oh, ow, sx, sy) = (shape.outputHeight, shape.outputWidth, shape.strideX, shape.strideY)
        let step = sx * shape.channels
        let (width, rows) = (Vector.scalarCount, sy * rowStride)  // rows: from one output row's frame row to the next
        let zero = Vector(repeating: 0)
        frame.update(repeating: 0, count: frameCount)
        var oy = 0
        #if WIDE_VECTOR_REGISTERS
        // Five rows × two vectors of the run: ten sums in flight, which 32 vector registers hold.
        while oy + 5 <= oh && 2 * width <= padded {
            for ox in 0..<ow {
                let g = dz + (oy * ow + ox) * f
                let gs = ow * f
                for dy in 0..<shape.kernelHeight {
                    let tRow = t + dy * f * padded
                    let target = frame + (oy * sy + dy) * rowStride + ox * step
                    var j = 0
                    while j + 2 * width <= padded {
                        var (s0, s1, s2, s3, s4) = (zero, zero, zero, zero, zero)
                        var (r0, r1, r2, r3, r4) = (zero, zero, zero, zero, zero)
                        for filter in 0..<f {
                            let weight = Kernels.load(tRow + filter * padded + j)
                            let next = Kernels.load(tRow + filter * padded + j + width)
                            var b = Vector(repeating: g[filter]); s0.addProduct(b, weight); r0.addProduct(b, next)
                            b = Vector(repeating: g[gs + filter]); s1.addProduct(b, weight); r1.addProduct(b, next)
                            b = Vector(repeating: g[2 * gs + filter]); s2.addProduct(b, weight); r2.addProduct(b, next)
                            b = Vector(repeating: g[3 * gs + filter]); s3.addProduct(b, weight); r3.addProduct(b, next)
                            b = Vector(repeating: g[4 * gs + filter]); s4.addProduct(b, weight); r4.addProduct(b, next)
                        }
                        var at = target + j
                        Kernels.store(Kernels.load(at) + s0, at); Kernels.store(Kernels.load(at + width) + r0, at + width)
                        at += rows
                        Kernels.store(Kernels.load(at) + s1, at); Kernels.store(Kernels.load(at + width) + r1, at + width)
                        at += rows
                        Kernels.store(Kernels.load(at) + s2, at); Kernels.store(Kernels.load(at + width) + r2, at + width)
                        at += rows
                        Kernels.store(Kernels.load(at) + s3, at); Kernels.store(Kernels.load(at + width) + r3, at + width)
                        at += rows
                        Kernels.store(Kernels.load(at) + s4, at); Kernels.store(Kernels.load(at + width) + r4, at + width)
                        j += 2 * width
                    }
                    // A lone last vector of the run, one row at a time.
                    if j < padded {
                        for r in 0..<5 {
                            var sum = zero
                            for filter in 0..<f {
                                sum.addProduct(Vector(repeating: g[r * gs + filter]), Kernels.load(tRow + filter * padded + j))
                            }
                            let at = target + r * rows + j
                            Kernels.store(Kernels.load(at) + sum, at)
                        }
                    }
                }
            }
            oy += 5
        }
        #endif
        while oy < oh {
            let block = min(4, oh - oy)
            for ox in 0..<ow {
                let g = dz + (oy * ow + ox) * f
                let gs = ow * f  // from one output row's gradient to the next
                for dy in 0..<shape.kernelHeight {
                    let tRow = t + dy * f * padded
                    let target = frame + (oy * sy + dy) * rowStride + ox * step
                    var j = 0
                    while j < padded {
                        // Lanes beyond the run have zero weights: they add nothing to the next pixels.
                        if block == 4 && j + 2 * width <= padded {
                            // Four rows × two vectors of the run: eight independent sums.
                            var (s0, s1, s2, s3) = (zero, zero, zero, zero)
                            var (r0, r1, r2, r3) = (zero, zero, zero, zero)
                            for filter in 0..<f {
                                let weight = Kernels.load(tRow + filter * padded + j)
                                let next = Kernels.load(tRow + filter * padded + j + width)
                                var b = Vector(repeating: g[filter]); s0.addProduct(b, weight); r0.addProduct(b, next)
                                b = Vector(repeating: g[gs + filter]); s1.addProduct(b, weight); r1.addProduct(b, next)
                                b = Vector(repeating: g[2 * gs + filter]); s2.addProduct(b, weight); r2.addProduct(b, next)
                                b = Vector(repeating: g[3 * gs + filter]); s3.addProduct(b, weight); r3.addProduct(b, next)
                            }
                            var at = target + j
                            Kernels.store(Kernels.load(at) + s0, at); Kernels.store(Kernels.load(at + width) + r0, at + width)
                            at += rows
                            Kernels.store(Kernels.load(at) + s1, at); Kernels.store(Kernels.load(at + width) + r1, at + width)
                            at += rows
                            Kernels.store(Kernels.load(at) + s2, at); Kernels.store(Kernels.load(at + width) + r2, at + width)
                            at += rows
                            Kernels.store(Kernels.load(at) + s3, at); Kernels.store(Kernels.load(at + width) + r3, at + width)
                            j += width  // and once more below
                        } else if block == 4 {
                            var (s0, s1, s2, s3) = (zero, zero, zero, zero)
                            for filter in 0..<f {
                                let weight = Kernels.load(tRow + filter * padded + j)
                                s0.addProduct(Vector(repeating: g[filter]), weight)
                                s1.addProduct(Vector(repeating: g[gs + filter]), weight)
                                s2.addProduct(Vector(repeating: g[2 * gs + filter]), weight)
                                s3.addProduct(Vector(repeating: g[3 * gs + filter]), weight)
                            }
                            let at = target + j
                            Kernels.store(Kernels.load(at) + s0, at)
                            Kernels.store(Kernels.load(at + rows) + s1, at + rows)
                            Kernels.store(Kernels.load(at + 2 * rows) + s2, at + 2 * rows)
                            Kernels.store(Kernels.load(at + 3 * rows) + s3, at + 3 * rows)
                        } else {
                            for r in 0..<block {
                                var (even, odd) = (zero, zero)
                                var filter = 0
                                while filter < f {
                                    even.addProduct(Vector(repeating: g[r * gs + filter]), Kernels.load(tRow + filter * padded + j))
                                    odd.addProduct(Vector(repeating: g[r * gs + filter + 1]),
                                                   Kernels.load(tRow + (filter + 1) * padded + j))
                                    filter += 2
                                }
                                let at = target + r * rows + j
                                Kernels.store(Kernels.load(at) + (even + odd), at)
                            }
                        }
                        j += width
                    }
                }
            }
            oy += block
        }
        shape.crop(frame, rowStride: rowStride, into: dx)
    }
}
