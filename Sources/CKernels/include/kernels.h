#ifndef MNIST_REPORT_KERNELS_H
#define MNIST_REPORT_KERNELS_H

#include <stddef.h>
#include <stdint.h>

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

/// The sizes of one convolution as its direct kernels see them (Swift's `ConvolutionGeometry`).
///
/// The kernels take one item at a time, copied by the caller into a zero-padded "frame" in which
/// every window lies whole: output (oy, ox) reads the values (ox · stride_x + dx) · channels + c
/// of frame rows oy · stride_y + dy, rows frame_row values apart. The kernel w is (kh, kw, C, F),
/// Keras's layout; all arrays are dense and row-major. Each kernel states the chain of operations
/// of every value it writes: it depends on these sizes only, never on the level.
typedef struct {
    ptrdiff_t kernel_height, kernel_width, channels, filters;
    ptrdiff_t stride_y, stride_x;
    ptrdiff_t output_height, output_width;
    /// Values from one frame row to the next.
    ptrdiff_t frame_row;
    /// Single-channel rows: the planar rows' length, output_width rounded up to a multiple of 16.
    ptrdiff_t planar_width;
    /// Filter vectors: the transposed kernel's row length, kernel_width · channels rounded up to
    /// a multiple of 16.
    ptrdiff_t padded_run;
} kernels_convolution;

// Single-channel rows: channels = 1, strides 1, output_width ≥ 16, frame_row the padded width.
// Output columns run along vectors. A planar gradient g is (F, oh, planar_width), zero from
// output_width to planar_width in every row.

/// Single-channel rows: one item's pre-activation output y (oh, ow, F).
///
/// y[oy, ox, f] ← bias[f], then y ← fma(frame[oy + dy][ox + dx], w[dy, dx, 0, f], y) for dy in
/// 0 ..< kh, then dx in 0 ..< kw. `planar` is scratch of F · planar_width values.
typedef void (*kernels_conv_rows_forward_fn)(kernels_convolution shape, const float *frame, const float *weights,
                                             const float *bias, float *planar, float *y);

/// Single-channel rows: adds one item's kernel gradient, column by column, to `sums`
/// (kh · kw, F, planar_width):
///
/// sums[dy · kw + dx, f, ox] ← fma(frame[oy + dy][ox + dx], g[f, oy, ox], sums) for oy in 0 ..< oh,
/// for every ox < planar_width (the frame must be followed by planar_width readable values). The
/// caller folds the columns ox < output_width onto the kernel, in order.
typedef void (*kernels_conv_rows_kernel_gradient_fn)(kernels_convolution shape, const float *frame,
                                                     const float *planar_gradient, float *sums);

/// Single-channel rows: adds one item's input gradient onto a gradient frame (zeroed by the
/// caller, which crops it onto the item; planar_width values follow its last row).
///
/// For oy in 0 ..< oh, then dy in 0 ..< kh, then dx in 0 ..< kw, every frame value
/// v = frame[oy + dy][dx + ox], ox in 0 ..< planar_width, is updated in turn as
/// v ← fma(g[f, oy, ox], w[dy, dx, 0, f], v) for f in 0 ..< F.
typedef void (*kernels_conv_rows_input_gradient_fn)(kernels_convolution shape, const float *planar_gradient,
                                                    const float *weights, float *frame);

// Single channel with filters in vectors: the same geometry as single-channel rows, F a multiple
// of 16 and ow at least 12; the output and its gradient channels-last, no planar rows.

/// One item's pre-activation output y (oh, ow, F), each value the chain conv_rows_forward states.
typedef void (*kernels_conv_one_forward_fn)(kernels_convolution shape, const float *frame, const float *weights,
                                            const float *bias, float *y);

/// Adds one item's kernel gradient, column by column, to `sums` (kh · kw, ow, F), from its output
/// gradient g (oh, ow, F):
///
/// sums[dy · kw + dx, ox, f] ← fma(frame[oy + dy][ox + dx], g[oy, ox, f], sums) for oy in 0 ..< oh:
/// conv_rows_kernel_gradient's chains for ox < ow, laid out by column. The caller folds the columns
/// onto the kernel, in order.
typedef void (*kernels_conv_one_kernel_gradient_fn)(kernels_convolution shape, const float *frame,
                                                    const float *gradient, float *sums);

// Filter vectors: F a multiple of 16, any channels and strides. x_{oy,ox,dy} is the window's run
// of kw · C values in frame row oy · stride_y + dy, from (ox · stride_x) · C on; k = dx · C + c.

