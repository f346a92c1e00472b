/// Convolution of a single-channel input at stride 1 (LeNet's first layer), without a patch matrix.
///
/// Vectors run along an output row (16 columns a vector); six filters are computed at once, so
/// each input vector loaded serves six products, each against one broadcast weight. The sums
/// come out filter by filter ("planar") and are interleaved into the channels-last output row
/// by row; the backward pass makes the output gradient planar the same way.
struct SingleChannelRowsConvolution: ConvolutionAlgorithm {
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

    var geometry: ConvolutionGeometry { shape }

    func forward(_ x: UnsafePointer<Float>, items: Int, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 scratch: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        for item in 0..<items {
            pad(x + item * shape.inputCount, into: scratch)
            forward(frame: scratch, weights: weights, bias: bias, rows: scratch + frameCount, into: y + item * shape.outputCount)
        }
    }

    /// Per item: the padded frame, the planar gradient, its per-lane kernel-gradient sums (the
    /// worker's accumulator) and, spread over a padded gradient frame, the input gradient.
    func backward(_ x: UnsafePointer<Float>, gradient dz: UnsafePointer<Float>, items: Int,
                  weights: UnsafePointer<Float>, arranged: UnsafePointer<Float>?,
                  scratch: UnsafeMutablePointer<Float>, accumulator: UnsafeMutablePointer<Float>,
                  inputGradient dx: UnsafeMutablePointer<Float>?) {
        let (frame, planar) = (scratch, scratch + frameCount)
        let gradientFrame = planar + planarCount
        for item in 0..<items {
            pad(x + item * shape.inputCount, into: frame)
            self.planar(dz + item * shape.outputCount, into: planar)
            accumulateKernelGradient(frame: frame, planar: planar, into: accumulator)
            if let dx {
                inputGradient(planar: planar, weights: weights, scratch: gradientFrame, into: dx + item * shape.inputCount)
            }
        }
    }

    var accumulatorCount: Int { laneSumsCount }

    func finishKernelGradient(_ accumulator: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>) {
        dw.update(repeating: 0, count: shape.kernelCount)
        foldKernelGradient(accumulator, into: dw)
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
