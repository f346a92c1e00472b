import NeuralEngine
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
                        BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 2,
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

@Suite("OpenBLAS kernel choice")
struct BLASCoreTests {
    static let avx512: Set<String> = ["sse2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512cd"]

    @Test func genericKernelsOnAnAVX512CPUAreReplacedBySkylakeX() {
        #expect(BLASCore.better(than: "Prescott", cpuFlags: Self.avx512) == "SkylakeX")
        #expect(BLASCore.better(than: "SANDYBRIDGE", cpuFlags: Self.avx512) == "SkylakeX")
    }

    @Test func genericKernelsOnAnAVX2CPUAreReplacedByHaswell() {
        #expect(BLASCore.better(than: "Prescott", cpuFlags: ["sse2", "avx", "avx2", "fma"]) == "Haswell")
        // AVX-512 foundation alone is not enough for OpenBLAS's SkylakeX kernels.
        #expect(BLASCore.better(than: "Nehalem", cpuFlags: ["avx2", "fma", "avx512f"]) == "Haswell")
    }

    @Test func aRecognisedCPUOrAnOldOneKeepsOpenBLASsChoice() {
        #expect(BLASCore.better(than: "Zen", cpuFlags: Self.avx512) == nil)
        #expect(BLASCore.better(than: "Haswell", cpuFlags: Self.avx512) == nil)
        #expect(BLASCore.better(than: "Prescott", cpuFlags: ["sse2", "sse3", "avx"]) == nil)
        #expect(BLASCore.better(than: "Prescott", cpuFlags: []) == nil)
    }

    @Test func theCurrentKernelSetHasAName() {
        #expect(!BLASCore.current.isEmpty)
    }
}