/// Filter vectors: one item's pre-activation output y (oh, ow, F).
///
/// y[oy, ox, f] ← bias[f], then y ← fma(x_{oy,ox,dy}[k], w[dy, k, f], y) for dy in 0 ..< kh,
/// then k in 0 ..< kw · C.
typedef void (*kernels_conv_filters_forward_fn)(kernels_convolution shape, const float *frame, const float *weights,
                                                const float *bias, float *y);

/// Filter vectors: adds one item's kernel gradient to `dw`, in the kernel's layout, from its
/// output gradient g (oh, ow, F):
///
/// dw[dy, k, f] ← fma(x_{oy,ox,dy}[k], g[oy, ox, f], dw) for oy in 0 ..< oh, then ox in 0 ..< ow.
typedef void (*kernels_conv_filters_kernel_gradient_fn)(kernels_convolution shape, const float *frame,
                                                        const float *gradient, float *dw);

/// Filter vectors: adds one item's input gradient onto a gradient frame (zeroed by the caller,
/// which crops it onto the item; padded_run values follow its last row), from its output
/// gradient g (oh, ow, F) and the kernel transposed to t (kh, F, padded_run), zero past kw · C.
///
/// The output rows go in blocks of four from the top, the last block possibly shorter; within a
/// block, for ox in 0 ..< ow, then dy in 0 ..< kh, each block row oy's window run in frame row
/// oy · stride_y + dy, the values j in 0 ..< padded_run from its start, gets v ← v + s (its own
/// rounding). In a block of four, s ← 0, then s ← fma(g[oy, ox, f], t[dy, f, j], s) for f in
/// 0 ..< F. In a shorter last block, s = e + o, two such chains from 0, e over the even f and o
/// over the odd f. (Values j ≥ kw · C add zero; a frame value's additions come block by block,
/// then by ox, then by dy.)
typedef void (*kernels_conv_filters_input_gradient_fn)(kernels_convolution shape, const float *gradient,
                                                       const float *transposed, float *frame);

// Winograd F(4 × 4, 3 × 3): a 3 × 3 kernel at stride 1 with 'same' padding, C and F multiples of
// 16, any output height and width. The input is the item itself, oh rows of ow · C values
// (frame_row = ow · C), not a padded copy. Tile (ty, tx), ty < ⌈oh / 4⌉ and tx < ⌈ow / 4⌉, is the
// outputs (4ty + r, 4tx + q), r and q in 0 ..< 4, those inside the image stored, and reads the
// 6 × 6 pixels from row 4ty − 1, column 4tx − 1, with +0 for those outside the image (a border
// tile's go through a copy), t = ty · ⌈ow / 4⌉ + tx. The forward pass takes the tiles in groups
// of kernels_winograd_group, the kernel gradient a whole item at once; scratch holds 36 ·
// max(C, F) values for a border tile's pixels, then 36 · (C + F) values a tile of either. The
// 36 frequencies ξ = 6i + j, with fma(a, b, c) one rounding and every other operation its own,
// left to right:
//   Bᵀ on d0 … d5: a = fma(−4, d2, d4), b = fma(−4, d1, d3), c = d4 − d2, e = (d3 − d1) · 2;
//            t0 = fma(4, d0 − d2, c), t1 = a + b, t2 = a − b, t3 = c + e, t4 = c − e,
//            t5 = fma(4, d1 − d3, d5 − d3);
//   Aᵀ on m0 … m5: s12 = m1 + m2, d12 = m1 − m2, s34 = m3 + m4, d34 = m3 − m4;
//            y0 = (m0 + s12) + s34, y1 = fma(2, d34, d12), y2 = fma(4, s34, s12),
//            y3 = fma(8, d34, d12) + m5;
//   A on g0 … g3: p = g0 + g2, q = g1 + g3, r = fma(4, g2, g0), w = fma(4, g3, g1) · 2;
//            h = (g0, p + q, p − q, r + w, r − w, g3);
//   input:   Bᵀ down each column of the 6 × 6 pixels d, then along each row: v[ξ, c];
//   kernel:  u = G g Gᵀ, which the caller computes (Swift's WinogradConvolution), u[ξ, c, f];
//   output:  m[ξ, f] = 0, then fma(v[ξ, c], u[ξ, c, f], ·) for c in 0 ..< C; Aᵀ down each column
//            of m (6 × 6), then along each row of the 4 × 6 result, then + bias[f] when bias is
//            not NULL;
//   gradient of u: the output gradient's tile g (4 × 4, +0 outside the image) goes through A
//            down each column, then along each row of the 6 × 4 result: dm[ξ, f]; the sums
//            sums[ξ, c, f] ← fma(v[ξ, c], dm[ξ, f], sums) for the tiles in order, ty then tx.

