/// The sizes of one convolution, as its kernels need them.
///
/// Every kernel reads a zero-padded copy of one input item in which each window lies whole:
/// `paddedHeight × paddedWidth` pixels of `channels` values, the item placed at (`top`, `left`).
struct ConvolutionGeometry {
    let height: Int, width: Int, channels: Int
    let kernelHeight: Int, kernelWidth: Int, filters: Int
    let strideY: Int, strideX: Int
    let outputHeight: Int, outputWidth: Int
    let top: Int, left: Int

    var taps: Int { kernelHeight * kernelWidth }
    var paddedHeight: Int { (outputHeight - 1) * strideY + kernelHeight }
    var paddedWidth: Int { (outputWidth - 1) * strideX + kernelWidth }
    var inputCount: Int { height * width * channels }
    var outputCount: Int { outputHeight * outputWidth * filters }

    /// Copies one item into its zero-padded frame: `paddedWidth · channels` values a row,
    /// rows `rowStride` apart (the tail of each row beyond the frame is zeroed too).
    func pad(_ x: UnsafePointer<Float>, into frame: UnsafeMutablePointer<Float>, rowStride: Int) {
        for py in 0..<paddedHeight {
            let row = frame + py * rowStride
            let iy = py - top
            row.update(repeating: 0, count: rowStride)
            guard iy >= 0 && iy < height else { continue }
            // The padded columns px whose input column px − left exists.
            let first = max(0, left), last = min(paddedWidth, width + left)
            guard first < last else { continue }
            (row + first * channels).update(from: x + (iy * width + first - left) * channels,
                                           count: (last - first) * channels)
        }
    }

    /// Adds the input-sized part of a padded gradient frame onto one item's input gradient.
    func crop(_ frame: UnsafePointer<Float>, rowStride: Int, into dx: UnsafeMutablePointer<Float>) {
        for iy in 0..<height {
            let py = iy + top
            guard py < paddedHeight else { break }
            let first = max(0, -left), last = min(width, paddedWidth - left)
            guard first < last else { continue }
            let source = frame + py * rowStride + (first + left) * channels
            let dest = dx + (iy * width + first) * channels
            for i in 0..<(last - first) * channels { dest[i] += source[i] }
        }
    }
}

/// A convolution computed by the engine's own kernels, item by item, without a patch matrix.
protocol DirectConvolution {
    var shape: ConvolutionGeometry { get }
    /// Scratch values one worker needs.
    var scratchCount: Int { get }
    /// One item's pre-activation output from its input, using the worker's `scratch`.
    func forward(item x: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 scratch: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>)
}

/// Convolution of a single-channel input at stride 1 (LeNet's first layer), without a patch matrix.
///
/// Vectors run along an output row (16 columns a vector); six filters are computed at once, so
/// each input vector loaded serves six products, each against one broadcast weight. The sums
/// come out filter by filter ("planar") and are interleaved into the channels-last output row
/// by row; the backward pass makes the output gradient planar the same way.
struct SingleChannelConvolution: DirectConvolution {
    typealias Vector = SIMD16<Float>
    static let width = Vector.scalarCount
    let shape: ConvolutionGeometry
    /// The starts of the vectors along an output row, in pairs (−1 for a lone last vector's
    /// partner); the last vector ends at the row's end and may overlap the one before.
    let vectorPairs: [(Int, Int)]

    init?(_ shape: ConvolutionGeometry) {
        guard shape.channels == 1, shape.strideY == 1, shape.strideX == 1,
              shape.outputWidth >= Self.width else { return nil }
        self.shape = shape
        let ow = shape.outputWidth
        let starts = stride(from: 0, to: ow, by: Self.width).map { min($0, ow - Self.width) }
        vectorPairs = stride(from: 0, to: starts.count, by: 2).map { i in
            (starts[i], i + 1 < starts.count ? starts[i + 1] : -1)
        }
    }

    func forward(item x: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 scratch: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        pad(x, into: scratch)
        forward(frame: scratch, weights: weights, bias: bias, rows: scratch + frameCount, into: y)
    }

    /// One item's zero-padded frame, the room after its last row zeroed too (vectors read into it).
    func pad(_ x: UnsafePointer<Float>, into frame: UnsafeMutablePointer<Float>) {
        let rows = shape.paddedHeight * shape.paddedWidth
        shape.pad(x, into: frame, rowStride: shape.paddedWidth)
        (frame + rows).update(repeating: 0, count: frameCount - rows)
    }

