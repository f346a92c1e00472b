// The direct convolutions (Swift's SingleChannelRowsConvolution and FilterVectorsConvolution),
// included by kernels_body.h, so once per level, with its vec, LANES, load, store and fmav.
//
// Every output and gradient value is computed by operations in an order that kernels.h states
// and that depends on the geometry only. The blocks below group values that are independent of
// one another (output columns, filters, positions, taps, rows), so that one load serves several
// fused multiply-adds; their sizes are chosen per level (by LANES, hence by the registers the
// level has) and change no bit. The one block that is part of a definition, the four output rows
// of the filter-vectors input gradient, is the same at every level.

#define splat(x) ((vec)(x))
/// A block function: inlined at each call, its block sizes constants there, its sums in registers.
#define BLOCK inline __attribute__((always_inline))

/// Vectors per group of 16 filters (the filter-vectors convolution's unit).
#define FV (16 / LANES)

#if LANES == 16
// AVX-512: 32 registers.
#define ROWS_VECTORS 2      /* rows forward: vectors along an output row ... */
#define ROWS_FILTERS 6      /* ... × filters: 12 sums */
#define ROWS_TAPS 4         /* rows kernel gradient: neighbouring taps ... */
#define ROWS_GFILTERS 6     /* ... × filters: 24 sums */
#define FILTERS_ROWS 2      /* filters forward: output rows ... */
#define FILTERS_POSITIONS 5 /* ... × positions × FV vectors: 10 sums */
#define FILTERS_RUN 12      /* filters kernel gradient: (tap, channel) values × FV vectors: 12 sums */
#define FILTERS_GVECTORS 2  /* filters input gradient: 4 output rows × vectors of the run: 8 sums */
#define ONE_COLUMNS 12      /* single channel, filters in vectors, forward: columns × FV vectors: 12 sums */
#define ONE_GCOLUMNS 7      /* ... kernel gradient: 3 taps × columns × FV vectors: 21 sums */
#elif LANES == 8
// AVX2: 16 registers.
#define ROWS_VECTORS 2
#define ROWS_FILTERS 6
#define ROWS_TAPS 4
#define ROWS_GFILTERS 3
#define FILTERS_ROWS 1
#define FILTERS_POSITIONS 5
#define FILTERS_RUN 6
#define FILTERS_GVECTORS 2
#define ONE_COLUMNS 6
#define ONE_GCOLUMNS 2
#else
// Baseline: 16 registers and, on x86-64, every fused multiply-add a call that needs them saved.
#define ROWS_VECTORS 2
#define ROWS_FILTERS 3
#define ROWS_TAPS 2
#define ROWS_GFILTERS 3
#define FILTERS_ROWS 1
#define FILTERS_POSITIONS 2
#define FILTERS_RUN 2
#define FILTERS_GVECTORS 2
#define ONE_COLUMNS 2
#define ONE_GCOLUMNS 1
#endif

// ---------------------------------------------------------------------------------------------
// Single-channel rows: vectors along an output row, several filters per loaded input vector.

