import CKernels
import Dispatch

/// The engine's row-major single-precision products, on its own kernels (`ComputeKernels`).
///
/// Products are spread over the workers by the engine itself: the larger of the result's two
/// dimensions is cut into one block per worker, and each block is an independent single-threaded
/// product. Every element of the result is one chain of fused multiply-adds over k in increasing
/// order, whoever computes it and at whatever kernel level, so neither the thread count nor the
/// CPU changes a bit.
package enum Products {
    /// The workers behind every parallel loop of the engine: those of the innermost
    /// `withComputeThreads` around the caller, else the calling thread alone. A task-local
    /// value, not a global: concurrent callers (tests in parallel suites) each see their own.
    @TaskLocal package static var pool: WorkerPool = WorkerPool.shared(count: 1)

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
        let kernels = ComputeKernels.table

        func run(rows: Range<Int>, columns: Range<Int>) {
            guard !rows.isEmpty, !columns.isEmpty else { return }
            // The start of op(A)'s rows and of op(B)'s columns in their row-major storage.
            let aStart = transposeA ? a + rows.lowerBound : a + rows.lowerBound * lda
            let bStart = transposeB ? b + columns.lowerBound * ldb : b + columns.lowerBound
            kernels.pointee.sgemm(transposeA ? 1 : 0, transposeB ? 1 : 0, rows.count, columns.count, k,
                                  alpha, aStart, lda, bStart, ldb, beta, c + rows.lowerBound * ldc + columns.lowerBound, ldc)
        }
    }

    /// y ← α · x + y, element by element (one multiply and one add each, in Swift: no FMA).
    package static func axpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        Kernels.scaleAdd(y, scale: 1, x, alpha: alpha, count: count)
    }

    /// Σ xᵢ yᵢ in a fixed order: sixteen running sums of the lanes i mod 16 (products rounded,
    /// then added), folded pairwise, then the tail in order.
    package static func dot(count: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>) -> Float {
        Kernels.dot(x, y, count: count)
    }
}

/// Runs `body` with the engine's products and parallel loops spread over `count` threads (the
/// calling thread among them). The count holds for the code `body` runs on this thread or task,
/// and only until it returns.
public func withComputeThreads<Result>(_ count: Int, _ body: () throws -> Result) rethrows -> Result {
    try Products.$pool.withValue(WorkerPool.shared(count: max(1, count))) { try body() }
}

/// The number of threads of the engine's matrix products here (see `withComputeThreads`).
public var computeThreads: Int { Products.pool.count }

