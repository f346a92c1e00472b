@testable import NeuralEngine
import CKernels
import Testing

/// The sparse products against the dense product of the same kernel level, bit for bit: the
/// claim that lets `Dense` choose either way by speed alone.
@Suite("Sparse products", .serialized)
struct SparseProductTests {
    /// A rows × inputs matrix with about `density` of its values non-zero; every fifth zero is −0.
    static func sparseMatrix(rows: Int, inputs: Int, density: Double, using generator: inout SeededGenerator) -> [Float] {
        (0..<(rows * inputs)).map { i in
            if Double.random(in: 0..<1, using: &generator) < density { return Float.random(in: 0.01...1, using: &generator) }
            return i % 5 == 0 ? -0.0 : 0
        }
    }

    /// Lists x's non-zero values with the level's kernel and its transpose.
    static func index(_ table: kernels_table, _ x: [Float], rows: Int, inputs: Int)
        -> (starts: [Int32], indices: [Int32], columnStarts: [Int32], items: [Int32]) {
        var starts = [Int32](repeating: 0, count: rows + 1), indices = [Int32](repeating: 0, count: rows * inputs)
        table.sparse_index_rows(x, rows, inputs, &starts, &indices)
        var columnStarts = [Int32](repeating: 0, count: inputs + 1), items = [Int32](repeating: 0, count: rows * inputs)
        kernels_sparse_transpose(rows, inputs, starts, indices, &columnStarts, &items)
        return (starts, indices, columnStarts, items)
    }

    /// y = x · w + bias and dw = xᵀ · dz, each the sparse way and the dense way at `level`.
    static func products(_ level: KernelLevel, x: [Float], w: [Float], bias: [Float], dz: [Float], rows: Int, inputs: Int,
                         units: Int) -> (sparse: (y: [Float], dw: [Float]), dense: (y: [Float], dw: [Float])) {
        let table = ComputeKernels.table(level).pointee
        let lists = index(table, x, rows: rows, inputs: inputs)
        var y = [Float](repeating: .nan, count: rows * units), dw = [Float](repeating: .nan, count: inputs * units)
        table.sparse_forward(inputs, units, 0, rows, 0, units, lists.starts, lists.indices, x, w, bias, &y)
        table.sparse_weight_gradient(rows, inputs, units, 0, inputs, lists.columnStarts, lists.items, x, dz, &dw)
        var denseY = (0..<rows).flatMap { _ in bias }, denseDW = [Float](repeating: .nan, count: inputs * units)
        table.sgemm(0, 0, rows, units, inputs, 1, x, inputs, w, units, 1, &denseY, units)
        table.sgemm(1, 0, inputs, units, rows, 1, x, inputs, dz, units, 0, &denseDW, units)
        return ((y, dw), (denseY, denseDW))
    }

