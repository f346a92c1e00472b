import CKernels
import NeuralEngine
import Testing

/// The C kernels of the layers between the products (resampling, max pooling, the ReLU mask with
/// its bias sums) and the single-channel convolution with filters in vectors, at every level
/// this CPU runs: bit for bit against a scalar Swift statement of the order `kernels.h` gives,
/// and against the baseline level.
@Suite("Layer kernels at every level")
struct LayerKernelTests {
    static func random(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return randomTensor(shape: [count], using: &generator).scalars
    }

    static func same(_ a: [Float], _ b: [Float]) -> Bool { a.map(\.bitPattern) == b.map(\.bitPattern) }

    // MARK: Bilinear resampling

    /// Transforms that sample inside, across the border and wholly outside the image, on whole
    /// pixels, and with a NaN coefficient.
    static let maps: [[Float]] = [
        [1, 0, -1.5, 0, 1, 2.25],  // a translation by fractions of a pixel
        [0.9510565, -0.309017, 3.1, 0.309017, 0.9510565, -2.7],  // a turn by 18°
        [1, 0, 0, 0, 1, 0],  // the identity
        [0, 1, 0, 1, 0, 0],  // a transposition
        [1, 0, 100, 0, 1, 0],  // every tap outside
        [1, 0, .nan, 0, 1, 0],
    ]

    /// AffineResampling's definition, pixel by pixel.
    static func taps(_ t: [Float], height: Int, width: Int) -> (indices: [Int32], weights: [Float]) {
        var (indices, weights) = ([Int32](), [Float]())
        let (h, w) = (Float(height), Float(width))
        for y in 0..<height {
            for x in 0..<width {
                let sx = t[0] * Float(x) + t[1] * Float(y) + t[2], sy = t[3] * Float(x) + t[4] * Float(y) + t[5]
                let (x0, y0) = (sx.rounded(.down), sy.rounded(.down))
                let (fx, fy) = (sx - x0, sy - y0)
                for (row, column, weight) in [(y0, x0, (1 - fy) * (1 - fx)), (y0, x0 + 1, (1 - fy) * fx),
                                              (y0 + 1, x0, fy * (1 - fx)), (y0 + 1, x0 + 1, fy * fx)] {
                    let inside = row >= 0 && row < h && column >= 0 && column < w
                    indices.append(inside ? Int32(row) * Int32(width) + Int32(column) : 0)
                    weights.append(inside ? weight : 0)
                }
            }
        }
        return (indices, weights)
    }

    @Test("Affine taps and resampling: the documented order, the baseline's bits", arguments: KernelLevel.supported)
    func resampling(level: KernelLevel) {
        for (height, width, channels) in [(28, 28, 1), (5, 37, 1), (7, 9, 3), (4, 17, 16)] {
            let pixels = height * width
            let x = Self.random(pixels * channels, seed: 7)
            for (index, t) in Self.maps.enumerated() {
                func run(_ level: KernelLevel) -> (indices: [Int32], weights: [Float], y: [Float]) {
                    let table = ComputeKernels.table(level).pointee
                    var indices = [Int32](repeating: -1, count: 4 * pixels), weights = [Float](repeating: .nan, count: 4 * pixels)
                    table.affine_taps(t, height, width, &indices, &weights)
                    var y = [Float](repeating: .nan, count: pixels * channels)
                    var (scratchIndices, scratchWeights) = ([Int32](repeating: 0, count: 4 * pixels), [Float](repeating: 0, count: 4 * pixels))
                    table.affine_resample(t, height, width, channels, x, &y, &scratchIndices, &scratchWeights)
                    return (indices, weights, y)
                }
                let (indices, weights) = Self.taps(t, height: height, width: width)
                var expected = [Float](repeating: 0, count: pixels * channels)
                for p in 0..<pixels {
                    let i = (0..<4).map { Int(indices[4 * p + $0]) * channels }, w = (0..<4).map { weights[4 * p + $0] }
                    for c in 0..<channels {
                        expected[p * channels + c] = w[0] * x[i[0] + c] + w[1] * x[i[1] + c] + w[2] * x[i[2] + c] + w[3] * x[i[3] + c]
                    }
                }
                let got = run(level), baseline = run(.baseline)
                let name = "\(level) \(height)×\(width)×\(channels), map \(index)"
                #expect(got.indices == indices, "\(name): indices")
                #expect(Self.same(got.weights, weights), "\(name): weights")
                #expect(Self.same(got.y, expected), "\(name): resampled values")
                #expect(Self.same(got.y, baseline.y) && got.indices == baseline.indices, "\(name): not the baseline's bits")
            }
        }
    }

