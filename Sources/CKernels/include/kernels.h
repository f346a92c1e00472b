#ifndef MNIST_REPORT_KERNELS_H
#define MNIST_REPORT_KERNELS_H

#include <stddef.h>

/// The engine's compute kernels, compiled once per x86-64 level inside one binary and chosen at
/// run time (`kernels_level_detect`, `kernels_table`).
///
/// Every level computes the same bits: a sum's order is fixed by the algorithm (for a matrix
/// product, each element is one chain of fused multiply-adds over k in increasing order), never
/// by the vector width, the register blocking or the thread count. Levels without hardware FMA
/// compute the same fused multiply-add exactly in software, so they are slower, not different.

/// The kernel levels, in increasing order of what they need from the CPU.
typedef enum {
    /// x86-64 as AMD defined it (SSE2), or any other architecture: portable C, FMA in software.
    KERNELS_BASELINE = 0,
    /// x86-64-v3: AVX2 and FMA (Intel Haswell, AMD Zen and later), 16 vector registers.
    KERNELS_AVX2 = 1,
    /// AVX-512 F/DQ/BW/VL (Intel Skylake-SP, AMD Zen 4 and later), 32 vector registers.
    KERNELS_AVX512 = 2,
} kernels_level;

/// The highest level this CPU and operating system can run.
kernels_level kernels_level_detect(void);

/// Whether this CPU can run `level`.
int kernels_level_supported(kernels_level level);

/// C ← op(A) · op(B) · α + β · C, row-major; op(A) is m × k and op(B) is k × n.
///
/// Each element is computed as acc ← β · c (0 when β = 0, c when β = 1), then
/// acc ← fma(α · a_ik, b_kj, acc) for k = 0, 1, … k − 1, rounding to Float at every step: the
/// same bits at every level and for every split of the rows or columns between callers.
typedef void (*kernels_sgemm_fn)(int transpose_a, int transpose_b, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
                                 float alpha, const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb,
                                 float beta, float *c, ptrdiff_t ldc);

/// One level's kernels.
typedef struct {
    kernels_level level;
    const char *name;
    kernels_sgemm_fn sgemm;
} kernels_table;

/// The kernels of `level` (which the caller has checked is supported).
const kernels_table *kernels_for(kernels_level level);

#endif
