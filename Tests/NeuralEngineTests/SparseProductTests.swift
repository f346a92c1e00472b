@testable import NeuralEngine
import CKernels
import Testing

/// The sparse forward product and kernel gradient against the dense product of the same kernel
/// level, bit for bit: the claim that lets `Dense` choose either way by speed alone.
@Suite("Sparse products", .serialized)
struct SparseProductTests {
    /// A rows × inputs matrix with about `density` of its values non-zero; every fifth zero is −0.
    static func sparseMatrix(rows: Int, inputs: Int, density: Double, using generator: inout SeededGenerator) -> [Float] {
        (0..<(rows * inputs)).map { i in
            if Double.random(in: 0..<1, using: &generator) < density { return Float.random(in: 0.01...1, using: &generator) }
            return i % 5 == 0 ? -0.0 : 0
        }
    }

    /// dw = xᵀ · dz the sparse way (x's non-zero values listed with the level's kernel, then by
    /// column) and the dense way, at `level`.
    static func kernelGradients(_ level: KernelLevel, x: [Float], dz: [Float], rows: Int, inputs: Int, units: Int)
        -> (sparse: [Float], dense: [Float]) {
        let table = ComputeKernels.table(level).pointee
        var counts = [Int32](repeating: 0, count: rows), indices = [Int32](repeating: 0, count: rows * inputs)
        table.sparse_index_rows(x, inputs, 0, rows, &counts, &indices)
        var starts = [Int32](repeating: 0, count: inputs + 1), items = [Int32](repeating: 0, count: rows * inputs)
        var values = [Float](repeating: 0, count: rows * inputs)
        kernels_sparse_transpose(rows, inputs, counts, indices, x, &starts, &items, &values)
        var sparse = [Float](repeating: .nan, count: inputs * units), dense = sparse
        table.sparse_weight_gradient(rows, inputs, units, 0, inputs, starts, items, values, x, dz, &sparse)
        table.sgemm(1, 0, inputs, units, rows, 1, x, inputs, dz, units, 0, &dense, units)
        return (sparse, dense)
    }