    // MARK: Max pooling

    @Test("Max pooling: first largest wins, NaN kept, the baseline's bits", arguments: KernelLevel.supported)
    func maxPooling(level: KernelLevel) {
        // (height, width, channels, pool, stride): tiling windows, overlapping ones, channels past
        // whole vectors of every level.
        for (height, width, channels, pool, step) in [(28, 28, 16, 2, 2), (7, 7, 3, 3, 2), (6, 5, 37, 2, 1), (4, 4, 1, 2, 2)] {
            var x = Self.random(height * width * channels, seed: 11)
            // Ties (the first wins), and NaN first in a window and later in one.
            for i in stride(from: 0, to: x.count, by: 5) { x[i] = 0.5 }
            x[0] = .nan
            x[x.count - 1] = .nan
            let (oh, ow) = ((height - pool) / step + 1, (width - pool) / step + 1)
            var (expected, expectedChosen) = ([Float](), [Int32]())
            for oy in 0..<oh {
                for ox in 0..<ow {
                    for c in 0..<channels {
                        var best = (oy * step * width + ox * step) * channels + c
                        for dy in 0..<pool {
                            for dx in 0..<pool {
                                let i = ((oy * step + dy) * width + ox * step + dx) * channels + c
                                if x[i] > x[best] { best = i }
                            }
                        }
                        expected.append(x[best])
                        expectedChosen.append(Int32(best))
                    }
                }
            }
            func run(_ level: KernelLevel) -> ([Float], [Int32]) {
                var (y, chosen) = ([Float](repeating: 0, count: expected.count), [Int32](repeating: -1, count: expected.count))
                ComputeKernels.table(level).pointee.max_pool(x, width, channels, pool, step, oh, ow, &y, &chosen)
                return (y, chosen)
            }
            let (y, chosen) = run(level), baseline = run(.baseline)
            let name = "\(level) \(height)×\(width)×\(channels), pool \(pool), stride \(step)"
            #expect(Self.same(y, expected) && chosen == expectedChosen, "\(name): not the first largest value")
            #expect(Self.same(y, baseline.0) && chosen == baseline.1, "\(name): not the baseline's bits")
        }
    }

    // MARK: ReLU mask with bias sums

    @Test("ReLU mask with lane sums: relu_mask then lane_sums, bit for bit", arguments: KernelLevel.supported)
    func reluMaskSums(level: KernelLevel) {
        for (period, periods) in [(16, 1), (16, 785), (32, 97), (256, 3)] {
            let count = period * periods
            var y = Self.random(count, seed: 3)
            let g = Self.random(count, seed: 4)
            for i in stride(from: 0, to: count, by: 7) { y[i] = 0 }
            let table = ComputeKernels.table(level).pointee
            var (out, lanes) = ([Float](repeating: .nan, count: count), [Float](repeating: .nan, count: period))
            table.relu_mask_sums(y, g, &out, period, periods, &lanes)
            var masked = g
            table.relu_mask(y, &masked, count)
            var sums = [Float](repeating: .nan, count: period)
            table.lane_sums(masked, nil, period, periods, &sums)
            var chains = [Float](repeating: 0, count: period)
            for p in 0..<periods { for l in 0..<period { chains[l] += (y[p * period + l] <= 0 ? 0 : g[p * period + l]) } }
            let name = "\(level) period \(period) × \(periods)"
            #expect(Self.same(out, masked), "\(name): masked gradient")
            #expect(Self.same(lanes, sums) && Self.same(lanes, chains), "\(name): lane sums")
        }
    }

