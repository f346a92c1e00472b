@testable import NeuralEngine
import CKernels
import Testing

@Suite("Matrix products", .serialized)
struct ProductTests {
    /// The split product against a plain triple loop, for every transpose combination and for
    /// shapes that split by rows and by columns, on one and two workers.
    @Test(arguments: [1, 2])
    func splitProductMatchesTheNaiveOne(threads: Int) throws {
        try withComputeThreads(threads) {
            var generator = SeededGenerator(seed: 4)
            for (m, n, k) in [(130, 70, 120), (40, 300, 100), (3, 5, 7)] {
                for transposeA in [false, true] {
                    for transposeB in [false, true] {
                        let a = randomTensor(shape: [m * k], using: &generator).scalars
                        let b = randomTensor(shape: [k * n], using: &generator).scalars
                        var c = [Float](repeating: 1, count: m * n)
                        let (lda, ldb) = (transposeA ? m : k, transposeB ? k : n)
                        Products.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 2,
                                  a: a, lda: lda, b: b, ldb: ldb, beta: 0.5, c: &c, ldc: n)
                        var worst: Float = 0
                        for i in 0..<m {
                            for j in 0..<n {
                                var sum: Float = 0
                                for p in 0..<k {
                                    let x = transposeA ? a[p * lda + i] : a[i * lda + p]
                                    let y = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                                    sum += x * y
                                }
                                worst = max(worst, abs(c[i * n + j] - (2 * sum + 0.5)))
                            }
                        }
                        #expect(worst < 1e-3, "m \(m) n \(n) k \(k) transposes \(transposeA) \(transposeB)")
                    }
                }
            }
        }
    }

    @Test func shuffledIndicesArePermutationsFixedBySeed() {
        var a = SeededGenerator(seed: 1), b = SeededGenerator(seed: 1), c = SeededGenerator(seed: 2)
        let first = shuffledIndices(count: 100, using: &a)
        #expect(first.sorted() == Array(0..<100))
        #expect(first == shuffledIndices(count: 100, using: &b))
        #expect(first != shuffledIndices(count: 100, using: &c))
    }
}


/// Every kernel level against the product's definition, bit for bit: each element is
/// acc ← β·c, then acc ← fma(α·a_ik, b_kj, acc) for k in increasing order.
@Suite("Kernel levels", .serialized)
struct KernelLevelTests {
    /// The definition, one element at a time, with Swift's fused multiply-add.
    static func reference(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                          a: [Float], lda: Int, b: [Float], ldb: Int, beta: Float, c: [Float], ldc: Int) -> [Float] {
        var out = c
        for i in 0..<m {
            for j in 0..<n {
                var acc: Float = beta == 0 ? 0 : (beta == 1 ? c[i * ldc + j] : beta * c[i * ldc + j])
                for p in 0..<k {
                    let x = transposeA ? a[p * lda + i] : a[i * lda + p]
                    let y = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                    acc = acc.addingProduct(alpha == 1 ? x : alpha * x, y)
                }
                out[i * ldc + j] = acc
            }
        }
        return out
    }

    /// Shapes with tails in every direction: one row, one column, primes, sizes just past the
    /// register tiles (6, 14 rows; 8, 16, 32 columns) and past a cache block of k (256).
    static let shapes: [(m: Int, n: Int, k: Int)] = [
        (1, 1, 1), (1, 37, 5), (29, 1, 13), (7, 17, 3), (15, 33, 31), (13, 64, 257), (61, 47, 300), (6, 32, 256), (14, 31, 1), (17, 70, 530),
    ]

    @Test(arguments: KernelLevel.supported)
    func everyLevelComputesTheDefinitionExactly(level: KernelLevel) {
        let table = ComputeKernels.table(level)
        var generator = SeededGenerator(seed: 11)
        for (m, n, k) in Self.shapes {
            for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
                for (alpha, beta) in [(Float(1), Float(0)), (1, 1), (0.5, -1.25)] {
                    let a = randomTensor(shape: [m * k], using: &generator).scalars
                    let b = randomTensor(shape: [k * n], using: &generator).scalars
                    let ldc = n + 3  // a row stride wider than the row
                    // NaN where β = 0 must ignore C.
                    let c = (0..<(m * ldc)).map { beta == 0 ? Float.nan : Float($0 % 7) - 3 }
                    let (lda, ldb) = (transposeA ? m : k, transposeB ? k : n)
                    let expected = Self.reference(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                                                  a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
                    var got = c
                    got.withUnsafeMutableBufferPointer { out in
                        table.pointee.sgemm(transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb,
                                            beta, out.baseAddress!, ldc)
                    }
                    let same = zip(got, expected).allSatisfy { $0.bitPattern == $1.bitPattern }
                    #expect(same, "\(level) m \(m) n \(n) k \(k) transposes \(transposeA) \(transposeB) α \(alpha) β \(beta)")
                }
            }
        }
    }