    static func sameBits(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    /// Shapes with tails past a slice of 4 vectors and past one vector, empty rows and columns,
    /// densities from none to all, gradients with ±0 among them.
    @Test(arguments: KernelLevel.supported)
    func everyLevelGivesTheDenseProductsBits(level: KernelLevel) {
        var generator = SeededGenerator(seed: 21)
        for (rows, inputs, units) in [(1, 1, 1), (3, 17, 5), (9, 40, 70), (16, 784, 100), (5, 33, 129)] {
            for density in [0.0, 0.05, 0.2, 0.6, 1.0] {
                let x = Self.sparseMatrix(rows: rows, inputs: inputs, density: density, using: &generator)
                let dz = (0..<(rows * units)).map { i in i % 7 == 0 ? (i % 2 == 0 ? 0 : -0.0) : Float.random(in: -1...1, using: &generator) }
                let (sparse, dense) = Self.kernelGradients(level, x: x, dz: dz, rows: rows, inputs: inputs, units: units)
                #expect(Self.sameBits(sparse, dense), "\(level) \(rows)×\(inputs)×\(units) at \(density)")
            }
        }
    }

    /// The case where leaving out a zero term changes the sign of a zero: under the training's
    /// flush-to-zero mode, item 0's term 1e-20 · (−1e-20) flushes to −0, and item 1's x is 0
    /// (left out; the dense chain adds 0 · 1 = +0 and ends at +0). The sparse kernel recomputes
    /// the element and ends at +0 too.
    @Test(arguments: KernelLevel.supported)
    func signedZerosComeOutAsInTheDenseChain(level: KernelLevel) {
        let state = Denormals.flush()
        defer { Denormals.restore(state) }
        let x: [Float] = [1e-20, 0, 0, 2]           // 2 items × 2 inputs
        let dz: [Float] = [-1e-20, 1, 1, -1e-39]     // 2 items × 2 units
        let (sparse, dense) = Self.kernelGradients(level, x: x, dz: dz, rows: 2, inputs: 2, units: 2)
        #expect(Self.sameBits(sparse, dense), "\(level): \(sparse) against \(dense)")
    }

    /// y = x · w + b the sparse way (the kernel lists each tile's inputs itself) and the
    /// dense way (b in y, then the product with β = 1), at `level`.
    static func forwardProducts(_ level: KernelLevel, x: [Float], w: [Float], b: [Float], rows: Int, inputs: Int, units: Int)
        -> (sparse: [Float], dense: [Float]) {
        let table = ComputeKernels.table(level).pointee
        var sparse = [Float](repeating: .nan, count: rows * units)
        table.sparse_forward(inputs, units, 0, rows, x, w, b, &sparse)
        var dense = (0..<(rows * units)).map { b[$0 % units] }
        table.sgemm(0, 0, rows, units, inputs, 1, x, inputs, w, units, 1, &dense, units)
        return (sparse, dense)
    }

    /// The forward product on shapes with tails past a block of vectors and past one vector,
    /// empty rows, densities from none to all, weights and biases with ±0 among them.
    @Test(arguments: KernelLevel.supported)
    func everyLevelsForwardProductIsTheDenseOne(level: KernelLevel) {
        var generator = SeededGenerator(seed: 22)
        for (rows, inputs, units) in [(1, 1, 1), (3, 17, 5), (9, 40, 70), (16, 784, 500), (5, 33, 129), (2, 20, 300)] {
            for density in [0.0, 0.05, 0.2, 0.6, 1.0] {
                let x = Self.sparseMatrix(rows: rows, inputs: inputs, density: density, using: &generator)
                let signedZeros = { (i: Int) -> Float in i % 2 == 0 ? 0 : -0.0 }
                let w = (0..<(inputs * units)).map { i in i % 7 == 0 ? signedZeros(i) : Float.random(in: -1...1, using: &generator) }
                let b = (0..<units).map { i in i % 3 == 0 ? signedZeros(i / 3) : Float.random(in: -1...1, using: &generator) }
                let (sparse, dense) = Self.forwardProducts(level, x: x, w: w, b: b, rows: rows, inputs: inputs, units: units)
                #expect(Self.sameBits(sparse, dense), "\(level) forward \(rows)×\(inputs)×\(units) at \(density)")
            }
        }
    }

    /// The forward product's signed zeros: a bias of −0 whose only kept term is skipped (the dense
    /// chain adds 0 · w = +0 and ends at +0), and a −0 made by flush-to-zero followed by a skipped
    /// term; the kernel recomputes both and ends at +0 as the dense chain does.
    @Test(arguments: KernelLevel.supported)
    func forwardSignedZerosComeOutAsInTheDenseChain(level: KernelLevel) {
        let state = Denormals.flush()
        defer { Denormals.restore(state) }
        for units in [1, 16, 70] {
            let x: [Float] = [0, 1e-20, 0]                       // 1 item × 3 inputs
            let w = (0..<(3 * units)).map { i -> Float in i < units ? 1 : i < 2 * units ? -1e-20 : 1 }
            let b = [Float](repeating: -0.0, count: units)
            let (sparse, dense) = Self.forwardProducts(level, x: x, w: w, b: b, rows: 1, inputs: 3, units: units)
            #expect(Self.sameBits(sparse, dense), "\(level), \(units) units: \(sparse.prefix(3)) against \(dense.prefix(3))")
            // The case is the one meant: the dense chain ends at +0 where the kept terms alone end at −0.
            #expect(dense.allSatisfy { $0 == 0 && $0.sign == .plus }, "\(level): \(dense.prefix(3))")
        }
    }

    /// The layer's forward product goes the dense way when a weight is infinite: the dense
    /// product's 0 · ∞ = NaN must reach the outputs of every item whose input there is zero.
    @Test func denseForwardFallsBackOnANonFiniteWeight() throws {
        var generator = SeededGenerator(seed: 7)
        let layer = Dense(units: SparseRows.forwardMinimumUnits)
        let units = layer.units
        _ = try layer.build(inputShape: [50], using: &generator)
        var x = Self.sparseMatrix(rows: 4, inputs: 50, density: 0.1, using: &generator)
        for r in 0..<4 { x[r * 50] = 0 }
        layer.kernel.value.scalars[3] = .infinity  // input 0, unit 3
        let y = layer.forward(Tensor(shape: [4, 50], scalars: x), training: true, using: &generator)
        #expect((0..<4).allSatisfy { y.scalars[$0 * units + 3].isNaN }, "unit 3: 0 · ∞ must make NaN in every item")
    }

    /// Dense goes the sparse way only where the bits cannot differ: an infinite output gradient
    /// makes 0 · ∞ = NaN in the dense product, which the sparse product could not produce, so the
    /// layer computes that batch's kernel gradient the dense way, NaN included.
    @Test func denseFallsBackOnANonFiniteGradient() throws {
        var generator = SeededGenerator(seed: 5)
        let layer = Dense(units: 70)
        _ = try layer.build(inputShape: [50], using: &generator)
        var x = Self.sparseMatrix(rows: 4, inputs: 50, density: 0.1, using: &generator)
        for r in 0..<4 { x[r * 50] = 0 }  // input 0 is zero in every item
        _ = layer.forward(Tensor(shape: [4, 50], scalars: x), training: true, using: &generator)
        var dz = (0..<(4 * 70)).map { _ in Float.random(in: -1...1, using: &generator) }
        dz[3] = .infinity  // item 0, unit 3
        _ = layer.backward(preActivationGradient: Tensor(shape: [4, 70], scalars: dz), needsInputGradient: false)
        #expect(layer.kernel.gradient.scalars[3].isNaN, "input 0, unit 3: 0 · ∞ must make NaN")
    }

    /// The layer's output and kernel gradient against the dense products on MNIST-like inputs
    /// (a fifth non-zero), at 1 and 2 threads.
    @Test(arguments: [1, 2])
    func denseLayerMatchesTheDenseProduct(threads: Int) throws {
        try withComputeThreads(threads) {
            var generator = SeededGenerator(seed: 6)
            let (rows, inputs, units) = (32, 784, 300)
            let layer = Dense(units: units)
            _ = try layer.build(inputShape: [inputs], using: &generator)
            let x = Self.sparseMatrix(rows: rows, inputs: inputs, density: 0.2, using: &generator)
            layer.bias.value = Tensor(shape: [units], scalars: (0..<units).map { _ in Float.random(in: -1...1, using: &generator) })
            let y = layer.forward(Tensor(shape: [rows, inputs], scalars: x), training: true, using: &generator)
            var output = (0..<(rows * units)).map { layer.bias.value.scalars[$0 % units] }
            Products.gemm(m: rows, n: units, k: inputs, a: x, lda: inputs, b: layer.kernel.value.scalars, ldb: units, beta: 1,
                      c: &output, ldc: units)
            #expect(Self.sameBits(y.scalars, output))
            let dz = (0..<(rows * units)).map { _ in Float.random(in: -1...1, using: &generator) }
            _ = layer.backward(preActivationGradient: Tensor(shape: [rows, units], scalars: dz), needsInputGradient: false)
            var expected = [Float](repeating: 0, count: inputs * units)
            Products.gemm(transposeA: true, m: inputs, n: units, k: rows, a: x, lda: inputs, b: dz, ldb: units, c: &expected, ldc: units)
            #expect(Self.sameBits(layer.kernel.gradient.scalars, expected))
        }
    }
}

/// Batch normalisation's per-channel kernels against their scalar definitions, at every level.
@Suite("Channel kernels", .serialized)
struct ChannelKernelTests {
    /// x plays the layer's input and g its output gradient; f's first two periods are μ and
    /// 1/√(σ² + ε), so n = (x − f[l]) · f[P + l] is x̂ as every kernel computes it.
    @Test(arguments: KernelLevel.supported)
    func everyLevelsChannelLoopsAreTheDefinition(level: KernelLevel) {
        let table = ComputeKernels.table(level).pointee
        var generator = SeededGenerator(seed: 31)
        for (period, periods) in [(16, 1), (16, 5), (48, 3), (128, 2)] {
            let count = period * periods
            let x = (0..<count).map { _ in Float.random(in: -2...2, using: &generator) }
            let g = (0..<count).map { _ in Float.random(in: -2...2, using: &generator) }
            let f = (0..<(4 * period)).map { _ in Float.random(in: -2...2, using: &generator) }
            var sums = [Float](repeating: .nan, count: period), products = sums, squares = sums, plain = sums
            table.lane_sums_pair(g, x, f, period, periods, &sums, &products)
            table.lane_centred_squares(x, f, period, periods, &squares)
            table.lane_sums(x, nil, period, periods, &plain)
            // channel_affine's factors: p and q (f's last two periods), r (its first), μ and s.
            let affineFactors = Array(f[(2 * period)..<(4 * period)]) + f[0..<period] + Array(f[0..<(2 * period)])
            var affine = [Float](repeating: .nan, count: count), plainAffine = affine, y = affine
            table.channel_affine(g, x, affineFactors, period, periods, &affine)
            table.channel_affine(g, nil, affineFactors, period, periods, &plainAffine)
            table.channel_normalize(x, f, period, periods, &y)
            func n(_ i: Int) -> Float { (x[i] - f[i % period]) * f[period + i % period] }
            for lane in 0..<period {
                var (sg, sx, p, q): (Float, Float, Float, Float) = (0, 0, 0, 0)
                for i in stride(from: lane, to: count, by: period) {
                    sg = sg + g[i]
                    sx = sx + x[i]
                    p = p + g[i] * n(i)
                    let centred = x[i] - f[lane]
                    q = q + centred * centred
                }
                #expect(sums[lane].bitPattern == sg.bitPattern && plain[lane].bitPattern == sx.bitPattern, "\(level) sums, lane \(lane)")
                #expect(products[lane].bitPattern == p.bitPattern, "\(level) products with x̂, lane \(lane)")
                #expect(squares[lane].bitPattern == q.bitPattern, "\(level) centred squares, lane \(lane)")
            }
            for i in 0..<count {
                let l = i % period
                let (pf, qf, rf) = (affineFactors[l], affineFactors[period + l], affineFactors[2 * period + l])
                #expect(affine[i].bitPattern == (g[i] * pf + n(i) * qf + rf).bitPattern, "\(level) affine with x̂, value \(i)")
                #expect(plainAffine[i].bitPattern == (g[i] * pf + rf).bitPattern, "\(level) affine, value \(i)")
                #expect(y[i].bitPattern == (n(i) * f[2 * period + l] + f[3 * period + l]).bitPattern, "\(level) output, value \(i)")
            }
        }
    }
}