/// Output row `oy` at the `V` vector starts `at`, for the filters f0 ..< f0 + G, into the planar rows.
static BLOCK void KERNELS_SUFFIX(rows_forward_block)(const kernels_convolution *s, const float *frame,
                                                              const float *w, const float *bias, ptrdiff_t oy,
                                                              const ptrdiff_t *at, int V, ptrdiff_t f0, int G,
                                                              float *planar) {
    const ptrdiff_t f = s->filters, kh = s->kernel_height, kw = s->kernel_width, pw = s->frame_row;
    vec acc[ROWS_FILTERS][ROWS_VECTORS];
#pragma clang loop unroll(full)
    for (int g = 0; g < G; g++)
#pragma clang loop unroll(full)
        for (int v = 0; v < V; v++) acc[g][v] = splat(bias[f0 + g]);
    for (ptrdiff_t dy = 0; dy < kh; dy++) {
        const float *row = frame + (oy + dy) * pw;
        for (ptrdiff_t dx = 0; dx < kw; dx++) {
            vec x[ROWS_VECTORS];
#pragma clang loop unroll(full)
            for (int v = 0; v < V; v++) x[v] = load(row + dx + at[v]);
            const float *q = w + (dy * kw + dx) * f + f0;
#pragma clang loop unroll(full)
            for (int g = 0; g < G; g++) {
                vec b = splat(q[g]);
#pragma clang loop unroll(full)
                for (int v = 0; v < V; v++) acc[g][v] = fmav(x[v], b, acc[g][v]);
            }
        }
    }
    // Where two vectors overlap (the last one ends at the row's end), their lanes are equal.
#pragma clang loop unroll(full)
    for (int g = 0; g < G; g++)
#pragma clang loop unroll(full)
        for (int v = 0; v < V; v++) store(planar + (f0 + g) * s->planar_width + at[v], acc[g][v]);
}

static void KERNELS_SUFFIX(conv_rows_forward)(kernels_convolution shape, const float *frame, const float *w,
                                             const float *bias, float *planar, float *y) {
    const kernels_convolution *s = &shape;
    const ptrdiff_t f = s->filters, ow = s->output_width, pw = s->planar_width;
    const ptrdiff_t vectors = (ow + LANES - 1) / LANES;
    for (ptrdiff_t oy = 0; oy < s->output_height; oy++) {
        for (ptrdiff_t i = 0; i < vectors; i += ROWS_VECTORS) {
            // A block past the row's last vector repeats it rather than needing a kernel of its own.
            ptrdiff_t at[ROWS_VECTORS];
            for (int v = 0; v < ROWS_VECTORS; v++) {
                ptrdiff_t c = (i + v < vectors ? i + v : vectors - 1) * LANES;
                at[v] = c + LANES > ow ? ow - LANES : c;
            }
            ptrdiff_t f0 = 0;
            for (; f0 + ROWS_FILTERS <= f; f0 += ROWS_FILTERS)
                KERNELS_SUFFIX(rows_forward_block)(s, frame, w, bias, oy, at, ROWS_VECTORS, f0, ROWS_FILTERS, planar);
            for (; f0 < f; f0++) KERNELS_SUFFIX(rows_forward_block)(s, frame, w, bias, oy, at, ROWS_VECTORS, f0, 1, planar);
        }
        // Planar rows → the channels-last output row.
        float *out = y + oy * ow * f;
        for (ptrdiff_t ox = 0; ox < ow; ox++)
            for (ptrdiff_t filter = 0; filter < f; filter++) out[ox * f + filter] = planar[filter * pw + ox];
    }
}

/// The lane sums of the taps (dy, dx ..< dx + T) and filters f0 ..< f0 + F, columns c ..< c + LANES.
static BLOCK void KERNELS_SUFFIX(rows_gradient_block)(const kernels_convolution *s, const float *frame,
                                                               const float *dz, float *sums, ptrdiff_t dy,
                                                               ptrdiff_t dx, int T, ptrdiff_t f0, int F, ptrdiff_t c) {
    const ptrdiff_t f = s->filters, oh = s->output_height, kw = s->kernel_width, pw = s->frame_row;
    const ptrdiff_t width = s->planar_width, gs = oh * width, tap = f * width;
    float *base = sums + ((dy * kw + dx) * f + f0) * width + c;
    const float *g = dz + f0 * gs + c;
    vec acc[ROWS_TAPS][ROWS_GFILTERS];
#pragma clang loop unroll(full)
    for (int t = 0; t < T; t++)
#pragma clang loop unroll(full)
        for (int i = 0; i < F; i++) acc[t][i] = load(base + t * tap + i * width);
    for (ptrdiff_t oy = 0; oy < oh; oy++) {
        vec gv[ROWS_GFILTERS];
#pragma clang loop unroll(full)
        for (int i = 0; i < F; i++) gv[i] = load(g + i * gs + oy * width);
        const float *row = frame + (oy + dy) * pw + dx + c;
#pragma clang loop unroll(full)
        for (int t = 0; t < T; t++) {
            vec v = load(row + t);
#pragma clang loop unroll(full)
            for (int i = 0; i < F; i++) acc[t][i] = fmav(v, gv[i], acc[t][i]);
        }
    }
#pragma clang loop unroll(full)
    for (int t = 0; t < T; t++)
#pragma clang loop unroll(full)
        for (int i = 0; i < F; i++) store(base + t * tap + i * width, acc[t][i]);
}

