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
#include "scratch.h"

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
// Matrix product. GotoBLAS's structure: B packed in panels of KC × NR, a register tile of
// MR × NR sums updated by one fused multiply-add per element per k. The k loop runs in
// increasing order inside a tile and across KC blocks (a tile's sums go back to C between
// blocks, which keeps their bits), so an element's chain depends on nothing else.
//
// A is read where it lies: the tile broadcasts one value of A per row and k from memory either
// way, and the MR rows it reads stay in cache across B's panels. Only α ≠ 1 packs A, as α · a,
// the value the chain multiplies: the same float whether it is computed here or there.

#define MR KERNELS_ROWS
#define NRV 2                  /* vectors per tile row */
#define NR (NRV * LANES)
#define KC 256
#define MC (MR * (KERNELS_LANES == 16 ? 8 : 16))
#define NC (NR * 128)

/// One panel of `width` ≤ `lanes` lines of kc values, k-major (`out[p · lanes + line]`),
/// zero-padded to `lanes`. `across`: line l's values are the source's row l (kc in order),
/// else the source's row p holds the panel's row p (`width` values). Copies only: the packing
/// order does not matter to the bits. Inlined where `lanes` is a constant, so that a full
/// panel's rows copy as whole vectors.
static inline __attribute__((always_inline)) void
KERNELS_SUFFIX(pack_panel)(const float *source, ptrdiff_t ld, int across, ptrdiff_t kc,
                           ptrdiff_t width, ptrdiff_t lanes, float *out) {
    if (width < lanes) memset(out, 0, (size_t)(kc * lanes) * sizeof(float));
    if (across) {
        // Blocks of 8 values of every line: each block's reads stay in a few cache lines, and
        // its writes run down the panel in order.
        ptrdiff_t p = 0;
        for (; p + 8 <= kc; p += 8) {
            for (ptrdiff_t l = 0; l < width; l++) {
                const float *line = source + l * ld + p;
                float *column = out + p * lanes + l;
                for (int q = 0; q < 8; q++) column[q * lanes] = line[q];
            }
        }
        for (; p < kc; p++)
            for (ptrdiff_t l = 0; l < width; l++) out[p * lanes + l] = source[l * ld + p];
    } else if (width == lanes) {
        for (ptrdiff_t p = 0; p < kc; p++) memcpy(out + p * lanes, source + p * ld, (size_t)lanes * sizeof(float));
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
        for (ptrdiff_t p = 0; p < kc * MR; p++) out[p] = alpha * out[p];
        out += kc * MR;
    }
}

