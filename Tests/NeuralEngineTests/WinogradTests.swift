import CKernels
import NeuralEngine
import Testing

/// Winograd's F(4 × 4, 3 × 3): its error against a convolution summed in Double on the stronger
/// CNN's own layer shapes (beside the direct algorithm's error on the same data), and its C
/// kernels at every level against the baseline's bits.
@Suite("Winograd convolution")
struct WinogradTests {
    /// Output, input gradient and kernel gradient of a 3 × 3 'same' convolution at stride 1 in
    /// Double, with each value's sum of term magnitudes (the scale its Float rounding lives on).
    struct Reference {
        var y: [ConvolutionKernelTests.Exact], dx: [ConvolutionKernelTests.Exact], dw: [ConvolutionKernelTests.Exact]

        init(x: [Float], w: [Float], bias: [Float], dy: [Float], items n: Int, side s: Int, channels c: Int, filters f: Int) {
            typealias Exact = ConvolutionKernelTests.Exact
            y = (0..<n * s * s * f).map { Exact(start: bias[$0 % f]) }
            dx = Array(repeating: Exact(), count: n * s * s * c)
            dw = Array(repeating: Exact(), count: 9 * c * f)
            for item in 0..<n {
                for oy in 0..<s {
                    for ox in 0..<s {
                        for dyy in 0..<3 {
                            for dxx in 0..<3 {
                                let (iy, ix) = (oy + dyy - 1, ox + dxx - 1)
                                guard iy >= 0, iy < s, ix >= 0, ix < s else { continue }
                                for channel in 0..<c {
                                    let input = ((item * s + iy) * s + ix) * c + channel
                                    for filter in 0..<f {
                                        let tap = ((dyy * 3 + dxx) * c + channel) * f + filter
                                        let output = ((item * s + oy) * s + ox) * f + filter
                                        y[output].add(x[input], w[tap])
                                        dx[input].add(dy[output], w[tap])
                                        dw[tap].add(x[input], dy[output])
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The largest error of `got` against the exact sums, relative to each sum's magnitude.
    static func error(_ got: [Float], _ exact: [ConvolutionKernelTests.Exact]) -> Double {
        zip(got, exact).map { abs(Double($0) - $1.value) / max($1.magnitude, 1e-30) }.max() ?? .infinity
    }

    /// The layer's output, input gradient and kernel gradient with `algorithm` forced.
    static func run(_ algorithm: ConvolutionAlgorithmKind, x: Tensor, dy: [Float], w: [Float], bias: [Float],
                    side: Int, channels: Int, filters: Int) throws -> [[Float]] {
        let layer = Conv2D(filters: filters, kernelSize: 3, strides: 1, padding: .same, activation: .linear)
        layer.forcedAlgorithm = algorithm
        var generator = SeededGenerator(seed: 1)
        _ = try layer.build(inputShape: [side, side, channels], using: &generator)
        layer.kernel.value = Tensor(shape: [3, 3, channels, filters], scalars: w)
        layer.bias.value = Tensor(shape: [filters], scalars: bias)
        let y = layer.forward(x, training: true, using: &generator)
        let dx = try #require(layer.backward(Tensor(shape: y.shape, scalars: dy), needsInputGradient: true))
        return [y.scalars, dx.scalars, layer.kernel.gradient.scalars]
    }

    /// cnn16's three Winograd layers (28 × 28 × 16 → 16, 14 × 14 × 16 → 32, 14 × 14 × 32 → 32), four
    /// items of inputs and gradients drawn uniformly: every value's error, relative to its sum of
    /// term magnitudes, stays below 4 · 10⁻⁶ (Float's epsilon is 1.2 · 10⁻⁷), and within 64 times
    /// the direct algorithm's on the same data. Measured: 0.6–2.2 · 10⁻⁶ (F(2 × 2) gave 1.0–1.7 ·
    /// 10⁻⁷), the direct algorithm 0.5–2.3 · 10⁻⁷; the transforms' factors (up to 8 and 1/24) cost
    /// about four bits. The figures are printed for the record.
    @Test("Error against a Float64 convolution on cnn16's layers", arguments: [(28, 16, 16), (14, 16, 32), (14, 32, 32)])
    func errorOnTheNetworksLayers(side: Int, channels: Int, filters: Int) throws {
        var generator = SeededGenerator(seed: UInt64(side * 1000 + channels * 10 + filters))
        let n = 4
        let x = randomTensor(shape: [n, side, side, channels], using: &generator)
        let w = ConvolutionKernelTests.random(9 * channels * filters, &generator)
        let bias = ConvolutionKernelTests.random(filters, &generator)
        let dy = ConvolutionKernelTests.random(n * side * side * filters, &generator)
        let reference = Reference(x: x.scalars, w: w, bias: bias, dy: dy, items: n, side: side, channels: channels, filters: filters)
        let exact = [reference.y, reference.dx, reference.dw]
        let winograd = try Self.run(.winograd, x: x, dy: dy, w: w, bias: bias, side: side, channels: channels, filters: filters)
        let direct = try Self.run(.filterVectors, x: x, dy: dy, w: w, bias: bias, side: side, channels: channels, filters: filters)
        for (index, name) in ["output", "input gradient", "kernel gradient"].enumerated() {
            let (ours, theirs) = (Self.error(winograd[index], exact[index]), Self.error(direct[index], exact[index]))
            print("Winograd \(side)×\(side)×\(channels)→\(filters) \(name): relative error \(ours) (direct: \(theirs))")
            #expect(ours <= 4e-6, "\(name): relative error \(ours)")
            #expect(ours <= 64 * theirs, "\(name): \(ours) against the direct algorithm's \(theirs)")
        }
    }

    /// Bᵀ on six values, as `kernels.h` states it (`addingProduct` is one fused multiply-add).
    static func bt(_ d: [Float]) -> [Float] {
        let a = d[4].addingProduct(-4, d[2]), b = d[3].addingProduct(-4, d[1])
        let c = d[4] - d[2], e = (d[3] - d[1]) * 2
        return [c.addingProduct(4, d[0] - d[2]), a + b, a - b, c + e, c - e, (d[5] - d[3]).addingProduct(4, d[1] - d[3])]
    }

    /// Aᵀ on six values, as `kernels.h` states it.
    static func at(_ m: [Float]) -> [Float] {
        let (s12, d12, s34, d34) = (m[1] + m[2], m[1] - m[2], m[3] + m[4], m[3] - m[4])
        return [(m[0] + s12) + s34, d12.addingProduct(2, d34), s12.addingProduct(4, s34), d12.addingProduct(8, d34) + m[5]]
    }

    /// A on four values, as `kernels.h` states it.
    static func a(_ g: [Float]) -> [Float] {
        let (p, q) = (g[0] + g[2], g[1] + g[3])
        let (r, w) = (g[0].addingProduct(4, g[2]), g[1].addingProduct(4, g[3]) * 2)
        return [g[0], p + q, p - q, r + w, r - w, g[3]]
    }

    /// The order `kernels.h` states, one value at a time: the forward outputs (bias or none) and
    /// the kernel gradient's sums after `start`. `frame` is the item with a border of +0 wide
    /// enough for every tile (rows and columns from −1 to 4 · tiles + 1).
    static func documentedOrder(frame: [Float], frameRow: Int, u: [Float], bias: [Float]?, gradient: [Float], start: [Float],
                                height: Int, width: Int, c: Int, f: Int) -> (y: [Float], sums: [Float]) {
        var y = [Float](repeating: 0, count: height * width * f)
        var sums = start
        for ty in 0..<(height + 3) / 4 {
            for tx in 0..<(width + 3) / 4 {
                // v[ξ][channel]: Bᵀ down the columns of the 6 × 6 input, then along the rows.
                var v = [[Float]](repeating: [Float](repeating: 0, count: c), count: 36)
                for channel in 0..<c {
                    let columns = (0..<6).map { j in bt((0..<6).map { i in frame[(4 * ty + i) * frameRow + (4 * tx + j) * c + channel] }) }
                    for i in 0..<6 {
                        let row = bt((0..<6).map { j in columns[j][i] })
                        for j in 0..<6 { v[6 * i + j][channel] = row[j] }
                    }
                }
                for filter in 0..<f {
                    var m = [Float](repeating: 0, count: 36)
                    for xi in 0..<36 {
                        for channel in 0..<c { m[xi] = m[xi].addingProduct(v[xi][channel], u[(xi * c + channel) * f + filter]) }
                    }
                    let columns = (0..<6).map { j in at((0..<6).map { i in m[6 * i + j] }) }
                    for r in 0..<4 {
                        let row = at((0..<6).map { j in columns[j][r] })
                        for q in 0..<4 where 4 * ty + r < height && 4 * tx + q < width {
                            y[((4 * ty + r) * width + 4 * tx + q) * f + filter] = bias.map { row[q] + $0[filter] } ?? row[q]
                        }
                    }
                    // The gradient's tile (+0 outside the image): A down the columns, then along the rows.
                    func g(_ r: Int, _ q: Int) -> Float {
                        let (oy, ox) = (4 * ty + r, 4 * tx + q)
                        return oy < height && ox < width ? gradient[(oy * width + ox) * f + filter] : 0
                    }
                    let h = (0..<4).map { q in a((0..<4).map { r in g(r, q) }) }
                    for i in 0..<6 {
                        let row = a((0..<4).map { q in h[q][i] })
                        for j in 0..<6 {
                            for channel in 0..<c {
                                let at = ((6 * i + j) * c + channel) * f + filter
                                sums[at] = sums[at].addingProduct(v[6 * i + j][channel], row[j])
                            }
                        }
                    }
                }
            }
        }
        return (y, sums)
    }

    /// The C kernels at every level on shapes that reach every path (one tile; a tile row longer
    /// than a forward group; channel counts with and without a constant-size path; with and
    /// without a bias): the documented order and the baseline's bits.
    @Test("Every level computes the documented order and the baseline's bits", arguments: KernelLevel.supported)
    func levelsAgree(level: KernelLevel) {
        // One tile, ragged (2 × 2); a tile row longer than a forward group, ragged below; odd
        // sides; cnn16's 14 × 14, ragged at the right and the bottom; interior tiles (12 × 16).
        let shapes = [(2, 2, 16, 16), (3, 130, 16, 32), (7, 9, 32, 16), (5, 6, 48, 64), (14, 14, 16, 32), (12, 16, 32, 32)]
        for (index, (height, width, c, f)) in shapes.enumerated() {
            var generator = SeededGenerator(seed: UInt64(40 + index))
            // The kernels read the item itself; the documented order reads it padded with +0.
            let x = ConvolutionKernelTests.random(height * width * c, &generator)
            let (down, across) = ((height + 3) / 4, (width + 3) / 4)
            let frameRow = (4 * across + 2) * c
            var frame = [Float](repeating: 0, count: (4 * down + 2) * frameRow)
            for row in 0..<height {
                for i in 0..<width * c { frame[(row + 1) * frameRow + c + i] = x[row * width * c + i] }
            }
            let u = ConvolutionKernelTests.random(36 * c * f, &generator)
            let bias = ConvolutionKernelTests.random(f, &generator)
            let gradient = ConvolutionKernelTests.random(height * width * f, &generator)
            let start = ConvolutionKernelTests.random(36 * c * f, &generator)
            let shape = kernels_convolution(kernel_height: 3, kernel_width: 3, channels: c, filters: f, stride_y: 1, stride_x: 1,
                                            output_height: height, output_width: width, frame_row: width * c,
                                            planar_width: 0, padded_run: 0)
            func outputs(_ level: KernelLevel) -> [[Float]] {
                let table = ComputeKernels.table(level).pointee
                var scratch = [Float](repeating: .nan, count: kernels_winograd_scratch(c, f, height, width))
                var withBias = [Float](repeating: 0, count: height * width * f)
                var withoutBias = withBias
                var sums = start
                table.winograd_forward(shape, x, u, bias, &scratch, &withBias)
                table.winograd_forward(shape, x, u, nil, &scratch, &withoutBias)
                table.winograd_kernel_gradient(shape, x, gradient, &scratch, &sums)
                return [withBias, withoutBias, sums]
            }
            let (got, baseline) = (outputs(level), outputs(.baseline))
            let ordered = Self.documentedOrder(frame: frame, frameRow: frameRow, u: u, bias: bias, gradient: gradient,
                                               start: start, height: height, width: width, c: c, f: f)
            let unbiased = Self.documentedOrder(frame: frame, frameRow: frameRow, u: u, bias: nil, gradient: gradient,
                                                start: start, height: height, width: width, c: c, f: f)
            let names = ["forward", "forward without bias", "kernel gradient"]
            for (name, (a, b)) in zip(names, zip(got, baseline)) {
                let differing = zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(differing == 0, "\(level) \(height)×\(width)×\(c)→\(f) \(name): \(differing) of \(a.count) values differ from the baseline")
            }
            for (name, (a, b)) in zip(names, zip(got, [ordered.y, unbiased.y, ordered.sums])) {
                let differing = zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(differing == 0, "\(level) \(height)×\(width)×\(c)→\(f) \(name): \(differing) of \(a.count) values off the documented order")
            }
        }
    }
}