    @Test("SGD's penalised step: scale_add twice, bit for bit", arguments: KernelLevel.supported)
    func penalisedStep(level: KernelLevel) {
        let table = ComputeKernels.table(level).pointee
        for count in [1, 16, 100, 1_000] {
            var w = Self.random(count, seed: 5), g = Self.random(count, seed: 6)
            w[0] = -0.0
            if count > 2 { (g[1], w[2]) = (.nan, .infinity) }
            var (fused, t, plain) = (w, g, w)
            table.penalised_step(&fused, g, 2e-5, -0.1, count)
            table.scale_add(&t, 1, w, 2e-5, count)
            table.scale_add(&plain, 1, t, -0.1, count)
            #expect(Self.same(fused, plain), "\(level), \(count) values")
        }
    }

    // MARK: Single channel, filters in vectors

    /// (output rows, output columns, kernel rows, kernel columns, filters): the stronger CNN's
    /// first layer, the narrowest row, blocks cut short, kernel rows of 1, 4 and 5 taps.
    static let shapes: [(oh: Int, ow: Int, kh: Int, kw: Int, f: Int)] = [
        (28, 28, 3, 3, 16), (2, 16, 1, 1, 16), (3, 19, 2, 4, 32), (4, 33, 5, 5, 16),
    ]

    @Test("Single channel with filter vectors: the rows kernels' chains, laid out channels-last", arguments: KernelLevel.supported)
    func singleChannelFilterVectors(level: KernelLevel) {
        for (index, s) in Self.shapes.enumerated() {
            let pw = s.ow + s.kw - 1, width = (s.ow + 15) / 16 * 16
            let shape = kernels_convolution(kernel_height: s.kh, kernel_width: s.kw, channels: 1, filters: s.f, stride_y: 1,
                                            stride_x: 1, output_height: s.oh, output_width: s.ow, frame_row: pw,
                                            planar_width: width, padded_run: 0)
            let frame = Self.random((s.oh + s.kh - 1) * pw + width, seed: UInt64(20 + index))
            let w = Self.random(s.kh * s.kw * s.f, seed: 30), bias = Self.random(s.f, seed: 31)
            let g = Self.random(s.oh * s.ow * s.f, seed: 32), start = Self.random(s.kh * s.kw * s.ow * s.f, seed: 33)
            let table = ComputeKernels.table(level).pointee
            // The rows kernels on the same values: the gradient made planar, the sums' start transposed.
            var planarGradient = [Float](repeating: 0, count: s.f * s.oh * width)
            for oy in 0..<s.oh { for ox in 0..<s.ow { for f in 0..<s.f { planarGradient[(f * s.oh + oy) * width + ox] = g[(oy * s.ow + ox) * s.f + f] } } }
            var rowSums = [Float](repeating: 0, count: s.kh * s.kw * s.f * width)
            for tap in 0..<s.kh * s.kw { for ox in 0..<s.ow { for f in 0..<s.f { rowSums[(tap * s.f + f) * width + ox] = start[(tap * s.ow + ox) * s.f + f] } } }
            var (rowY, planar) = ([Float](repeating: .nan, count: s.oh * s.ow * s.f), [Float](repeating: .nan, count: s.f * width))
            table.conv_rows_forward(shape, frame, w, bias, &planar, &rowY)
            table.conv_rows_kernel_gradient(shape, frame, planarGradient, &rowSums)

            func run(_ level: KernelLevel) -> ([Float], [Float]) {
                let table = ComputeKernels.table(level).pointee
                var (y, sums) = ([Float](repeating: .nan, count: s.oh * s.ow * s.f), start)
                table.conv_one_forward(shape, frame, w, bias, &y)
                table.conv_one_kernel_gradient(shape, frame, g, &sums)
                return (y, sums)
            }
            let (y, sums) = run(level), baseline = run(.baseline)
            var expectedSums = start
            for tap in 0..<s.kh * s.kw { for ox in 0..<s.ow { for f in 0..<s.f { expectedSums[(tap * s.ow + ox) * s.f + f] = rowSums[(tap * s.f + f) * width + ox] } } }
            let name = "\(level) \(s)"
            #expect(Self.same(y, rowY), "\(name): output off the rows kernel's")
            #expect(Self.same(sums, expectedSums), "\(name): kernel-gradient sums off the rows kernel's")
            #expect(Self.same(y, baseline.0) && Self.same(sums, baseline.1), "\(name): not the baseline's bits")
        }
    }
}