    /// Every level's element-wise loops give the scalar definition's bits, tails and specials included.
    @Test(arguments: KernelLevel.supported)
    func everyLevelsElementwiseLoopsAreTheDefinition(level: KernelLevel) {
        let table = ComputeKernels.table(level).pointee
        var generator = SeededGenerator(seed: 14)
        let specials: [Float] = [0, -0, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, -1e-40]
        for count in [0, 1, 15, 16, 17, 33, 100] {
            let x = (0..<count).map { i in i < specials.count && count > 20 ? specials[i] : Float.random(in: -2...2, using: &generator) }
            let y = (0..<count).map { _ in Float.random(in: -2...2, using: &generator) }
            var relu = x
            relu.withUnsafeMutableBufferPointer { table.relu($0.baseAddress, count) }
            #expect(zip(x, relu).allSatisfy { ($0 < 0 ? 0 : $0).bitPattern == $1.bitPattern }, "\(level) relu, \(count)")
            var masked = y
            x.withUnsafeBufferPointer { xs in masked.withUnsafeMutableBufferPointer { table.relu_mask(xs.baseAddress, $0.baseAddress, count) } }
            #expect(zip(zip(x, y), masked).allSatisfy { ($0.0 <= 0 ? 0 : $0.1).bitPattern == $1.bitPattern }, "\(level) relu mask, \(count)")
            var sums = y
            let (scale, alpha): (Float, Float) = (0.999, -0.1)
            x.withUnsafeBufferPointer { xs in sums.withUnsafeMutableBufferPointer { table.scale_add($0.baseAddress, scale, xs.baseAddress, alpha, count) } }
            let expected = zip(y, x).map { $0 * scale + $1 * alpha }
            #expect(zip(expected, sums).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }, "\(level) scale-add, \(count)")
        }
    }

    /// The engine's split over workers changes no bit: 1, 2 and 3 threads, rows and columns split.
    @Test func theThreadCountChangesNoBit() throws {
        var generator = SeededGenerator(seed: 12)
        for (m, n, k) in [(300, 70, 129), (45, 500, 64), (128, 128, 784)] {
            let a = randomTensor(shape: [m * k], using: &generator).scalars
            let b = randomTensor(shape: [k * n], using: &generator).scalars
            let results = [1, 2, 3].map { threads in
                withComputeThreads(threads) {
                    var c = [Float](repeating: 0, count: m * n)
                    Products.gemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: &c, ldc: n)
                    return c.map(\.bitPattern)
                }
            }
            #expect(results[0] == results[1] && results[1] == results[2], "m \(m) n \(n) k \(k)")
        }
    }

    @Test func theLevelInUseIsTheHighestSupportedUnlessAsked() {
        #expect(KernelLevel.supported.first == .baseline)
        #expect(KernelLevel.detected == KernelLevel.supported.last)
        if ComputeKernels.problem == nil, getenv(ComputeKernels.variable) == nil {
            #expect(ComputeKernels.level == KernelLevel.detected)
        }
    }

    /// The dot product's order: the lanes i mod 16 summed apart, folded in halves, then the tail.
    @Test func theDotProductHasItsDocumentedOrder() {
        var generator = SeededGenerator(seed: 13)
        for count in [0, 1, 15, 16, 17, 100, 1000] {
            let x = randomTensor(shape: [max(count, 1)], using: &generator).scalars
            let y = randomTensor(shape: [max(count, 1)], using: &generator).scalars
            var lanes = [Float](repeating: 0, count: 16)
            let whole = count / 16 * 16
            for i in 0..<whole { lanes[i % 16] += x[i] * y[i] }
            for width in [8, 4, 2] { for l in 0..<width { lanes[l] += lanes[l + width] } }
            var expected = lanes[0] + lanes[1]
            for i in whole..<count { expected += x[i] * y[i] }
            let got = x.withUnsafeBufferPointer { x in y.withUnsafeBufferPointer { y in
                Products.dot(count: count, x: x.baseAddress!, y: y.baseAddress!) } }
            #expect(got.bitPattern == expected.bitPattern, "count \(count)")
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