/// The filters of one tap block, at every vector of the planar width.
static BLOCK void KERNELS_SUFFIX(rows_gradient_taps)(const kernels_convolution *s, const float *frame,
                                                              const float *dz, float *sums, ptrdiff_t dy,
                                                              ptrdiff_t dx, int T) {
    const ptrdiff_t f = s->filters;
    for (ptrdiff_t c = 0; c < s->planar_width; c += LANES) {
        ptrdiff_t f0 = 0;
        for (; f0 + ROWS_GFILTERS <= f; f0 += ROWS_GFILTERS)
            KERNELS_SUFFIX(rows_gradient_block)(s, frame, dz, sums, dy, dx, T, f0, ROWS_GFILTERS, c);
        for (; f0 < f; f0++) KERNELS_SUFFIX(rows_gradient_block)(s, frame, dz, sums, dy, dx, T, f0, 1, c);
    }
}

static void KERNELS_SUFFIX(conv_rows_kernel_gradient)(kernels_convolution shape, const float *frame,
                                                     const float *dz, float *sums) {
    const kernels_convolution *s = &shape;
    for (ptrdiff_t dy = 0; dy < s->kernel_height; dy++) {
        ptrdiff_t dx = 0;
        for (; dx + ROWS_TAPS <= s->kernel_width; dx += ROWS_TAPS)
            KERNELS_SUFFIX(rows_gradient_taps)(s, frame, dz, sums, dy, dx, ROWS_TAPS);
        for (; dx < s->kernel_width; dx++) KERNELS_SUFFIX(rows_gradient_taps)(s, frame, dz, sums, dy, dx, 1);
    }
}