/// Frequencies of a tile.
#define KERNELS_WINOGRAD_FREQUENCIES 36

/// Tiles of an item: ⌈oh / 4⌉ · ⌈ow / 4⌉.
static inline ptrdiff_t kernels_winograd_tiles(ptrdiff_t output_height, ptrdiff_t output_width) {
    return ((output_height + 3) / 4) * ((output_width + 3) / 4);
}

/// Tiles a forward group: one register block of 16, whatever the channels. The group changes no
/// bit, only what stays in cache; groups of 8, 32 and 48 tiles measured no faster on cnn16's
/// layers (a group of 16 already holds 36 · 32 · 16 values, more than the first-level cache).
static inline ptrdiff_t kernels_winograd_group(ptrdiff_t channels, ptrdiff_t filters) {
    (void)channels, (void)filters;
    return 16;
}

/// Scratch values either kernel needs for an item: a border tile's pixels, then the tiles of a
/// forward group or of the whole item, 36 · (C + F) values each.
static inline ptrdiff_t kernels_winograd_scratch(ptrdiff_t channels, ptrdiff_t filters, ptrdiff_t output_height,
                                                 ptrdiff_t output_width) {
    const ptrdiff_t item = kernels_winograd_tiles(output_height, output_width);
    const ptrdiff_t group = kernels_winograd_group(channels, filters);
    const ptrdiff_t tiles = item > group ? item : group;
    return KERNELS_WINOGRAD_FREQUENCIES * ((channels > filters ? channels : filters) + tiles * (channels + filters));
}

/// Winograd: one item's output y (oh, ow, F), from its input x (oh, ow, C) and the transformed
/// kernel u (36, C, F).
typedef void (*kernels_winograd_forward_fn)(kernels_convolution shape, const float *x, const float *u,
                                            const float *bias, float *scratch, float *y);

/// Winograd: adds one item's kernel gradient, in the frequencies (36, C, F), to `sums`, from its
/// input x (oh, ow, C) and its output gradient (oh, ow, F).
typedef void (*kernels_winograd_kernel_gradient_fn)(kernels_convolution shape, const float *x,
                                                    const float *gradient, float *scratch, float *sums);

/// x[i] ← e^x[i] for i in 0 ..< count, in place: Swift's `Elementary.exp(Float)` on many values
/// at once, the same IEEE double operations in the same order, so the same bits. For x in
/// [−104, 88.73]: n ← round(x / ln 2) (halves away from zero), r ← x − n · ln 2, then
/// t ← t · r / k and s ← s + t for k in 1 ... 18 from t = s = 1, then s · 2^(n / 2) · 2^(n − n / 2)
/// (n / 2 truncated), rounded to float. NaN stays NaN, larger x give +∞, smaller ones 0.
typedef void (*kernels_exp_fn)(float *x, ptrdiff_t count);

/// Element-wise loops, each value on its own (so any vector width gives the same bits):
/// x ← (x < 0 ? 0 : x); g ← (y ≤ 0 ? 0 : g); y ← y · scale + x · alpha (two roundings for the
/// products and one for the sum: no fused multiply-add).
typedef void (*kernels_relu_fn)(float *x, ptrdiff_t count);
typedef void (*kernels_relu_mask_fn)(const float *y, float *g, ptrdiff_t count);
typedef void (*kernels_scale_add_fn)(float *y, float scale, const float *x, float alpha, ptrdiff_t count);
/// SGD's step with an L2 penalty in one pass: t ← g + w · decay, then w ← w + t · rate, each
/// product and sum rounded (no fused multiply-add): scale_add(g, 1, w, decay) then
/// scale_add(w, 1, g, rate), bit for bit, without writing t back to g.
typedef void (*kernels_penalised_step_fn)(float *w, const float *g, float decay, float rate, ptrdiff_t count);

