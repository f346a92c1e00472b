import COpenBLAS
import Dispatch

/// The engine's only door to OpenBLAS: row-major single-precision products.
///
/// Products are spread over `threads` workers by the engine itself: the larger of the result's
/// two dimensions is cut into one block per worker, and each block is an independent
/// single-threaded `cblas_sgemm`. For the engine's shapes (a batch of 128 against a few
/// hundred units) this beats OpenBLAS's own threading by 20–40 %, and since every element of
/// the result is computed by one call whose split depends only on the thread count, the same
/// thread count gives the same bits.
package enum BLAS {
    /// The workers behind every parallel loop of the engine: those of the innermost
    /// `withComputeThreads` around the caller, else the calling thread alone. A task-local
    /// value, not a global: concurrent callers (tests in parallel suites) each see their own.
    @TaskLocal package static var pool: WorkerPool = {
        openblas_set_num_threads(1)  // OpenBLAS stays single-threaded: the engine splits the products
        return WorkerPool.shared(count: 1)
    }()

    /// Below this many multiply-accumulates a product is not worth splitting.
    package static let splitThreshold = 1 << 20

    /// C ← α · op(A) · op(B) + β · C for row-major matrices, where op(A) is m × k and op(B) is k × n.
    package static func gemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let call = Product(transposeA: transposeA, transposeB: transposeB, k: k, alpha: alpha,
                           a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        let pool = self.pool  // read once: the thread count may change on another thread meanwhile
        let workers = pool.count
        if workers == 1 || m * n * k < splitThreshold {
            call.run(rows: 0..<m, columns: 0..<n)
            return
        }
        let splitRows = m >= n
        let length = splitRows ? m : n
        let aligned = ((length + workers - 1) / workers + 15) / 16 * 16
        pool.run { worker in
            let range = min(worker * aligned, length)..<min((worker + 1) * aligned, length)
            if splitRows { call.run(rows: range, columns: 0..<n) } else { call.run(rows: 0..<m, columns: range) }
        }
    }

    /// The same product on the calling thread only (for callers that already split the work).
    package static func serialGemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        Product(transposeA: transposeA, transposeB: transposeB, k: k, alpha: alpha,
                a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc).run(rows: 0..<m, columns: 0..<n)
    }

    /// One product's operands; `run` computes one block of the result. The pointers are only
    /// read (A, B) or written in disjoint blocks (C), so workers may share it.
    private struct Product: @unchecked Sendable {
        let transposeA: Bool, transposeB: Bool
        let k: Int, alpha: Float
        let a: UnsafePointer<Float>, lda: Int
        let b: UnsafePointer<Float>, ldb: Int
        let beta: Float
        let c: UnsafeMutablePointer<Float>, ldc: Int

        func run(rows: Range<Int>, columns: Range<Int>) {
            guard !rows.isEmpty, !columns.isEmpty else { return }
            // The start of op(A)'s rows and of op(B)'s columns in their row-major storage.
            let aStart = transposeA ? a + rows.lowerBound : a + rows.lowerBound * lda
            let bStart = transposeB ? b + columns.lowerBound * ldb : b + columns.lowerBound
            cblas_sgemm(CblasRowMajor,
                        transposeA ? CblasTrans : CblasNoTrans,
                        transposeB ? CblasTrans : CblasNoTrans,
                        blasint(rows.count), blasint(columns.count), blasint(k),
                        alpha, aStart, blasint(lda), bStart, blasint(ldb),
                        beta, c + rows.lowerBound * ldc + columns.lowerBound, blasint(ldc))
        }
    }

    /// C ← A · B for square n × n matrices with OpenBLAS's own threading over `threads` cores:
    /// the machine's ceiling as a plain BLAS user gets it.
    package static func referenceSquareProduct(n: Int, threads: Int, a: UnsafePointer<Float>,
                                               b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) {
        openblas_set_num_threads(Int32(threads))
        defer { openblas_set_num_threads(1) }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(n), blasint(n), blasint(n),
                    1, a, blasint(n), b, blasint(n), 0, c, blasint(n))
    }

    /// y ← α · x + y.
    @inlinable
    package static func axpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(blasint(count), alpha, x, 1, y, 1)
    }

    /// Σ xᵢ yᵢ.
    @inlinable
    package static func dot(count: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>) -> Float {
        cblas_sdot(blasint(count), x, 1, y, 1)
    }
}

/// Runs `body` with the engine's products and parallel loops spread over `count` threads (the
/// calling thread among them). The count holds for the code `body` runs on this thread or task,
/// and only until it returns.
public func withComputeThreads<Result>(_ count: Int, _ body: () throws -> Result) rethrows -> Result {
    openblas_set_num_threads(1)
    return try BLAS.$pool.withValue(WorkerPool.shared(count: max(1, count))) { try body() }
}

/// The number of threads of the engine's matrix products here (see `withComputeThreads`).
public var computeThreads: Int { BLAS.pool.count }

/// Which of OpenBLAS's kernel sets runs the products, and which one should.
///
/// OpenBLAS chooses its kernels once, when the library loads, from the CPU's identity, or from
/// `$OPENBLAS_CORETYPE` when that is set. Release 0.3.21 (Debian 12's) does not recognise some
/// recent CPUs, Intel's Sapphire and Emerald Rapids among them, and falls back to its generic
/// SSE3 kernels ("Prescott"): on such a machine a 2048³ product ran at 52 GFLOP/s instead of the
/// 257 GFLOP/s of the AVX-512 kernels ("SkylakeX") the same CPU runs when asked to.
public enum BLASCore {
    /// The kernel set OpenBLAS chose for this process, as it names it ("SkylakeX", "Haswell", "Zen", …).
    public static var current: String { String(cString: openblas_get_corename()) }

    /// OpenBLAS's version and the options it was built with, as it reports them
    /// ("OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64").
    public static var configuration: String {
        let text = String(cString: openblas_get_config())
        return String(text.reversed().drop { $0 == " " }.reversed())
    }

    /// Kernel sets that use neither AVX2 nor AVX-512: OpenBLAS's fallbacks for CPUs it does not know.
    static let legacy: Set<String> = ["prescott", "core2", "penryn", "dunnington", "nehalem", "atom",
                                      "katmai", "coppermine", "northwood", "banias", "sandybridge"]

    /// The kernel set to ask for instead of `current`, or nil when `current` already fits the CPU.
    ///
    /// - Parameter cpuFlags: the CPU's feature flags as Linux lists them in /proc/cpuinfo
    ///   ("avx2", "fma", "avx512f", …).
    public static func better(than current: String, cpuFlags: Set<String>) -> String? {
        guard legacy.contains(current.lowercased()) else { return nil }
        if cpuFlags.isSuperset(of: ["avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512cd"]) { return "SkylakeX" }
        if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }
}