static void KERNELS_SUFFIX(conv_rows_input_gradient)(kernels_convolution shape, const float *dz, const float *w,
                                                    float *frame) {
    const kernels_convolution *s = &shape;
    const ptrdiff_t f = s->filters, oh = s->output_height, kw = s->kernel_width, pw = s->frame_row;
    const ptrdiff_t width = s->planar_width;
    // The order of the read-modify-writes is the definition: a frame value is touched by several
    // (oy, dy, dx), one after the other. Lanes beyond a row's end carry zero gradients.
    for (ptrdiff_t oy = 0; oy < oh; oy++) {
        for (ptrdiff_t dy = 0; dy < s->kernel_height; dy++) {
            for (ptrdiff_t dx = 0; dx < kw; dx++) {
                const float *q = w + (dy * kw + dx) * f;
                float *target = frame + (oy + dy) * pw + dx;
                for (ptrdiff_t c = 0; c < width; c += LANES) {
                    vec sum = load(target + c);
                    const float *g = dz + oy * width + c;
                    for (ptrdiff_t filter = 0; filter < f; filter++)
                        sum = fmav(load(g + filter * oh * width), splat(q[filter]), sum);
                    store(target + c, sum);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Single channel, filters in vectors (F a multiple of 16): the same chains as the rows kernels
// above, the other way round: 16 filters of one output column in FV vectors, each frame value
// broadcast, so that the output and its gradient are read and written channels-last, with no
// planar copy.

/// Output row oy, columns ox ..< ox + B, filters chunk ..< chunk + 16.
static BLOCK void KERNELS_SUFFIX(one_forward_block)(const kernels_convolution *s, const float *frame,
                                                             const float *w, const float *bias, float *y,
                                                             ptrdiff_t oy, ptrdiff_t ox, int B, ptrdiff_t chunk) {
    const ptrdiff_t f = s->filters, kw = s->kernel_width, pw = s->frame_row;
    vec acc[ONE_COLUMNS][FV];
#pragma clang loop unroll(full)
    for (int b = 0; b < B; b++)
#pragma clang loop unroll(full)
        for (int v = 0; v < FV; v++) acc[b][v] = load(bias + chunk + v * LANES);
    for (ptrdiff_t dy = 0; dy < s->kernel_height; dy++) {
        const float *row = frame + (oy + dy) * pw + ox;
        for (ptrdiff_t dx = 0; dx < kw; dx++) {
            const float *q = w + (dy * kw + dx) * f + chunk;
            vec wv[FV];
#pragma clang loop unroll(full)
            for (int v = 0; v < FV; v++) wv[v] = load(q + v * LANES);
#pragma clang loop unroll(full)
            for (int b = 0; b < B; b++) {
                const vec x = splat(row[dx + b]);
#pragma clang loop unroll(full)
                for (int v = 0; v < FV; v++) acc[b][v] = fmav(x, wv[v], acc[b][v]);
            }
        }
    }
    float *out = y + (oy * s->output_width + ox) * f + chunk;
#pragma clang loop unroll(full)
    for (int b = 0; b < B; b++)
#pragma clang loop unroll(full)
        for (int v = 0; v < FV; v++) store(out + b * f + v * LANES, acc[b][v]);
}

static void KERNELS_SUFFIX(conv_one_forward)(kernels_convolution shape, const float *frame, const float *w,
                                            const float *bias, float *y) {
    const kernels_convolution *s = &shape;
    const ptrdiff_t ow = s->output_width;
    for (ptrdiff_t oy = 0; oy < s->output_height; oy++)
        for (ptrdiff_t chunk = 0; chunk < s->filters; chunk += 16)
            for (ptrdiff_t ox = 0; ox < ow; ox += ONE_COLUMNS) {
                // The last block ends at the row's end, overlapping the one before: the columns
                // both compute get the same values twice.
                const ptrdiff_t at = ox + ONE_COLUMNS > ow ? ow - ONE_COLUMNS : ox;
                KERNELS_SUFFIX(one_forward_block)(s, frame, w, bias, y, oy, at, ONE_COLUMNS, chunk);
            }
}

/// The taps (dy, dx ..< dx + T), columns ox ..< ox + B, filters chunk ..< chunk + 16: their sums
/// (in `sums`, (kh · kw, ow, F)) carried on over the item's output rows.
static BLOCK void KERNELS_SUFFIX(one_gradient_block)(const kernels_convolution *s, const float *frame,
                                                              const float *g, float *sums, ptrdiff_t dy,
                                                              ptrdiff_t dx, int T, ptrdiff_t ox, int B,
                                                              ptrdiff_t chunk) {
    const ptrdiff_t f = s->filters, ow = s->output_width, kw = s->kernel_width, pw = s->frame_row;
    vec acc[3][ONE_GCOLUMNS][FV];
    float *base = sums + ((dy * kw + dx) * ow + ox) * f + chunk;
#pragma clang loop unroll(full)
    for (int t = 0; t < T; t++)
#pragma clang loop unroll(full)
        for (int b = 0; b < B; b++)
#pragma clang loop unroll(full)
            for (int v = 0; v < FV; v++) acc[t][b][v] = load(base + (t * ow + b) * f + v * LANES);
    for (ptrdiff_t oy = 0; oy < s->output_height; oy++) {
        vec gv[ONE_GCOLUMNS][FV];
        const float *gr = g + (oy * ow + ox) * f + chunk;
#pragma clang loop unroll(full)
        for (int b = 0; b < B; b++)
#pragma clang loop unroll(full)
            for (int v = 0; v < FV; v++) gv[b][v] = load(gr + b * f + v * LANES);
        const float *row = frame + (oy + dy) * pw + ox + dx;
#pragma clang loop unroll(full)
        for (int t = 0; t < T; t++)
#pragma clang loop unroll(full)
            for (int b = 0; b < B; b++) {
                const vec x = splat(row[t + b]);
#pragma clang loop unroll(full)
                for (int v = 0; v < FV; v++) acc[t][b][v] = fmav(x, gv[b][v], acc[t][b][v]);
            }
    }
#pragma clang loop unroll(full)
    for (int t = 0; t < T; t++)
#pragma clang loop unroll(full)
        for (int b = 0; b < B; b++)
#pragma clang loop unroll(full)
            for (int v = 0; v < FV; v++) store(base + (t * ow + b) * f + v * LANES, acc[t][b][v]);
}

/// Every column block of one tap block (T taps from dx).
static BLOCK void KERNELS_SUFFIX(one_gradient_taps)(const kernels_convolution *s, const float *frame,
                                                             const float *g, float *sums, ptrdiff_t dy,
                                                             ptrdiff_t dx, int T) {
    for (ptrdiff_t chunk = 0; chunk < s->filters; chunk += 16) {
        ptrdiff_t ox = 0;
        for (; ox + ONE_GCOLUMNS <= s->output_width; ox += ONE_GCOLUMNS)
            KERNELS_SUFFIX(one_gradient_block)(s, frame, g, sums, dy, dx, T, ox, ONE_GCOLUMNS, chunk);
        for (; ox < s->output_width; ox++) KERNELS_SUFFIX(one_gradient_block)(s, frame, g, sums, dy, dx, T, ox, 1, chunk);
    }
}

static void KERNELS_SUFFIX(conv_one_kernel_gradient)(kernels_convolution shape, const float *frame, const float *g,
                                                    float *sums) {
    const kernels_convolution *s = &shape;
    for (ptrdiff_t dy = 0; dy < s->kernel_height; dy++) {
        ptrdiff_t dx = 0;
        for (; dx + 3 <= s->kernel_width; dx += 3) KERNELS_SUFFIX(one_gradient_taps)(s, frame, g, sums, dy, dx, 3);
        for (; dx < s->kernel_width; dx++) KERNELS_SUFFIX(one_gradient_taps)(s, frame, g, sums, dy, dx, 1);
    }
}

// ---------------------------------------------------------------------------------------------
// Filter vectors: 16 filters of one output position in FV vectors, each input value broadcast.

/// The outputs of rows oy ..< oy + R, positions ox ..< ox + P, filters chunk ..< chunk + 16.
static BLOCK void KERNELS_SUFFIX(filters_forward_block)(const kernels_convolution *s, const float *frame,
                                                                 const float *w, const float *bias, float *y,
                                                                 ptrdiff_t oy, int R, ptrdiff_t ox, int P,
                                                                 ptrdiff_t chunk) {
    const ptrdiff_t f = s->filters, run = s->kernel_width * s->channels, ow = s->output_width;
    const ptrdiff_t step = s->stride_x * s->channels, down = s->stride_y * s->frame_row;
    vec acc[FILTERS_ROWS][FILTERS_POSITIONS][FV];
#pragma clang loop unroll(full)
    for (int v = 0; v < FV; v++) {
        vec b = load(bias + chunk + v * LANES);
#pragma clang loop unroll(full)
        for (int r = 0; r < R; r++)
#pragma clang loop unroll(full)
            for (int p = 0; p < P; p++) acc[r][p][v] = b;
    }
    for (ptrdiff_t dy = 0; dy < s->kernel_height; dy++) {
        const float *x = frame + (oy * s->stride_y + dy) * s->frame_row + ox * step;
        const float *wr = w + dy * run * f + chunk;
        for (ptrdiff_t k = 0; k < run; k++) {
            vec wv[FV];
#pragma clang loop unroll(full)
            for (int v = 0; v < FV; v++) wv[v] = load(wr + k * f + v * LANES);
#pragma clang loop unroll(full)
            for (int r = 0; r < R; r++)
#pragma clang loop unroll(full)
                for (int p = 0; p < P; p++) {
                    vec b = splat(x[r * down + p * step + k]);
#pragma clang loop unroll(full)
                    for (int v = 0; v < FV; v++) acc[r][p][v] = fmav(b, wv[v], acc[r][p][v]);
                }
        }
    }
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++)
#pragma clang loop unroll(full)
        for (int p = 0; p < P; p++)
#pragma clang loop unroll(full)
            for (int v = 0; v < FV; v++) store(y + ((oy + r) * ow + ox + p) * f + chunk + v * LANES, acc[r][p][v]);
}

/// Rows oy ..< oy + R, every position, one chunk of filters.
static BLOCK void KERNELS_SUFFIX(filters_forward_rows)(const kernels_convolution *s, const float *frame,
                                                                const float *w, const float *bias, float *y,
                                                                ptrdiff_t oy, int R, ptrdiff_t chunk) {
    ptrdiff_t ox = 0;
    for (; ox + FILTERS_POSITIONS <= s->output_width; ox += FILTERS_POSITIONS)
        KERNELS_SUFFIX(filters_forward_block)(s, frame, w, bias, y, oy, R, ox, FILTERS_POSITIONS, chunk);
    for (; ox < s->output_width; ox++) KERNELS_SUFFIX(filters_forward_block)(s, frame, w, bias, y, oy, R, ox, 1, chunk);
}

static void KERNELS_SUFFIX(conv_filters_forward)(kernels_convolution shape, const float *frame, const float *w,
                                                const float *bias, float *y) {
    const kernels_convolution *s = &shape;
    for (ptrdiff_t chunk = 0; chunk < s->filters; chunk += 16) {
        ptrdiff_t oy = 0;
        for (; oy + FILTERS_ROWS <= s->output_height; oy += FILTERS_ROWS)
            KERNELS_SUFFIX(filters_forward_rows)(s, frame, w, bias, y, oy, FILTERS_ROWS, chunk);
        for (; oy < s->output_height; oy++) KERNELS_SUFFIX(filters_forward_rows)(s, frame, w, bias, y, oy, 1, chunk);
    }
}

/// The kernel-gradient values (dy, k ..< k + K) of one chunk of filters, over every position.
static BLOCK void KERNELS_SUFFIX(filters_gradient_block)(const kernels_convolution *s, const float *frame,
                                                                  const float *dz, float *dw, ptrdiff_t dy,
                                                                  ptrdiff_t k, int K, ptrdiff_t chunk) {
    const ptrdiff_t f = s->filters, run = s->kernel_width * s->channels;
    const ptrdiff_t oh = s->output_height, ow = s->output_width, step = s->stride_x * s->channels;
    float *base = dw + (dy * run + k) * f + chunk;
    vec acc[FILTERS_RUN][FV];
#pragma clang loop unroll(full)
    for (int i = 0; i < K; i++)
#pragma clang loop unroll(full)
        for (int v = 0; v < FV; v++) acc[i][v] = load(base + i * f + v * LANES);
    for (ptrdiff_t oy = 0; oy < oh; oy++) {
        const float *x = frame + (oy * s->stride_y + dy) * s->frame_row + k;
        const float *g = dz + oy * ow * f + chunk;
        for (ptrdiff_t ox = 0; ox < ow; ox++) {
            vec gv[FV];
#pragma clang loop unroll(full)
            for (int v = 0; v < FV; v++) gv[v] = load(g + v * LANES);
#pragma clang loop unroll(full)
            for (int i = 0; i < K; i++) {
                vec b = splat(x[i]);
#pragma clang loop unroll(full)
                for (int v = 0; v < FV; v++) acc[i][v] = fmav(b, gv[v], acc[i][v]);
            }
            x += step;
            g += f;
        }
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < K; i++)
#pragma clang loop unroll(full)
        for (int v = 0; v < FV; v++) store(base + i * f + v * LANES, acc[i][v]);
}

static void KERNELS_SUFFIX(conv_filters_kernel_gradient)(kernels_convolution shape, const float *frame,
                                                        const float *dz, float *dw) {
    const kernels_convolution *s = &shape;
    const ptrdiff_t run = s->kernel_width * s->channels;
    for (ptrdiff_t chunk = 0; chunk < s->filters; chunk += 16) {
        for (ptrdiff_t dy = 0; dy < s->kernel_height; dy++) {
            ptrdiff_t k = 0;
            for (; k + FILTERS_RUN <= run; k += FILTERS_RUN)
                KERNELS_SUFFIX(filters_gradient_block)(s, frame, dz, dw, dy, k, FILTERS_RUN, chunk);
#if FILTERS_RUN >= 4
            for (; k + FILTERS_RUN / 2 <= run; k += FILTERS_RUN / 2)
                KERNELS_SUFFIX(filters_gradient_block)(s, frame, dz, dw, dy, k, FILTERS_RUN / 2, chunk);
#endif
            for (; k < run; k++) KERNELS_SUFFIX(filters_gradient_block)(s, frame, dz, dw, dy, k, 1, chunk);
        }
    }
}

/// The contribution of kernel row dy at position ox of the four output rows oy ..< oy + 4 to
/// the run's vectors j ..< j + J · LANES: 4 · J sums, each one chain over the filters, then each
/// added onto the frame.
static BLOCK void KERNELS_SUFFIX(filters_input_block)(const kernels_convolution *s, const float *dz,
                                                       const float *t, float *frame, ptrdiff_t dy,
                                                       ptrdiff_t oy, ptrdiff_t ox, ptrdiff_t j, int J) {
    const ptrdiff_t f = s->filters, padded = s->padded_run, ow = s->output_width;
    const ptrdiff_t gs = ow * f, rows = s->stride_y * s->frame_row;
    const float *g = dz + (oy * ow + ox) * f;
    const float *tr = t + dy * f * padded + j;
    float *target = frame + (oy * s->stride_y + dy) * s->frame_row + ox * s->stride_x * s->channels + j;
    vec acc[4][FILTERS_GVECTORS];
#pragma clang loop unroll(full)
    for (int r = 0; r < 4; r++)
#pragma clang loop unroll(full)
        for (int u = 0; u < J; u++) acc[r][u] = splat(0.0f);
    for (ptrdiff_t filter = 0; filter < f; filter++) {
        vec wv[FILTERS_GVECTORS];
#pragma clang loop unroll(full)
        for (int u = 0; u < J; u++) wv[u] = load(tr + filter * padded + u * LANES);
#pragma clang loop unroll(full)
        for (int r = 0; r < 4; r++) {
            vec b = splat(g[r * gs + filter]);
#pragma clang loop unroll(full)
            for (int u = 0; u < J; u++) acc[r][u] = fmav(b, wv[u], acc[r][u]);
        }
    }
    // Four different frame rows: the read-add-writes of one block never overlap one another.
#pragma clang loop unroll(full)
    for (int r = 0; r < 4; r++)
#pragma clang loop unroll(full)
        for (int u = 0; u < J; u++) {
            float *at = target + r * rows + u * LANES;
            store(at, load(at) + acc[r][u]);
        }
}

/// The same for the R < 4 rows of the last block, one vector of the run: each row's sum is
/// two chains, over the even and over the odd filters, added together (a lone row would
/// otherwise wait on one chain of F dependent fused multiply-adds).
static BLOCK void KERNELS_SUFFIX(filters_input_tail)(const kernels_convolution *s, const float *dz,
                                                      const float *t, float *frame, ptrdiff_t dy,
                                                      ptrdiff_t oy, int R, ptrdiff_t ox, ptrdiff_t j) {
    const ptrdiff_t f = s->filters, padded = s->padded_run, ow = s->output_width;
    const ptrdiff_t gs = ow * f, rows = s->stride_y * s->frame_row;
    const float *g = dz + (oy * ow + ox) * f;
    const float *tr = t + dy * f * padded + j;
    float *target = frame + (oy * s->stride_y + dy) * s->frame_row + ox * s->stride_x * s->channels + j;
    vec even[3], odd[3];
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) even[r] = odd[r] = splat(0.0f);
    for (ptrdiff_t filter = 0; filter < f; filter += 2) {
        vec w0 = load(tr + filter * padded), w1 = load(tr + (filter + 1) * padded);
#pragma clang loop unroll(full)
        for (int r = 0; r < R; r++) {
            even[r] = fmav(splat(g[r * gs + filter]), w0, even[r]);
            odd[r] = fmav(splat(g[r * gs + filter + 1]), w1, odd[r]);
        }
    }
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
        float *at = target + r * rows;
        store(at, load(at) + (even[r] + odd[r]));
    }
}

/// Output rows oy ..< oy + R of one row block, every position, every kernel row, the whole run.
static BLOCK void KERNELS_SUFFIX(filters_input_rows)(const kernels_convolution *s, const float *dz,
                                                      const float *t, float *frame, ptrdiff_t oy, int R) {
    const ptrdiff_t padded = s->padded_run;
    for (ptrdiff_t ox = 0; ox < s->output_width; ox++) {
        for (ptrdiff_t dy = 0; dy < s->kernel_height; dy++) {
            if (R == 4) {
                ptrdiff_t j = 0;
                for (; j + FILTERS_GVECTORS * LANES <= padded; j += FILTERS_GVECTORS * LANES)
                    KERNELS_SUFFIX(filters_input_block)(s, dz, t, frame, dy, oy, ox, j, FILTERS_GVECTORS);
                for (; j < padded; j += LANES) KERNELS_SUFFIX(filters_input_block)(s, dz, t, frame, dy, oy, ox, j, 1);
            } else {
                for (ptrdiff_t j = 0; j < padded; j += LANES)
                    KERNELS_SUFFIX(filters_input_tail)(s, dz, t, frame, dy, oy, R, ox, j);
            }
        }
    }
}

static void KERNELS_SUFFIX(conv_filters_input_gradient)(kernels_convolution shape, const float *dz, const float *t,
                                                       float *frame) {
    const kernels_convolution *s = &shape;
    // The row blocks of four are the definition (a frame value gets its additions block by
    // block, then by ox, then by dy); within a block the rows and the run's vectors are
    // independent.
    ptrdiff_t oy = 0;
    for (; oy + 4 <= s->output_height; oy += 4) KERNELS_SUFFIX(filters_input_rows)(s, dz, t, frame, oy, 4);
    switch (s->output_height - oy) {
    case 3: KERNELS_SUFFIX(filters_input_rows)(s, dz, t, frame, oy, 3); break;
    case 2: KERNELS_SUFFIX(filters_input_rows)(s, dz, t, frame, oy, 2); break;
    case 1: KERNELS_SUFFIX(filters_input_rows)(s, dz, t, frame, oy, 1); break;
    default: break;
    }
}

#undef splat
#undef BLOCK
#undef FV
#undef ROWS_VECTORS
#undef ROWS_FILTERS
#undef ROWS_TAPS
#undef ROWS_GFILTERS
#undef ONE_COLUMNS
#undef ONE_GCOLUMNS
#undef FILTERS_ROWS
#undef FILTERS_POSITIONS
#undef FILTERS_RUN
#undef FILTERS_GVECTORS