    static func sameBits(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    /// Shapes with tails past the 4-vector blocks and past one vector, empty rows and columns,
    /// densities from none to all; weights and gradients with ±0 among them.
    @Test(arguments: KernelLevel.supported)
    func everyLevelGivesTheDenseProductsBits(level: KernelLevel) {
        var generator = SeededGenerator(seed: 21)
        for (rows, inputs, units) in [(1, 1, 1), (3, 17, 5), (9, 40, 70), (16, 784, 100), (5, 33, 129)] {
            for density in [0.0, 0.05, 0.2, 0.6, 1.0] {
                let x = Self.sparseMatrix(rows: rows, inputs: inputs, density: density, using: &generator)
                let w = (0..<(inputs * units)).map { i in i % 11 == 0 ? (i % 2 == 0 ? 0 : -0.0) : Float.random(in: -1...1, using: &generator) }
                let bias = (0..<units).map { j in j % 3 == 0 ? -0.0 : Float.random(in: -1...1, using: &generator) }
                let dz = (0..<(rows * units)).map { i in i % 7 == 0 ? -0.0 : Float.random(in: -1...1, using: &generator) }
                let (sparse, dense) = Self.products(level, x: x, w: w, bias: bias, dz: dz, rows: rows, inputs: inputs, units: units)
                #expect(Self.sameBits(sparse.y, dense.y), "\(level) forward \(rows)×\(inputs)×\(units) at \(density)")
                #expect(Self.sameBits(sparse.dw, dense.dw), "\(level) kernel gradient \(rows)×\(inputs)×\(units) at \(density)")
            }
        }
    }

    /// The cases where leaving out a zero term changes the sign of a zero: a −0 bias with no
    /// non-zero input after it (dense: −0 + 0 · w = +0), and a sum flushed to −0 under the
    /// training's flush-to-zero mode followed by a skipped term. Both are recomputed to +0.
    @Test(arguments: KernelLevel.supported)
    func signedZerosComeOutAsInTheDenseChain(level: KernelLevel) {
        let state = Denormals.flush()
        defer { Denormals.restore(state) }
        // Row 0 has no non-zero input: y = −0 + Σ 0 · w; row 1's only term is kept.
        let x: [Float] = [0, 0, 0, 2, 0, 0]
        let w: [Float] = [1, 2, 3, 4, 5, 6]  // 3 × 2
        let bias: [Float] = [-0.0, -0.0]
        // Kernel gradient [0, 0]: item 0's term 1e-20 · (−1e-20) flushes to −0, item 1's x is 0
        // (skipped; the dense chain adds 0 · 1 = +0 and ends at +0).
        let x2: [Float] = [1e-20, 0, 0, 2]           // 2 × 2
        let dz2: [Float] = [-1e-20, 1, 1, -1e-39]     // 2 × 2
        let (sparse, dense) = Self.products(level, x: x, w: w, bias: bias, dz: [1, 1, 1, 1], rows: 2, inputs: 3, units: 2)
        #expect(Self.sameBits(sparse.y, dense.y), "\(level) forward \(sparse.y) against \(dense.y)")
        #expect(dense.y[0].sign == .plus && dense.y[0] == 0, "the dense chain ends at +0: \(dense.y[0])")
        let (sparse2, dense2) = Self.products(level, x: x2, w: [1, 1, 1, 1], bias: [0, 0], dz: dz2, rows: 2, inputs: 2, units: 2)
        #expect(Self.sameBits(sparse2.dw, dense2.dw), "\(level) kernel gradient \(sparse2.dw) against \(dense2.dw)")
    }

    /// Dense goes the sparse way only where the bits cannot differ: a non-finite weight makes
    /// 0 · ∞ = NaN in the dense product, which the sparse product could not produce, so the layer
    /// computes it the dense way, NaN included.
    @Test func denseFallsBackOnANonFiniteWeight() throws {
        var generator = SeededGenerator(seed: 5)
        let layer = Dense(units: 20)
        _ = try layer.build(inputShape: [50], using: &generator)
        let x = Tensor(shape: [4, 50], scalars: Self.sparseMatrix(rows: 4, inputs: 50, density: 0.1, using: &generator))
        // Input 0 is zero in every row: its weights take part in no sparse term.
        var input = x
        for r in 0..<4 { input.scalars[r * 50] = 0 }
        var kernel = layer.kernel.value
        kernel.scalars[3] = .infinity  // row 0, column 3
        layer.kernel.value = kernel
        let y = layer.forward(input, training: true, using: &generator)
        for r in 0..<4 { #expect(y.scalars[r * 20 + 3].isNaN, "row \(r): 0 · ∞ must make NaN, got \(y.scalars[r * 20 + 3])") }
    }

    /// The layer's sparse way against its dense product, forward and kernel gradient, on MNIST-like
    /// inputs (a fifth non-zero), at 1 and 2 threads.
    @Test(arguments: [1, 2])
    func denseLayerMatchesTheDenseProduct(threads: Int) throws {
        try withComputeThreads(threads) {
            var generator = SeededGenerator(seed: 6)
            let (rows, inputs, units) = (32, 784, 70)
            let layer = Dense(units: units)
            _ = try layer.build(inputShape: [inputs], using: &generator)
            let x = Self.sparseMatrix(rows: rows, inputs: inputs, density: 0.2, using: &generator)
            let y = layer.forward(Tensor(shape: [rows, inputs], scalars: x), training: true, using: &generator)
            let dz = (0..<(rows * units)).map { _ in Float.random(in: -1...1, using: &generator) }
            _ = layer.backward(Tensor(shape: [rows, units], scalars: dz), needsInputGradient: false)
            var expected = (0..<rows).flatMap { _ in layer.bias.value.scalars }
            BLAS.gemm(m: rows, n: units, k: inputs, a: x, lda: inputs, b: layer.kernel.value.scalars, ldb: units,
                      beta: 1, c: &expected, ldc: units)
            var expectedDW = [Float](repeating: 0, count: inputs * units)
            BLAS.gemm(transposeA: true, m: inputs, n: units, k: rows, a: x, lda: inputs, b: dz, ldb: units, c: &expectedDW, ldc: units)
            #expect(Self.sameBits(y.scalars, expected))
            #expect(Self.sameBits(layer.kernel.gradient.scalars, expectedDW))
        }
    }
}

/// Batch normalisation's per-channel kernels against their scalar definitions, at every level.
@Suite("Channel kernels", .serialized)
struct ChannelKernelTests {
    @Test(arguments: KernelLevel.supported)
    func everyLevelsChannelLoopsAreTheDefinition(level: KernelLevel) {
        let table = ComputeKernels.table(level).pointee
        var generator = SeededGenerator(seed: 31)
        for (period, periods) in [(16, 1), (16, 5), (48, 3), (128, 2)] {
            let count = period * periods
            let a = (0..<count).map { _ in Float.random(in: -2...2, using: &generator) }
            let b = (0..<count).map { _ in Float.random(in: -2...2, using: &generator) }
            let f = (0..<(4 * period)).map { _ in Float.random(in: -2...2, using: &generator) }
            var sums = [Float](repeating: .nan, count: period), products = sums, squares = sums
            table.lane_sums_pair(a, b, period, periods, &sums, &products)
            table.lane_centred_squares(a, f, period, periods, &squares)
            var plain = sums
            table.lane_sums(a, nil, period, periods, &plain)
            var affine = [Float](repeating: .nan, count: count), normalized = affine, y = affine
            table.channel_affine(a, b, f, period, periods, &affine)
            table.channel_normalize(a, f, period, periods, &normalized, &y)
            for lane in 0..<period {
                var (s, p, q): (Float, Float, Float) = (0, 0, 0)
                for i in stride(from: lane, to: count, by: period) {
                    s = s + a[i]
                    p = p + a[i] * b[i]
                    let centred = a[i] - f[lane]
                    q = q + centred * centred
                }
                #expect(sums[lane].bitPattern == s.bitPattern && plain[lane].bitPattern == s.bitPattern, "\(level) sums, lane \(lane)")
                #expect(products[lane].bitPattern == p.bitPattern, "\(level) products, lane \(lane)")
                #expect(squares[lane].bitPattern == q.bitPattern, "\(level) centred squares, lane \(lane)")
            }
            for i in 0..<count {
                let l = i % period
                let expectedAffine = a[i] * f[l] + b[i] * f[period + l] + f[2 * period + l]
                let n = (a[i] - f[l]) * f[period + l]
                #expect(affine[i].bitPattern == expectedAffine.bitPattern, "\(level) affine, value \(i)")
                #expect(normalized[i].bitPattern == n.bitPattern, "\(level) normalize, value \(i)")
                #expect(y[i].bitPattern == (n * f[2 * period + l] + f[3 * period + l]).bitPattern, "\(level) output, value \(i)")
            }
        }
    }
}
