// One level's kernels, included once per level by level_*.c with these macros set:
//   KERNELS_LEVEL, KERNELS_LEVEL_NAME  the level and its name;
//   KERNELS_SUFFIX(name)               the level's copy of a function name;
//   KERNELS_LANES                      floats per vector (4, 8 or 16);
//   KERNELS_ROWS                       rows of a product's register tile.
// The code is the same for every level; only the vector width and the tile change, and neither
// changes an element's chain of operations.

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kernels.h"

// No contraction of a * b + c into an FMA behind the code's back: every fused multiply-add is
// written as one, so that a level with FMA hardware and one without compute the same thing.
#pragma clang fp contract(off)

typedef float KERNELS_SUFFIX(vec) __attribute__((ext_vector_type(KERNELS_LANES)));
#define vec KERNELS_SUFFIX(vec)
#define LANES KERNELS_LANES

/// An unaligned load and store of one vector.
static inline vec KERNELS_SUFFIX(load)(const float *p) {
    vec v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline void KERNELS_SUFFIX(store)(float *p, vec v) { memcpy(p, &v, sizeof v); }
#define load KERNELS_SUFFIX(load)
#define store KERNELS_SUFFIX(store)

/// fma(a, b, c) lane by lane, rounded once: the hardware instruction where the level has it,
/// a correctly rounded software routine otherwise.
#define fmav(a, b, c) __builtin_elementwise_fma((a), (b), (c))

// ---------------------------------------------------------------------------------------------
// Matrix product. GotoBLAS's structure: B packed in panels of KC × NR, A in panels of MR × KC,
// a register tile of MR × NR sums updated by one fused multiply-add per element per k. The k
// loop runs in increasing order inside a tile and across KC blocks (a tile's sums go back to C
// between blocks, which keeps their bits), so an element's chain depends on nothing else.

#define MR KERNELS_ROWS
#define NRV 2                  /* vectors per tile row */
#define NR (NRV * LANES)
#define KC 256
#define MC (MR * (KERNELS_LANES == 16 ? 8 : 16))
#define NC (NR * 128)

/// A thread's packing buffers, grown on demand and kept for the thread's life.
static _Thread_local float *KERNELS_SUFFIX(packed_a);
static _Thread_local float *KERNELS_SUFFIX(packed_b);

static float *KERNELS_SUFFIX(buffer)(float **slot, size_t count) {
    if (!*slot) {
        // Sized once for the largest blocks: MC × KC and KC × NC values, cache-line aligned.
        size_t bytes = (count * sizeof(float) + 63) / 64 * 64;
        *slot = aligned_alloc(64, bytes);
        if (!*slot) abort();
    }
    return *slot;
}

/// One panel of `width` ≤ `lanes` lines of kc values, k-major (`out[p · lanes + line]`),
/// zero-padded to `lanes`. `across`: line l's values are the source's row l (kc in order),
/// else the source's row p holds the panel's row p (`width` values). Copies only: the packing
/// order does not matter to the bits.
static void KERNELS_SUFFIX(pack_panel)(const float *source, ptrdiff_t ld, int across, ptrdiff_t kc,
                                      ptrdiff_t width, ptrdiff_t lanes, float *out) {
    if (width < lanes) memset(out, 0, (size_t)(kc * lanes) * sizeof(float));
    if (across) {
        // Read each line in order, write it down the panel.
        for (ptrdiff_t l = 0; l < width; l++) {
            const float *line = source + l * ld;
            for (ptrdiff_t p = 0; p < kc; p++) out[p * lanes + l] = line[p];
        }
    } else {
        for (ptrdiff_t p = 0; p < kc; p++) memcpy(out + p * lanes, source + p * ld, (size_t)width * sizeof(float));
    }
}

/// op(B)[p0 ..< p0 + kc, j0 ..< j0 + nc] as panels of NR columns, k-major, zero-padded.
static void KERNELS_SUFFIX(pack_b)(int transpose, const float *b, ptrdiff_t ldb, ptrdiff_t p0, ptrdiff_t kc,
                                  ptrdiff_t j0, ptrdiff_t nc, float *out) {
    for (ptrdiff_t jp = 0; jp < nc; jp += NR) {
        ptrdiff_t width = nc - jp < NR ? nc - jp : NR, column = j0 + jp;
        // Column j of op(B) is row j of B when transposed.
        const float *source = transpose ? b + column * ldb + p0 : b + p0 * ldb + column;
        KERNELS_SUFFIX(pack_panel)(source, ldb, transpose, kc, width, NR, out);
        out += kc * NR;
    }
}

/// α · op(A)[i0 ..< i0 + mc, p0 ..< p0 + kc] as panels of MR rows, k-major, zero-padded.
static void KERNELS_SUFFIX(pack_a)(int transpose, const float *a, ptrdiff_t lda, ptrdiff_t i0, ptrdiff_t mc,
                                  ptrdiff_t p0, ptrdiff_t kc, float alpha, float *out) {
    for (ptrdiff_t ip = 0; ip < mc; ip += MR) {
        ptrdiff_t height = mc - ip < MR ? mc - ip : MR, row = i0 + ip;
        // Row i of op(A) is row i of A unless transposed, when column p of op(A) is row p of A.
        const float *source = transpose ? a + p0 * lda + row : a + row * lda + p0;
        KERNELS_SUFFIX(pack_panel)(source, lda, !transpose, kc, height, MR, out);
        if (alpha != 1) {
            for (ptrdiff_t p = 0; p < kc * MR; p++) out[p] = alpha * out[p];
        }
        out += kc * MR;
    }
}

/// The register tile: c[0 ..< rows, 0 ..< columns] += the panels' product over kc steps, with
/// `VECTORS` vectors per row (2 for the full tile, 1 for a narrow product whose columns fit in
/// one vector: then half the tile's lanes are not wasted). Either way, each element is the same
/// chain: one fused multiply-add per k, in order.
#define KERNELS_TILE(NAME, VECTORS) \
static void NAME(ptrdiff_t kc, const float *restrict a, const float *restrict b, \
                 float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns) { \
    vec sums[MR][VECTORS]; \
    float edge[MR * VECTORS * LANES]; \
    const ptrdiff_t width = VECTORS * LANES; \
    int full = rows == MR && columns == width; \
    if (full) { \
        for (int i = 0; i < MR; i++) \
            for (int v = 0; v < VECTORS; v++) sums[i][v] = load(c + i * ldc + v * LANES); \
    } else { \
        memset(edge, 0, sizeof edge); \
        for (ptrdiff_t i = 0; i < rows; i++) memcpy(edge + i * width, c + i * ldc, (size_t)columns * sizeof(float)); \
        for (int i = 0; i < MR; i++) \
            for (int v = 0; v < VECTORS; v++) sums[i][v] = load(edge + i * width + v * LANES); \
    } \
    for (ptrdiff_t p = 0; p < kc; p++) { \
        vec bv[VECTORS]; \
        for (int v = 0; v < VECTORS; v++) bv[v] = load(b + v * LANES); \
        _Pragma("clang loop unroll(full)") \
        for (int i = 0; i < MR; i++) { \
            vec ai = a[i]; \
            for (int v = 0; v < VECTORS; v++) sums[i][v] = fmav(ai, bv[v], sums[i][v]); \
        } \
        a += MR; \
        b += NR; \
    } \
    if (full) { \
        for (int i = 0; i < MR; i++) \
            for (int v = 0; v < VECTORS; v++) store(c + i * ldc + v * LANES, sums[i][v]); \
    } else { \
        for (int i = 0; i < MR; i++) \
            for (int v = 0; v < VECTORS; v++) store(edge + i * width + v * LANES, sums[i][v]); \
        for (ptrdiff_t i = 0; i < rows; i++) memcpy(c + i * ldc, edge + i * width, (size_t)columns * sizeof(float)); \
    } \
}
KERNELS_TILE(KERNELS_SUFFIX(tile), NRV)
KERNELS_TILE(KERNELS_SUFFIX(tile_narrow), 1)
#undef KERNELS_TILE

static void KERNELS_SUFFIX(sgemm)(int transpose_a, int transpose_b, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
                                 float alpha, const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb,
                                 float beta, float *c, ptrdiff_t ldc) {
    if (m <= 0 || n <= 0) return;
    // β first, once per element: the chain then starts from C.
    if (beta != 1) {
        for (ptrdiff_t i = 0; i < m; i++) {
            float *row = c + i * ldc;
            if (beta == 0) memset(row, 0, (size_t)n * sizeof(float));
            else for (ptrdiff_t j = 0; j < n; j++) row[j] = beta * row[j];
        }
    }
    if (k <= 0) return;
    float *pa = KERNELS_SUFFIX(buffer)(&KERNELS_SUFFIX(packed_a), (size_t)MC * KC);
    float *pb = KERNELS_SUFFIX(buffer)(&KERNELS_SUFFIX(packed_b), (size_t)KC * NC);
    for (ptrdiff_t j0 = 0; j0 < n; j0 += NC) {
        ptrdiff_t nc = n - j0 < NC ? n - j0 : NC;
        for (ptrdiff_t p0 = 0; p0 < k; p0 += KC) {
            ptrdiff_t kc = k - p0 < KC ? k - p0 : KC;
            KERNELS_SUFFIX(pack_b)(transpose_b, b, ldb, p0, kc, j0, nc, pb);
            for (ptrdiff_t i0 = 0; i0 < m; i0 += MC) {
                ptrdiff_t mc = m - i0 < MC ? m - i0 : MC;
                KERNELS_SUFFIX(pack_a)(transpose_a, a, lda, i0, mc, p0, kc, alpha, pa);
                for (ptrdiff_t jp = 0; jp < nc; jp += NR) {
                    ptrdiff_t columns = nc - jp < NR ? nc - jp : NR;
                    for (ptrdiff_t ip = 0; ip < mc; ip += MR) {
                        ptrdiff_t rows = mc - ip < MR ? mc - ip : MR;
                        if (columns <= LANES)
                            KERNELS_SUFFIX(tile_narrow)(kc, pa + ip * kc, pb + jp * kc,
                                                        c + (i0 + ip) * ldc + j0 + jp, ldc, rows, columns);
                        else
                            KERNELS_SUFFIX(tile)(kc, pa + ip * kc, pb + jp * kc,
                                                 c + (i0 + ip) * ldc + j0 + jp, ldc, rows, columns);
                    }
                }
            }
        }
    }
}

#undef MR
#undef NRV
#undef NR
#undef KC
#undef MC
#undef NC

// ---------------------------------------------------------------------------------------------

#include "convolution_body.h"

// ---------------------------------------------------------------------------------------------

static const kernels_table KERNELS_SUFFIX(table) = {
    .level = KERNELS_LEVEL,
    .name = KERNELS_LEVEL_NAME,
    .sgemm = KERNELS_SUFFIX(sgemm),
    .conv_rows_forward = KERNELS_SUFFIX(conv_rows_forward),
    .conv_rows_kernel_gradient = KERNELS_SUFFIX(conv_rows_kernel_gradient),
    .conv_rows_input_gradient = KERNELS_SUFFIX(conv_rows_input_gradient),
    .conv_filters_forward = KERNELS_SUFFIX(conv_filters_forward),
    .conv_filters_kernel_gradient = KERNELS_SUFFIX(conv_filters_kernel_gradient),
    .conv_filters_input_gradient = KERNELS_SUFFIX(conv_filters_input_gradient),
};

const kernels_table *KERNELS_SUFFIX(kernels)(void) { return &KERNELS_SUFFIX(table); }