    /// An output row rounded up to whole vectors: the planar rows' length.
    var planarWidth: Int { (shape.outputWidth + Self.width - 1) / Self.width * Self.width }
    /// The padded input, with room for a whole vector read from the end of its last row.
    var frameCount: Int { shape.paddedHeight * shape.paddedWidth + planarWidth }
    /// One item's output gradient, planar: filters × output rows × `planarWidth`.
    var planarCount: Int { shape.filters * shape.outputHeight * planarWidth }
    /// Scratch of one worker: the padded input, the planar rows, the padded input gradient.
    var scratchCount: Int { 2 * frameCount + planarCount }
    /// Per-lane kernel-gradient sums of one worker: taps × filters × `planarWidth`.
    var laneSumsCount: Int { shape.taps * shape.filters * planarWidth }

    /// One item's pre-activation output from its padded frame; `rows` is the worker's planar scratch.
    func forward(frame: UnsafePointer<Float>, weights w: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 rows: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let (f, ow, kh, kw, pw) = (shape.filters, shape.outputWidth, shape.kernelHeight, shape.kernelWidth, shape.paddedWidth)
        for oy in 0..<shape.outputHeight {
            for (c0, c1) in vectorPairs {
                // A lone last vector is computed twice over rather than needing its own kernel.
                let c1 = c1 < 0 ? c0 : c1
                var f0 = 0
                while f0 < f {
                    let group = min(6, f - f0)
                    if group == 6 {
                        var (a0, a1, a2) = (Vector(repeating: bias[f0]), Vector(repeating: bias[f0 + 1]), Vector(repeating: bias[f0 + 2]))
                        var (a3, a4, a5) = (Vector(repeating: bias[f0 + 3]), Vector(repeating: bias[f0 + 4]), Vector(repeating: bias[f0 + 5]))
                        var (b0, b1, b2, b3, b4, b5) = (a0, a1, a2, a3, a4, a5)
                        for dy in 0..<kh {
                            let row = frame + (oy + dy) * pw
                            for dx in 0..<kw {
                                let (v0, v1) = (Kernels.load(row + dx + c0), Kernels.load(row + dx + c1))
                                let q = w + (dy * kw + dx) * f + f0
                                var s = Vector(repeating: q[0]); a0.addProduct(v0, s); b0.addProduct(v1, s)
                                s = Vector(repeating: q[1]); a1.addProduct(v0, s); b1.addProduct(v1, s)
                                s = Vector(repeating: q[2]); a2.addProduct(v0, s); b2.addProduct(v1, s)
                                s = Vector(repeating: q[3]); a3.addProduct(v0, s); b3.addProduct(v1, s)
                                s = Vector(repeating: q[4]); a4.addProduct(v0, s); b4.addProduct(v1, s)
                                s = Vector(repeating: q[5]); a5.addProduct(v0, s); b5.addProduct(v1, s)
                            }
                        }
                        // The second vector first: where the two overlap, the first one's lanes are
                        // the same values anyway.
                        let (out, pw) = (rows + f0 * planarWidth, planarWidth)
                        Kernels.store(b0, out + c1); Kernels.store(a0, out + c0)
                        Kernels.store(b1, out + pw + c1); Kernels.store(a1, out + pw + c0)
                        Kernels.store(b2, out + 2 * pw + c1); Kernels.store(a2, out + 2 * pw + c0)
                        Kernels.store(b3, out + 3 * pw + c1); Kernels.store(a3, out + 3 * pw + c0)
                        Kernels.store(b4, out + 4 * pw + c1); Kernels.store(a4, out + 4 * pw + c0)
                        Kernels.store(b5, out + 5 * pw + c1); Kernels.store(a5, out + 5 * pw + c0)
                    } else {
                        for filter in f0..<f0 + group {
                            var (a, b) = (Vector(repeating: bias[filter]), Vector(repeating: bias[filter]))
                            for dy in 0..<kh {
                                let row = frame + (oy + dy) * pw
                                for dx in 0..<kw {
                                    let s = Vector(repeating: w[(dy * kw + dx) * f + filter])
                                    a.addProduct(Kernels.load(row + dx + c0), s)
                                    b.addProduct(Kernels.load(row + dx + c1), s)
                                }
                            }
                            Kernels.store(b, rows + filter * planarWidth + c1)
                            Kernels.store(a, rows + filter * planarWidth + c0)
                        }
                    }
                    f0 += group
                }
            }
            // Planar rows → the channels-last output row.
            let out = y + oy * ow * f
            for filter in 0..<f {
                let source = rows + filter * planarWidth
                var target = out + filter
                for ox in 0..<ow { target.pointee = source[ox]; target += f }
            }
        }
    }