/// The register tile: c[0 ..< rows, 0 ..< columns] += the product of `rows` rows of A and a
/// packed panel of B over kc steps, with `VECTORS` vectors per row (2 for the full tile, 1 for a
/// narrow product whose columns fit in one vector: then half the tile's lanes are not wasted).
/// A's value (i, p) is a[i · row_step + p · k_step]: packed panels and A in place differ only in
/// these steps. Either way, each element is the same chain: one fused multiply-add per k, in order.
#define KERNELS_TILE(NAME, VECTORS) \
static void NAME(ptrdiff_t kc, const float *restrict a, ptrdiff_t row_step, ptrdiff_t k_step, \
                 const float *restrict b, float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns) { \
    vec sums[MR][VECTORS]; \
    float edge[MR * VECTORS * LANES]; \
    const float *restrict lines[MR]; \
    const ptrdiff_t width = VECTORS * LANES; \
    int full = rows == MR && columns == width; \
    /* The rows past a short tile's end repeat its last row: read, never stored. */ \
    for (int i = 0; i < MR; i++) lines[i] = a + (i < rows ? i : rows - 1) * row_step; \
    if (full) { \
        for (int i = 0; i < MR; i++) \
            for (int v = 0; v < VECTORS; v++) sums[i][v] = load(c + i * ldc + v * LANES); \
    } else { \
        memset(edge, 0, sizeof edge); \
        for (ptrdiff_t i = 0; i < rows; i++) memcpy(edge + i * width, c + i * ldc, (size_t)columns * sizeof(float)); \
        for (int i = 0; i < MR; i++) \
            for (int v = 0; v < VECTORS; v++) sums[i][v] = load(edge + i * width + v * LANES); \
    } \
    ptrdiff_t offset = 0; \
    for (ptrdiff_t p = 0; p < kc; p++) { \
        vec bv[VECTORS]; \
        for (int v = 0; v < VECTORS; v++) bv[v] = load(b + v * LANES); \
        _Pragma("clang loop unroll(full)") \
        for (int i = 0; i < MR; i++) { \
            vec ai = lines[i][offset]; \
            for (int v = 0; v < VECTORS; v++) sums[i][v] = fmav(ai, bv[v], sums[i][v]); \
        } \
        offset += k_step; \
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
    int packs_a = alpha != 1;
    float *pa = packs_a ? kernels_scratch(KERNELS_SCRATCH_A, (size_t)MC * KC) : NULL;
    float *pb = kernels_scratch(KERNELS_SCRATCH_B, (size_t)KC * NC);
    // k in blocks of at most KC, of even sizes: no short last block to pay a round trip of C for.
    ptrdiff_t blocks = (k + KC - 1) / KC, block = (k + blocks - 1) / blocks;
    // op(A)[i, p] is a[i · row_step + p · k_step].
    ptrdiff_t row_step = transpose_a ? 1 : lda, k_step = transpose_a ? lda : 1;
    for (ptrdiff_t j0 = 0; j0 < n; j0 += NC) {
        ptrdiff_t nc = n - j0 < NC ? n - j0 : NC;
        for (ptrdiff_t p0 = 0; p0 < k; p0 += block) {
            ptrdiff_t kc = k - p0 < block ? k - p0 : block;
            KERNELS_SUFFIX(pack_b)(transpose_b, b, ldb, p0, kc, j0, nc, pb);
            for (ptrdiff_t i0 = 0; i0 < m; i0 += MC) {
                ptrdiff_t mc = m - i0 < MC ? m - i0 : MC;
                if (packs_a) KERNELS_SUFFIX(pack_a)(transpose_a, a, lda, i0, mc, p0, kc, alpha, pa);
                for (ptrdiff_t jp = 0; jp < nc; jp += NR) {
                    ptrdiff_t columns = nc - jp < NR ? nc - jp : NR;
                    for (ptrdiff_t ip = 0; ip < mc; ip += MR) {
                        ptrdiff_t rows = mc - ip < MR ? mc - ip : MR;
                        const float *panel = packs_a ? pa + ip * kc : a + (i0 + ip) * row_step + p0 * k_step;
                        ptrdiff_t rs = packs_a ? 1 : row_step, ks = packs_a ? MR : k_step;
                        float *tile = c + (i0 + ip) * ldc + j0 + jp;
                        if (columns <= LANES)
                            KERNELS_SUFFIX(tile_narrow)(kc, panel, rs, ks, pb + jp * kc, tile, ldc, rows, columns);
                        else
                            KERNELS_SUFFIX(tile)(kc, panel, rs, ks, pb + jp * kc, tile, ldc, rows, columns);
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
#include "winograd_body.h"
#include "layers_body.h"

// ---------------------------------------------------------------------------------------------
// e^x for many floats, in vectors of doubles (half as many lanes as floats). Every operation is
// an IEEE one on each lane alone, so a lane computes exactly what the scalar Swift code does.

#define DLANES (LANES / 2 > 1 ? LANES / 2 : 2)
typedef double KERNELS_SUFFIX(dvec) __attribute__((ext_vector_type(DLANES)));
typedef float KERNELS_SUFFIX(fhalf) __attribute__((ext_vector_type(DLANES)));
typedef long KERNELS_SUFFIX(lvec) __attribute__((ext_vector_type(DLANES)));
#define dvec KERNELS_SUFFIX(dvec)
#define fhalf KERNELS_SUFFIX(fhalf)
#define lvec KERNELS_SUFFIX(lvec)

/// 2^e for integer e in the range of normal doubles, from its bits.
static inline dvec KERNELS_SUFFIX(power_of_two)(lvec e) {
    lvec bits = (e + 1023) << 52;
    dvec out;
    memcpy(&out, &bits, sizeof out);
    return out;
}

static inline fhalf KERNELS_SUFFIX(exp_lanes)(fhalf xf) {
    const double ln2 = 0.6931471805599453;
    dvec x = __builtin_convertvector(xf, dvec);
    // Lanes outside the range compute from 0 and take their answer below.
    // (Compared as doubles, which convert these floats exactly.)
    lvec inside = (x <= (double)88.73f) & (x >= -104.0);
    x = inside ? x : (dvec)0;
    dvec n = __builtin_elementwise_round(x / ln2);
    dvec r = x - n * ln2;
    dvec term = 1.0, sum = 1.0;
    for (int k = 1; k <= 18; k++) {
        term = term * r / (double)k;
        sum = sum + term;
    }
    lvec whole = __builtin_convertvector(n, lvec);
    lvec first = whole / 2, second = whole - first;
    dvec scaled = sum * KERNELS_SUFFIX(power_of_two)(first) * KERNELS_SUFFIX(power_of_two)(second);
    fhalf out = __builtin_convertvector(scaled, fhalf);
    out = xf > 88.73f ? (fhalf)__builtin_inff() : out;
    out = xf < -104.0f ? (fhalf)0.0f : out;
    return xf != xf ? xf : out;
}

static void KERNELS_SUFFIX(exp)(float *x, ptrdiff_t count) {
    ptrdiff_t i = 0;
    for (; i + DLANES <= count; i += DLANES) {
        fhalf v;
        memcpy(&v, x + i, sizeof v);
        v = KERNELS_SUFFIX(exp_lanes)(v);
        memcpy(x + i, &v, sizeof v);
    }
    if (i < count) {
        fhalf v = 0;
        memcpy(&v, x + i, (size_t)(count - i) * sizeof(float));
        v = KERNELS_SUFFIX(exp_lanes)(v);
        memcpy(x + i, &v, (size_t)(count - i) * sizeof(float));
    }
}

#undef dvec
#undef fhalf
#undef lvec
#undef DLANES

// ---------------------------------------------------------------------------------------------
// Element-wise loops: whole vectors, then the tail one value at a time, the same operation.

static void KERNELS_SUFFIX(relu)(float *x, ptrdiff_t count) {
    ptrdiff_t i = 0;
    for (; i + LANES <= count; i += LANES) {
        vec v = load(x + i);
        store(x + i, v < 0 ? (vec)0 : v);
    }
    for (; i < count; i++) x[i] = x[i] < 0 ? 0 : x[i];
}

static void KERNELS_SUFFIX(relu_mask)(const float *y, float *g, ptrdiff_t count) {
    ptrdiff_t i = 0;
    for (; i + LANES <= count; i += LANES) store(g + i, load(y + i) <= 0 ? (vec)0 : load(g + i));
    for (; i < count; i++) g[i] = y[i] <= 0 ? 0 : g[i];
}

static void KERNELS_SUFFIX(scale_add)(float *y, float scale, const float *x, float alpha, ptrdiff_t count) {
    ptrdiff_t i = 0;
    for (; i + LANES <= count; i += LANES) store(y + i, load(y + i) * scale + load(x + i) * alpha);
    for (; i < count; i++) y[i] = y[i] * scale + x[i] * alpha;
}

static void KERNELS_SUFFIX(penalised_step)(float *w, const float *g, float decay, float rate, ptrdiff_t count) {
    ptrdiff_t i = 0;
    for (; i + LANES <= count; i += LANES) {
        vec v = load(w + i);
        store(w + i, v + (load(g + i) + v * decay) * rate);
    }
    for (; i < count; i++) w[i] = w[i] + (g[i] + w[i] * decay) * rate;
}

// ---------------------------------------------------------------------------------------------
// Per-channel loops of batch normalisation over channels-last values (Swift's Kernels+Channels).
// A run of such values repeats its channel pattern every `period` values (a multiple of 16,
// hence of every level's lanes), so lane l of a period always holds channel l mod C: the
// per-channel factors come laid out over one period, and each lane's sum is a chain of its own,
// in order of the periods, whatever the vector width.

/// lanes[l] ← Σ a[p · period + l] (· b[…] when b is given: each product rounded, then added)
/// over p in 0 ..< periods, from 0, in order of p.
static void KERNELS_SUFFIX(lane_sums)(const float *a, const float *b, ptrdiff_t period, ptrdiff_t periods,
                                     float *lanes) {
    for (ptrdiff_t v = 0; v < period; v += LANES) {
        vec sum = 0;
        if (b) {
            for (ptrdiff_t p = 0; p < periods; p++) sum = sum + load(a + p * period + v) * load(b + p * period + v);
        } else {
            for (ptrdiff_t p = 0; p < periods; p++) sum = sum + load(a + p * period + v);
        }
        store(lanes + v, sum);
    }
}

/// lanes[l] ← Σ (x[p · period + l] − mean[l])² over p in 0 ..< periods, from 0: the difference
/// rounded, its square rounded, then added.
static void KERNELS_SUFFIX(lane_centred_squares)(const float *x, const float *mean, ptrdiff_t period,
                                                ptrdiff_t periods, float *lanes) {
    for (ptrdiff_t v = 0; v < period; v += LANES) {
        vec sum = 0, mu = load(mean + v);
        for (ptrdiff_t p = 0; p < periods; p++) {
            vec centred = load(x + p * period + v) - mu;
            sum = sum + centred * centred;
        }
        store(lanes + v, sum);
    }
}

/// Both sums backward needs, in one pass: plain[l] ← Σ a and products[l] ← Σ a · n with
/// x̂ computed from x on the way, n = (x − c[l]) · c[period + l], each operation rounded as
/// channel_normalize computes it (so no x̂ need be stored).
static void KERNELS_SUFFIX(lane_sums_pair)(const float *a, const float *x, const float *centre, ptrdiff_t period,
                                          ptrdiff_t periods, float *plain, float *products) {
    for (ptrdiff_t v = 0; v < period; v += LANES) {
        vec sum = 0, product = 0, mean = load(centre + v), scale = load(centre + period + v);
        for (ptrdiff_t p = 0; p < periods; p++) {
            vec g = load(a + p * period + v);
            sum = sum + g;
            product = product + g * ((load(x + p * period + v) - mean) * scale);
        }
        store(plain + v, sum);
        store(products + v, product);
    }
}

/// out[i] ← a[i] · f[l] + n[i] · f[period + l] + f[2 · period + l] with x̂ computed from x on the
/// way, n = (x − f[3 · period + l]) · f[4 · period + l]; without x, a[i] · f[l] + f[2 · period + l]
/// (left to right, each operation rounded), for the values of `periods` periods, l = i mod
/// period; with `masked` (and x), then +0 wherever x ≤ 0. `out` may be `a`.
static inline __attribute__((always_inline)) void KERNELS_SUFFIX(channel_affine_body)(
    const float *a, const float *x, const float *factors, ptrdiff_t period, ptrdiff_t periods, float *out,
    int masked) {
    for (ptrdiff_t p = 0; p < periods; p++) {
        for (ptrdiff_t v = 0; v < period; v += LANES) {
            ptrdiff_t i = p * period + v;
            vec scaled = load(a + i) * load(factors + v);
            if (x) {
                vec n = (load(x + i) - load(factors + 3 * period + v)) * load(factors + 4 * period + v);
                scaled = scaled + n * load(factors + period + v);
            }
            vec value = scaled + load(factors + 2 * period + v);
            store(out + i, masked && x ? (load(x + i) <= 0 ? (vec)0 : value) : value);
        }
    }
}

static void KERNELS_SUFFIX(channel_affine)(const float *a, const float *x, const float *factors, ptrdiff_t period,
                                          ptrdiff_t periods, float *out) {
    KERNELS_SUFFIX(channel_affine_body)(a, x, factors, period, periods, out, 0);
}

/// channel_affine with x, then +0 wherever x ≤ 0: a ReLU's derivative applied on the way, when
/// x is the output of a ReLU (what relu_mask does to the result, the same values).
static void KERNELS_SUFFIX(channel_affine_masked)(const float *a, const float *x, const float *factors,
                                                 ptrdiff_t period, ptrdiff_t periods, float *out) {
    KERNELS_SUFFIX(channel_affine_body)(a, x, factors, period, periods, out, 1);
}

/// y[i] ← ((x[i] − f[l]) · f[period + l]) · f[2 · period + l] + f[3 · period + l] (each
/// operation rounded): γ · x̂ + β from the mean and 1/√(σ² + ε).
static void KERNELS_SUFFIX(channel_normalize)(const float *x, const float *factors, ptrdiff_t period,
                                             ptrdiff_t periods, float *y) {
    for (ptrdiff_t p = 0; p < periods; p++) {
        for (ptrdiff_t v = 0; v < period; v += LANES) {
            ptrdiff_t i = p * period + v;
            vec normalized = (load(x + i) - load(factors + v)) * load(factors + period + v);
            store(y + i, normalized * load(factors + 2 * period + v) + load(factors + 3 * period + v));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The kernel gradient of a Dense layer whose input is mostly exact zeros, as MNIST's pixels are:
// dW = Xᵀ · dZ with X sparse. Each element is the dense product's chain (one fused multiply-add
// per item, in increasing order, from +0) with the terms whose x is zero left out. For finite
// gradients, leaving out such a term changes nothing but, at most, the sign of a zero
// accumulator: fma(±0, g, a) = a unless a is a zero. So the two chains agree as real numbers at
// every step and bit for bit after every term kept, and the only way they can end apart is a
// sparse −0 where the dense chain ends +0.
// Every element that ends as −0 is therefore recomputed along the dense chain: the same bits as
// the dense product in every case. (A non-finite right factor is the caller's to rule out: then
// 0 · ∞ is NaN, which a skipped term cannot produce.)

#define SPARSE_VECTORS 4

typedef int32_t KERNELS_SUFFIX(ivec) __attribute__((ext_vector_type(KERNELS_LANES)));
#define ivec KERNELS_SUFFIX(ivec)

/// One fused multiply-add, as lane 0 of the vector operation (the same instruction or routine).
static inline float KERNELS_SUFFIX(fma1)(float a, float b, float c) {
    vec r = fmav((vec)a, (vec)b, (vec)c);
    return r[0];
}

/// Whether any lane of v is −0.
static inline int KERNELS_SUFFIX(has_negative_zero)(vec v) {
    ivec bits;
    memcpy(&bits, &v, sizeof bits);
    return __builtin_reduce_or(bits == (ivec)(int32_t)0x80000000) != 0;
}

/// Whether every one of `count` values is finite (neither infinite nor NaN).
static int KERNELS_SUFFIX(all_finite)(const float *x, ptrdiff_t count) {
    const ivec exponent = (ivec)0x7f800000;
    ivec seen = 0;
    ptrdiff_t i = 0;
    for (; i + LANES <= count; i += LANES) {
        ivec bits;
        vec v = load(x + i);
        memcpy(&bits, &v, sizeof bits);
        seen |= (bits & exponent) == exponent;
    }
    if (__builtin_reduce_or(seen)) return 0;
    for (; i < count; i++)
        if (!__builtin_isfinite(x[i])) return 0;
    return 1;
}

/// The indices of the non-zero values of rows r0 ..< r1 of x (rows of `inputs` values): row r's
/// are indices[r · inputs ..< r · inputs + counts[r]], increasing.
static void KERNELS_SUFFIX(sparse_index_rows)(const float *x, ptrdiff_t inputs, ptrdiff_t r0, ptrdiff_t r1,
                                             int32_t *counts, int32_t *indices) {
    for (ptrdiff_t r = r0; r < r1; r++) {
        const float *row = x + r * inputs;
        int32_t *out = indices + r * inputs, count = 0;
        ptrdiff_t i = 0;
        for (; i + LANES <= inputs; i += LANES) {
            if (!__builtin_reduce_or(load(row + i) != 0)) continue;
            // Without branches: every index is written, and kept when its value is not zero.
            for (ptrdiff_t l = 0; l < LANES; l++) {
                out[count] = (int32_t)(i + l);
                count += row[i + l] != 0;
            }
        }
        for (; i < inputs; i++) {
            out[count] = (int32_t)i;
            count += row[i] != 0;
        }
        counts[r] = count;
    }
}

/// The kernel gradient's rows k0 ..< k1 (dw is inputs × units): dw[k, j] from +0, fma(x[b, k],
/// dz[b, j], ·) over the items b whose x[b, k] is not zero, in increasing b (column k's items are
/// items[starts[k] ..< starts[k + 1]], their x in `values`). The columns go in slices of
/// SPARSE_VECTORS vectors, each slice of dz copied once into a zero-padded block that stays in
/// the first-level cache; an element that ends as −0 is recomputed over every item.
static void KERNELS_SUFFIX(sparse_weight_gradient)(ptrdiff_t count, ptrdiff_t inputs, ptrdiff_t units,
                                                  ptrdiff_t k0, ptrdiff_t k1, const int32_t *starts,
                                                  const int32_t *items, const float *values, const float *x,
                                                  const float *dz, float *dw) {
    enum { CHUNK = SPARSE_VECTORS * LANES };
    float *block = kernels_scratch(KERNELS_SCRATCH_A, (size_t)(count * CHUNK));
    for (ptrdiff_t j = 0; j < units; j += CHUNK) {
        ptrdiff_t width = units - j < CHUNK ? units - j : CHUNK;
        for (ptrdiff_t b = 0; b < count; b++) {
            memcpy(block + b * CHUNK, dz + b * units + j, (size_t)width * sizeof(float));
            memset(block + b * CHUNK + width, 0, (size_t)(CHUNK - width) * sizeof(float));
        }
        for (ptrdiff_t k = k0; k < k1; k++) {
            vec a[SPARSE_VECTORS];
            for (int q = 0; q < SPARSE_VECTORS; q++) a[q] = 0;
            for (int32_t e = starts[k]; e < starts[k + 1]; e++) {
                vec v = (vec)values[e];
                const float *g = block + (ptrdiff_t)items[e] * CHUNK;
                for (int q = 0; q < SPARSE_VECTORS; q++) a[q] = fmav(v, load(g + q * LANES), a[q]);
            }
            float *out = dw + k * units + j;
            int suspect = 0;
            if (width == CHUNK) {
                for (int q = 0; q < SPARSE_VECTORS; q++) store(out + q * LANES, a[q]);
            } else {
                float edge[CHUNK];
                for (int q = 0; q < SPARSE_VECTORS; q++) store(edge + q * LANES, a[q]);
                memcpy(out, edge, (size_t)width * sizeof(float));
            }
            for (int q = 0; q < SPARSE_VECTORS; q++) suspect |= KERNELS_SUFFIX(has_negative_zero)(a[q]);
            if (!suspect) continue;
            for (ptrdiff_t c = 0; c < width; c++) {
                if (out[c] != 0 || !__builtin_signbit(out[c])) continue;
                float acc = 0;
                for (ptrdiff_t b = 0; b < count; b++) acc = KERNELS_SUFFIX(fma1)(x[b * inputs + k], dz[b * units + j + c], acc);
                out[c] = acc;
            }
        }
    }
}

/// The forward product of rows r0 ..< r1 of a mostly-zero x: y[r, j] from b[j], then fma(x[r, k],
/// w[k, j], ·) over the k in increasing order where some row of r's tile of SF_ROWS rows is not
/// zero (so a row's chain keeps its own zero terms where a neighbour's value is not zero, and
/// leaves out only terms that are zero in the whole tile); an element that ends as −0 is
/// recomputed over every k. Tiles of a few rows share each loaded vector of w, which a row
/// walked alone would load for itself (MNIST: 19 % of a digit's pixels are non-zero, 39 % of
/// four digits' union). The columns go in blocks of SF_VECTORS vectors, each over every tile
/// before the next, so that a block's slice of w stays in the second-level cache.
#if LANES == 16
#define SF_ROWS 4
#define SF_VECTORS 6
#elif LANES == 8
#define SF_ROWS 4
#define SF_VECTORS 3
#else
#define SF_ROWS 2
#define SF_VECTORS 2
#endif

/// The k where any of the n rows from x is not zero, increasing; returns how many.
static int32_t KERNELS_SUFFIX(sparse_union)(const float *x, ptrdiff_t inputs, ptrdiff_t n, int32_t *out) {
    int32_t count = 0;
    ptrdiff_t k = 0;
    for (; k + LANES <= inputs; k += LANES) {
        ivec any = 0;
        for (ptrdiff_t i = 0; i < n; i++) any |= load(x + i * inputs + k) != 0;
        if (!__builtin_reduce_or(any)) continue;
        for (ptrdiff_t l = 0; l < LANES; l++) {
            out[count] = (int32_t)(k + l);
            count += any[l] != 0;
        }
    }
    for (; k < inputs; k++) {
        int nonzero = 0;
        for (ptrdiff_t i = 0; i < n; i++) nonzero |= x[i * inputs + k] != 0;
        out[count] = (int32_t)k;
        count += nonzero;
    }
    return count;
}

/// One tile's columns j ..< j + V · LANES: N rows from x and y (rows `ys` apart), the tile's list
/// of k, w's rows `ws` apart.
static inline __attribute__((always_inline)) void
KERNELS_SUFFIX(sparse_forward_block)(const float *x, ptrdiff_t inputs, int N, const int32_t *list, int32_t count,
                                     const float *w, ptrdiff_t ws, const float *b, float *y, ptrdiff_t ys,
                                     ptrdiff_t j, int V) {
    vec a[SF_ROWS][SF_VECTORS];
#pragma clang loop unroll(full)
    for (int i = 0; i < N; i++)
#pragma clang loop unroll(full)
        for (int q = 0; q < V; q++) a[i][q] = load(b + j + q * LANES);
    for (int32_t e = 0; e < count; e++) {
        const ptrdiff_t k = list[e];
        const float *row = w + k * ws + j;
        vec v[SF_VECTORS];
#pragma clang loop unroll(full)
        for (int q = 0; q < V; q++) v[q] = load(row + q * LANES);
#pragma clang loop unroll(full)
        for (int i = 0; i < N; i++) {
            const vec s = (vec)x[i * inputs + k];
#pragma clang loop unroll(full)
            for (int q = 0; q < V; q++) a[i][q] = fmav(s, v[q], a[i][q]);
        }
    }
    int suspect = 0;
#pragma clang loop unroll(full)
    for (int i = 0; i < N; i++)
#pragma clang loop unroll(full)
        for (int q = 0; q < V; q++) {
            store(y + i * ys + j + q * LANES, a[i][q]);
            suspect |= KERNELS_SUFFIX(has_negative_zero)(a[i][q]);
        }
    if (!suspect) return;
    for (int i = 0; i < N; i++)
        for (ptrdiff_t c = j; c < j + V * LANES; c++) {
            float *out = y + i * ys + c;
            if (*out != 0 || !__builtin_signbit(*out)) continue;
            float acc = b[c];
            for (ptrdiff_t k = 0; k < inputs; k++) acc = KERNELS_SUFFIX(fma1)(x[i * inputs + k], w[k * ws + c], acc);
            *out = acc;
        }
}

/// One tile of N rows: the wide block at j, or (`wide` false) the columns from j on, in single
/// vectors and then one vector of the last columns, from zero-padded copies of their w and b.
static inline __attribute__((always_inline)) void
KERNELS_SUFFIX(sparse_forward_tile)(const float *x, ptrdiff_t inputs, int N, const int32_t *list, int32_t count,
                                    const float *w, ptrdiff_t units, const float *b, float *y, ptrdiff_t j, int wide,
                                    const float *tail_w, const float *tail_b) {
    if (wide) {
        KERNELS_SUFFIX(sparse_forward_block)(x, inputs, N, list, count, w, units, b, y, units, j, SF_VECTORS);
        return;
    }
    for (; j + LANES <= units; j += LANES)
        KERNELS_SUFFIX(sparse_forward_block)(x, inputs, N, list, count, w, units, b, y, units, j, 1);
    if (j == units) return;
    float edge[SF_ROWS * LANES];
    KERNELS_SUFFIX(sparse_forward_block)(x, inputs, N, list, count, tail_w, LANES, tail_b, edge, LANES, 0, 1);
    for (int i = 0; i < N; i++) memcpy(y + i * units + j, edge + i * LANES, (size_t)(units - j) * sizeof(float));
}

static void KERNELS_SUFFIX(sparse_forward)(ptrdiff_t inputs, ptrdiff_t units, ptrdiff_t r0, ptrdiff_t r1,
                                          const float *x, const float *w, const float *b, float *y) {
    const ptrdiff_t tiles = (r1 - r0 + SF_ROWS - 1) / SF_ROWS, rest = units % LANES, last = units - rest;
    int32_t *lists = (int32_t *)(void *)kernels_scratch(KERNELS_SCRATCH_A, (size_t)(tiles * (inputs + 1)));
    for (ptrdiff_t t = 0; t < tiles; t++) {
        const ptrdiff_t r = r0 + t * SF_ROWS, n = r1 - r < SF_ROWS ? r1 - r : SF_ROWS;
        int32_t *list = lists + t * (inputs + 1);
        list[0] = KERNELS_SUFFIX(sparse_union)(x + r * inputs, inputs, n, list + 1);
    }
    // The last columns short of a vector: their w and b zero-padded to one vector.
    float *tail_w = kernels_scratch(KERNELS_SCRATCH_B, (size_t)((inputs + 1) * LANES)), *tail_b = tail_w + inputs * LANES;
    if (rest) {
        memset(tail_w, 0, (size_t)((inputs + 1) * LANES) * sizeof(float));
        for (ptrdiff_t k = 0; k < inputs; k++) memcpy(tail_w + k * LANES, w + k * units + last, (size_t)rest * sizeof(float));
        memcpy(tail_b, b + last, (size_t)rest * sizeof(float));
    }
    // Wide blocks first, each over every tile; then each tile's remaining columns.
    const ptrdiff_t block = SF_VECTORS * LANES, wide = units / block * block;
    for (ptrdiff_t j = 0; j <= wide; j += block) {
        const int narrow = j == wide;
        if (narrow && j == units) break;
        for (ptrdiff_t t = 0; t < tiles; t++) {
            const ptrdiff_t r = r0 + t * SF_ROWS, n = r1 - r < SF_ROWS ? r1 - r : SF_ROWS;
            const int32_t *list = lists + t * (inputs + 1);
            const float *xt = x + r * inputs;
            float *yt = y + r * units;
            switch (n) {
            case SF_ROWS:
                KERNELS_SUFFIX(sparse_forward_tile)(xt, inputs, SF_ROWS, list + 1, list[0], w, units, b, yt, j, !narrow, tail_w, tail_b);
                break;
#if SF_ROWS > 3
            case 3: KERNELS_SUFFIX(sparse_forward_tile)(xt, inputs, 3, list + 1, list[0], w, units, b, yt, j, !narrow, tail_w, tail_b); break;
#endif
#if SF_ROWS > 2
            case 2: KERNELS_SUFFIX(sparse_forward_tile)(xt, inputs, 2, list + 1, list[0], w, units, b, yt, j, !narrow, tail_w, tail_b); break;
#endif
            default: KERNELS_SUFFIX(sparse_forward_tile)(xt, inputs, 1, list + 1, list[0], w, units, b, yt, j, !narrow, tail_w, tail_b); break;
            }
        }
    }
}
#undef SF_ROWS
#undef SF_VECTORS

#undef ivec

// ---------------------------------------------------------------------------------------------

static const kernels_table KERNELS_SUFFIX(table) = {
    .level = KERNELS_LEVEL,
    .name = KERNELS_LEVEL_NAME,
    .sgemm = KERNELS_SUFFIX(sgemm),
    .conv_rows_forward = KERNELS_SUFFIX(conv_rows_forward),
    .conv_rows_kernel_gradient = KERNELS_SUFFIX(conv_rows_kernel_gradient),
    .conv_rows_input_gradient = KERNELS_SUFFIX(conv_rows_input_gradient),
    .conv_one_forward = KERNELS_SUFFIX(conv_one_forward),
    .conv_one_kernel_gradient = KERNELS_SUFFIX(conv_one_kernel_gradient),
    .conv_filters_forward = KERNELS_SUFFIX(conv_filters_forward),
    .conv_filters_kernel_gradient = KERNELS_SUFFIX(conv_filters_kernel_gradient),
    .conv_filters_input_gradient = KERNELS_SUFFIX(conv_filters_input_gradient),
    .winograd_forward = KERNELS_SUFFIX(winograd_forward),
    .winograd_kernel_gradient = KERNELS_SUFFIX(winograd_kernel_gradient),
    .exp = KERNELS_SUFFIX(exp),
    .relu = KERNELS_SUFFIX(relu),
    .relu_mask = KERNELS_SUFFIX(relu_mask),
    .scale_add = KERNELS_SUFFIX(scale_add),
    .penalised_step = KERNELS_SUFFIX(penalised_step),
    .lane_sums = KERNELS_SUFFIX(lane_sums),
    .lane_sums_pair = KERNELS_SUFFIX(lane_sums_pair),
    .lane_centred_squares = KERNELS_SUFFIX(lane_centred_squares),
    .channel_affine = KERNELS_SUFFIX(channel_affine),
    .channel_affine_masked = KERNELS_SUFFIX(channel_affine_masked),
    .channel_normalize = KERNELS_SUFFIX(channel_normalize),
    .all_finite = KERNELS_SUFFIX(all_finite),
    .sparse_index_rows = KERNELS_SUFFIX(sparse_index_rows),
    .sparse_weight_gradient = KERNELS_SUFFIX(sparse_weight_gradient),
    .sparse_forward = KERNELS_SUFFIX(sparse_forward),
    .affine_taps = KERNELS_SUFFIX(affine_taps),
    .affine_resample = KERNELS_SUFFIX(affine_resample),
    .max_pool = KERNELS_SUFFIX(max_pool),
    .relu_mask_sums = KERNELS_SUFFIX(relu_mask_sums),
};

const kernels_table *KERNELS_SUFFIX(kernels)(void) { return &KERNELS_SUFFIX(table); }