/// Batch normalisation's per-channel loops over channels-last values, `periods` whole periods of
/// `period` values (a multiple of 16), lane l holding channel l mod C; factors come laid out over
/// one period. Each lane's sum is its own chain from 0 in order of the periods (products and
/// differences rounded, then added: no fused multiply-add); element-wise results are rounded at
/// every operation, left to right. `b` and `x` may be NULL where marked. x̂ is never stored: the
/// kernels that need it compute n = (x − μ) · s from x, with the operations channel_normalize uses.
///   lane_sums:            lanes[l] = Σ a (· b, b may be NULL)
///   lane_sums_pair:       plain[l] = Σ a, products[l] = Σ a · n, n = (x − c[l]) · c[P + l], in one pass
///   lane_centred_squares: lanes[l] = Σ (x − mean[l])²
///   channel_affine:       out = a · f[l] + n · f[P + l] + f[2P + l], n = (x − f[3P + l]) · f[4P + l]
///                         (x may be NULL: no middle term)
///   channel_affine_masked: channel_affine with x, then out = +0 where x ≤ 0 (a ReLU's derivative,
///                         when x is a ReLU's output)
///   channel_normalize:    y = ((x − f[l]) · f[P + l]) · f[2P + l] + f[3P + l]
typedef void (*kernels_lane_sums_fn)(const float *a, const float *b, ptrdiff_t period, ptrdiff_t periods, float *lanes);
typedef void (*kernels_lane_sums_pair_fn)(const float *a, const float *x, const float *centre, ptrdiff_t period,
                                          ptrdiff_t periods, float *plain, float *products);
typedef void (*kernels_lane_centred_squares_fn)(const float *x, const float *mean, ptrdiff_t period, ptrdiff_t periods,
                                                float *lanes);
typedef void (*kernels_channel_affine_fn)(const float *a, const float *x, const float *factors, ptrdiff_t period,
                                          ptrdiff_t periods, float *out);
typedef void (*kernels_channel_normalize_fn)(const float *x, const float *factors, ptrdiff_t period, ptrdiff_t periods,
                                             float *y);

/// The kernel gradient xᵀ · dz of a Dense layer whose input x is mostly exact zeros: each element
/// the dense product's chain with the zero terms left out, and any element that ends as −0
/// recomputed along the whole chain, so that the result is the dense product's bit for bit when
/// the right factor is finite. x is rows × inputs; its non-zero values are listed by column
/// (`starts`: inputs + 1 values; column k's are items[starts[k] ..< starts[k + 1]], rows
/// increasing, with their values in `values`).
///   all_finite:             whether none of `count` values is infinite or NaN
///   sparse_index_rows:      the non-zero k of rows r0 ..< r1 of x: row r's are
///                           indices[r · inputs ..< r · inputs + counts[r]], increasing
///   sparse_weight_gradient: dw[k, j] (k in k0 ..< k1) = +0 then fma(x[b, k], dz[b, j], ·) over
///                           the items b of column k
typedef int (*kernels_all_finite_fn)(const float *x, ptrdiff_t count);
typedef void (*kernels_sparse_index_rows_fn)(const float *x, ptrdiff_t inputs, ptrdiff_t r0, ptrdiff_t r1,
                                             int32_t *counts, int32_t *indices);
/// The forward product of a Dense layer whose input is mostly exact zeros, rows r0 ..< r1:
/// y[r, j] = b[j], then fma(x[r, k], w[k, j], ·) in increasing k, leaving out k where x is zero
/// in every row of r's tile (a few rows, depending on the level); any element that ends as −0
/// is recomputed over every k. The dense product's bits when w is finite (0 · ∞ is NaN, which a
/// left-out term cannot produce), so the tile changes no bit. The kernel lists each tile's
/// inputs itself.
typedef void (*kernels_sparse_forward_fn)(ptrdiff_t inputs, ptrdiff_t units, ptrdiff_t r0, ptrdiff_t r1,
                                          const float *x, const float *w, const float *b, float *y);
typedef void (*kernels_sparse_weight_gradient_fn)(ptrdiff_t count, ptrdiff_t inputs, ptrdiff_t units, ptrdiff_t k0,
                                                  ptrdiff_t k1, const int32_t *starts, const int32_t *items,
                                                  const float *values, const float *x, const float *dz, float *dw);

/// sparse_index_rows's lists by column (the same for every level), with the values of x.
void kernels_sparse_transpose(ptrdiff_t rows, ptrdiff_t inputs, const int32_t *counts, const int32_t *indices,
                              const float *x, int32_t *column_starts, int32_t *items, float *values);