    /// One item's output gradient made planar (filter, row, column), zero beyond each row's end.
    func planar(_ dz: UnsafePointer<Float>, into rows: UnsafeMutablePointer<Float>) {
        let (f, oh, ow, pw) = (shape.filters, shape.outputHeight, shape.outputWidth, planarWidth)
        for filter in 0..<f {
            for oy in 0..<oh {
                let target = rows + (filter * oh + oy) * pw
                var source = dz + oy * ow * f + filter
                for ox in 0..<ow { target[ox] = source.pointee; source += f }
                (target + ow).update(repeating: 0, count: pw - ow)
            }
        }
    }

    /// Adds one item's kernel gradient, per lane, to `sums` (tap, filter, lane).
    func accumulateKernelGradient(frame: UnsafePointer<Float>, planar dz: UnsafePointer<Float>,
                                  into sums: UnsafeMutablePointer<Float>) {
        let (f, oh, kw, pw, width) = (shape.filters, shape.outputHeight, shape.kernelWidth, shape.paddedWidth, planarWidth)
        let gs = oh * width  // from one filter's planar gradient to the next
        for dy in 0..<shape.kernelHeight {
            var dx = 0
            // Four neighbouring taps × three filters: twelve sums, each gradient vector loaded
            // once for four taps and each input vector once for three filters.
            while dx + 4 <= kw && f % 3 == 0 {
                for c in stride(from: 0, to: width, by: Self.width) {
                    for f0 in stride(from: 0, to: f, by: 3) {
                        let s = sums + (dy * kw + dx) * f * width + f0 * width + c
                        let tap = f * width  // from one tap's sums to the next
                        var (a0, a1, a2) = (Kernels.load(s), Kernels.load(s + width), Kernels.load(s + 2 * width))
                        var (b0, b1, b2) = (Kernels.load(s + tap), Kernels.load(s + tap + width), Kernels.load(s + tap + 2 * width))
                        var (c0, c1, c2) = (Kernels.load(s + 2 * tap), Kernels.load(s + 2 * tap + width),
                                            Kernels.load(s + 2 * tap + 2 * width))
                        var (d0, d1, d2) = (Kernels.load(s + 3 * tap), Kernels.load(s + 3 * tap + width),
                                            Kernels.load(s + 3 * tap + 2 * width))
                        let g = dz + f0 * gs + c
                        for oy in 0..<oh {
                            let (g0, g1, g2) = (Kernels.load(g + oy * width), Kernels.load(g + gs + oy * width),
                                                Kernels.load(g + 2 * gs + oy * width))
                            let row = frame + (oy + dy) * pw + dx + c
                            var v = Kernels.load(row)
                            a0.addProduct(v, g0); a1.addProduct(v, g1); a2.addProduct(v, g2)
                            v = Kernels.load(row + 1)
                            b0.addProduct(v, g0); b1.addProduct(v, g1); b2.addProduct(v, g2)
                            v = Kernels.load(row + 2)
                            c0.addProduct(v, g0); c1.addProduct(v, g1); c2.addProduct(v, g2)
                            v = Kernels.load(row + 3)
                            d0.addProduct(v, g0); d1.addProduct(v, g1); d2.addProduct(v, g2)
                        }
                        Kernels.store(a0, s); Kernels.store(a1, s + width); Kernels.store(a2, s + 2 * width)
                        Kernels.store(b0, s + tap); Kernels.store(b1, s + tap + width); Kernels.store(b2, s + tap + 2 * width)
                        Kernels.store(c0, s + 2 * tap); Kernels.store(c1, s + 2 * tap + width)
                        Kernels.store(c2, s + 2 * tap + 2 * width)
                        Kernels.store(d0, s + 3 * tap); Kernels.store(d1, s + 3 * tap + width)
                        Kernels.store(d2, s + 3 * tap + 2 * width)
                    }
                }
                dx += 4
            }
            for dx in dx..<kw {
                let tapSums = sums + (dy * kw + dx) * f * width
                for c in stride(from: 0, to: width, by: Self.width) {
                    var f0 = 0
                    // Six filters at a time: six independent sums, one input vector shared by all.
                    while f0 + 6 <= f {
                        let (s, g) = (tapSums + f0 * width + c, dz + f0 * oh * width + c)
                        var (a0, a1, a2) = (Kernels.load(s), Kernels.load(s + width), Kernels.load(s + 2 * width))
                        var (a3, a4, a5) = (Kernels.load(s + 3 * width), Kernels.load(s + 4 * width), Kernels.load(s + 5 * width))
                        for oy in 0..<oh {
                            let v = Kernels.load(frame + (oy + dy) * pw + dx + c)
                            let row = g + oy * width
                            a0.addProduct(v, Kernels.load(row))
                            a1.addProduct(v, Kernels.load(row + gs))
                            a2.addProduct(v, Kernels.load(row + 2 * gs))
                            a3.addProduct(v, Kernels.load(row + 3 * gs))
                            a4.addProduct(v, Kernels.load(row + 4 * gs))
                            a5.addProduct(v, Kernels.load(row + 5 * gs))
                        }
                        Kernels.store(a0, s); Kernels.store(a1, s + width); Kernels.store(a2, s + 2 * width)
                        Kernels.store(a3, s + 3 * width); Kernels.store(a4, s + 4 * width); Kernels.store(a5, s + 5 * width)
                        f0 += 6
                    }
                    for filter in f0..<f {
                        let (s, g) = (tapSums + filter * width + c, dz + filter * oh * width + c)
                        var a = Kernels.load(s)
                        for oy in 0..<oh {
                            a.addProduct(Kernels.load(frame + (oy + dy) * pw + dx + c), Kernels.load(g + oy * width))
                        }
                        Kernels.store(a, s)
                    }
                }
            }
        }
    }

