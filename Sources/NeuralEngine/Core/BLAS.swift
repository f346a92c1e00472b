import COpenBLAS

/// The engine's only door to OpenBLAS: row-major single-precision products.
package enum BLAS {
    /// C ← α · op(A) · op(B) + β · C for row-major matrices, where op(A) is m × k and op(B) is k × n.
    @inlinable
    package static func gemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k),
                    alpha, a, blasint(lda), b, blasint(ldb),
                    beta, c, blasint(ldc))
    }

    /// y ← α · x + y.
    @inlinable
    package static func axpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(blasint(count), alpha, x, 1, y, 1)
    }

    /// The number of threads OpenBLAS uses for one product.
    package static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }
}

/// Sets the number of threads of the matrix products (OpenBLAS's pool).
public func setComputeThreads(_ count: Int) { BLAS.threads = count }

/// The number of threads of the matrix products.
public var computeThreads: Int { BLAS.threads }