/// Bilinear resampling of one (height, width, channels) image through the affine map t = [a, b,
/// c, d, e, f] (Swift's `AffineResampling`), fill 0. An output pixel (x, y) samples
/// s = ((a · x + b · y) + c, (d · x + e · y) + f), each operation rounded; its four taps are the
/// pixels around s with weights (1 − fy)(1 − fx), (1 − fy) fx, fy (1 − fx), fy fx (f the
/// fractions of s past its floor), and a tap outside the image has index 0 and weight 0.
///   affine_taps:     indices[4p + k] and weights[4p + k] of every output pixel p
///   affine_resample: y[p, c] = ((w₀ x[p₀, c] + w₁ x[p₁, c]) + w₂ x[p₂, c]) + w₃ x[p₃, c],
///                    each product and sum rounded; `indices` and `weights` are scratch (4 · H · W
///                    each) for more than one channel
typedef void (*kernels_affine_taps_fn)(const float *t, ptrdiff_t height, ptrdiff_t width, int32_t *indices,
                                       float *weights);
typedef void (*kernels_affine_resample_fn)(const float *t, ptrdiff_t height, ptrdiff_t width, ptrdiff_t channels,
                                           const float *x, float *y, int32_t *indices, float *weights);

/// Max pooling of one channels-last item: each window of pool × pool values moved by `stride`
/// gives, per channel, its largest value and that value's offset from the item's start; the
/// first in row-major order wins among equals (a later one must be strictly larger).
typedef void (*kernels_max_pool_fn)(const float *x, ptrdiff_t width, ptrdiff_t channels, ptrdiff_t pool,
                                    ptrdiff_t stride, ptrdiff_t out_height, ptrdiff_t out_width, float *y,
                                    int32_t *chosen);

/// out ← (y ≤ 0 ? 0 : g) and lanes[l] ← Σ out[p · period + l] over p in 0 ..< periods, in order,
/// from 0: relu_mask into `out` and lane_sums of the result, in one pass (period a multiple of 16,
/// at most 256).
typedef void (*kernels_relu_mask_sums_fn)(const float *y, const float *g, float *out, ptrdiff_t period,
                                          ptrdiff_t periods, float *lanes);

/// One level's kernels.
typedef struct {
    kernels_level level;
    const char *name;
    kernels_sgemm_fn sgemm;
    /// The convolution of one input channel along output rows (Swift's SingleChannelRowsConvolution).
    kernels_conv_rows_forward_fn conv_rows_forward;
    kernels_conv_rows_kernel_gradient_fn conv_rows_kernel_gradient;
    kernels_conv_rows_input_gradient_fn conv_rows_input_gradient;
    kernels_conv_one_forward_fn conv_one_forward;
    kernels_conv_one_kernel_gradient_fn conv_one_kernel_gradient;
    /// The convolution of filters in groups of 16 (Swift's FilterVectorsConvolution).
    kernels_conv_filters_forward_fn conv_filters_forward;
    kernels_conv_filters_kernel_gradient_fn conv_filters_kernel_gradient;
    kernels_conv_filters_input_gradient_fn conv_filters_input_gradient;
    /// Winograd's F(4 × 4, 3 × 3) (Swift's WinogradConvolution).
    kernels_winograd_forward_fn winograd_forward;
    kernels_winograd_kernel_gradient_fn winograd_kernel_gradient;
    kernels_exp_fn exp;
    kernels_relu_fn relu;
    kernels_relu_mask_fn relu_mask;
    kernels_scale_add_fn scale_add;
    kernels_penalised_step_fn penalised_step;
    kernels_lane_sums_fn lane_sums;
    kernels_lane_sums_pair_fn lane_sums_pair;
    kernels_lane_centred_squares_fn lane_centred_squares;
    kernels_channel_affine_fn channel_affine;
    kernels_channel_affine_fn channel_affine_masked;
    kernels_channel_normalize_fn channel_normalize;
    kernels_all_finite_fn all_finite;
    kernels_sparse_index_rows_fn sparse_index_rows;
    kernels_sparse_weight_gradient_fn sparse_weight_gradient;
    kernels_sparse_forward_fn sparse_forward;
    kernels_affine_taps_fn affine_taps;
    kernels_affine_resample_fn affine_resample;
    kernels_max_pool_fn max_pool;
    kernels_relu_mask_sums_fn relu_mask_sums;
} kernels_table;

/// The kernels of `level` (which the caller has checked is supported).
const kernels_table *kernels_for(kernels_level level);

#endif