    /// Folds the per-lane sums onto the kernel's (tap, filter) layout, adding to `dw`.
    func foldKernelGradient(_ sums: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>) {
        for index in 0..<shape.taps * shape.filters {
            let lanes = sums + index * planarWidth
            var total: Float = 0
            for lane in 0..<shape.outputWidth { total += lanes[lane] }
            dw[index] += total
        }
    }

    /// Adds one item's input gradient to `dx`: each tap spreads Σ_filters dz · weight over the
    /// padded frame (`scratch`), which is then cropped onto the item.
    func inputGradient(planar dz: UnsafePointer<Float>, weights w: UnsafePointer<Float>,
                       scratch frame: UnsafeMutablePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        let (f, oh, kw, pw, width) = (shape.filters, shape.outputHeight, shape.kernelWidth, shape.paddedWidth, planarWidth)
        frame.update(repeating: 0, count: frameCount)
        for oy in 0..<oh {
            for dy in 0..<shape.kernelHeight {
                for dx in 0..<kw {
                    let q = w + (dy * kw + dx) * f
                    let target = frame + (oy + dy) * pw + dx
                    // Lanes beyond the row's end carry zero gradients: they add nothing.
                    for c in stride(from: 0, to: width, by: Self.width) {
                        var sum = Kernels.load(target + c)
                        for filter in 0..<f {
                            sum.addProduct(Kernels.load(dz + (filter * oh + oy) * width + c), Vector(repeating: q[filter]))
                        }
                        Kernels.store(sum, target + c)
                    }
                }
            }
        }
        shape.crop(frame, rowStride: pw, into: dx)
    }
}

/// Convolution whose filters fill whole 16-lane vectors (LeNet's second layer), without a patch
/// matrix: one vector holds sixteen filters of one output position, and each input value is
/// broadcast against the weight vectors of its tap.
struct FilterVectorConvolution: DirectConvolution {
    typealias Vector = SIMD16<Float>
    let shape: ConvolutionGeometry

    init?(_ shape: ConvolutionGeometry) {
        guard shape.filters % Vector.scalarCount == 0 else { return nil }
        self.shape = shape
    }

    func forward(item x: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 scratch: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        shape.pad(x, into: scratch, rowStride: frameRowStride)
        forward(frame: scratch, weights: weights, bias: bias, into: y)
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
