// Winograd's F(4 × 4, 3 × 3) convolution (Swift's WinogradConvolution), included by
// kernels_body.h, so once per level, with its vec, LANES, load, store and fmav.
//
// Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks" (CVPR 2016), give the
// matrices: a 4 × 4 output tile is Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A for the 6 × 6 input d under it and
// the 3 × 3 kernel g, summed over the channels in the 36 "frequencies" ξ = 6i + j, which turns
// 144 multiplications a tile into 36. Every value below is a chain kernels.h states, vectors run
// across channels or filters (never across a sum), and the block sizes are the registers' only:
// the same bits at every level.

#define WG_BLOCK inline __attribute__((always_inline))
#define WG_SPLAT(x) ((vec)(x))
#define WG_NF KERNELS_WINOGRAD_FREQUENCIES

/* Register sums of a block: tiles (forward) or channels (kernel gradient). */
#if LANES == 16
#define WG_SUMS 16
#else
#define WG_SUMS 8
#endif
/// Vectors in a block's 16 filters, and the tiles or channels a block takes along with them.
#define WG_VECTORS (16 / LANES)
#define WG_ROWS (WG_SUMS / WG_VECTORS)

/// Bᵀ on six values d (a column, then a row, of a tile), as kernels.h states it.
static WG_BLOCK void KERNELS_SUFFIX(wg_bt)(const vec d[6], vec t[6]) {
    const vec a = fmav(WG_SPLAT(-4.0f), d[2], d[4]);
    const vec b = fmav(WG_SPLAT(-4.0f), d[1], d[3]);
    const vec c = d[4] - d[2];
    const vec e = (d[3] - d[1]) * WG_SPLAT(2.0f);
    t[0] = fmav(WG_SPLAT(4.0f), d[0] - d[2], c);
    t[1] = a + b;
    t[2] = a - b;
    t[3] = c + e;
    t[4] = c - e;
    t[5] = fmav(WG_SPLAT(4.0f), d[1] - d[3], d[5] - d[3]);
}

/// Aᵀ on six values m (a column, then a row, of a tile's products), as kernels.h states it.
static WG_BLOCK void KERNELS_SUFFIX(wg_at)(const vec m[6], vec y[4]) {
    const vec s12 = m[1] + m[2], d12 = m[1] - m[2], s34 = m[3] + m[4], d34 = m[3] - m[4];
    y[0] = (m[0] + s12) + s34;
    y[1] = fmav(WG_SPLAT(2.0f), d34, d12);
    y[2] = fmav(WG_SPLAT(4.0f), s34, s12);
    y[3] = fmav(WG_SPLAT(8.0f), d34, d12) + m[5];
}

/// A on four values g (a column, then a row, of an output-gradient tile), as kernels.h states it.
static WG_BLOCK void KERNELS_SUFFIX(wg_a)(const vec g[4], vec h[6]) {
    const vec p = g[0] + g[2], q = g[1] + g[3];
    const vec r = fmav(WG_SPLAT(4.0f), g[2], g[0]);
    const vec w = fmav(WG_SPLAT(4.0f), g[3], g[1]) * WG_SPLAT(2.0f);
    h[0] = g[0];
    h[1] = p + q;
    h[2] = p - q;
    h[3] = r + w;
    h[4] = r - w;
    h[5] = g[3];
}

/// The 36 frequencies of one tile, LANES channels: v[ξ · stride] (kernels.h gives the order).
static WG_BLOCK void KERNELS_SUFFIX(wg_input_tile)(const float *p, ptrdiff_t row, ptrdiff_t channels,
                                                  float *v, ptrdiff_t stride) {
    vec e[6][6];
#pragma clang loop unroll(full)
    for (int j = 0; j < 6; j++) {
        vec d[6], t[6];
#pragma clang loop unroll(full)
        for (int i = 0; i < 6; i++) d[i] = load(p + i * row + j * channels);
        KERNELS_SUFFIX(wg_bt)(d, t);
#pragma clang loop unroll(full)
        for (int i = 0; i < 6; i++) e[i][j] = t[i];
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < 6; i++) {
        vec t[6];
        KERNELS_SUFFIX(wg_bt)(e[i], t);
#pragma clang loop unroll(full)
        for (int j = 0; j < 6; j++) store(v + (6 * i + j) * stride, t[j]);
    }
}

/// Copies the 6 × 6 pixels of a tile whose top-left pixel is (y0, x0) (either may be −1, and
/// the tile may run past the last row or column) into `patch`, rows 6 · c values apart, with
/// +0 for the pixels outside the image: the values 'same' padding gives them.
static void KERNELS_SUFFIX(wg_border_tile)(const kernels_convolution *s, const float *x, ptrdiff_t y0, ptrdiff_t x0,
                                           ptrdiff_t c, float *patch) {
    for (ptrdiff_t i = 0; i < 6; i++)
        for (ptrdiff_t j = 0; j < 6; j++) {
            const ptrdiff_t iy = y0 + i, ix = x0 + j;
            float *to = patch + (6 * i + j) * c;
            if (iy < 0 || iy >= s->output_height || ix < 0 || ix >= s->output_width) {
                for (ptrdiff_t k = 0; k < c; k += LANES) store(to + k, (vec)0.0f);
            } else {
                const float *from = x + iy * s->frame_row + ix * c;
                for (ptrdiff_t k = 0; k < c; k += LANES) store(to + k, load(from + k));
            }
        }
}

/// The frequencies of an item's tiles t0 ..< t0 + tiles (t = ty · across + tx): v[t − t0, ξ, c],
/// read from the image itself, except a border tile's, which go through `patch` (36 · c values).
static WG_BLOCK void KERNELS_SUFFIX(wg_input)(const kernels_convolution *s, const float *x, ptrdiff_t t0,
                                              ptrdiff_t tiles, ptrdiff_t c, float *v, float *patch) {
    const ptrdiff_t row = s->frame_row, across = (s->output_width + 3) / 4;
    const ptrdiff_t height = s->output_height, width = s->output_width;
    ptrdiff_t ty = t0 / across, tx = t0 % across;
    for (ptrdiff_t t = 0; t < tiles; t++) {
        const float *p;
        ptrdiff_t stride;
        if (ty > 0 && 4 * ty + 4 < height && tx > 0 && 4 * tx + 4 < width) {
            p = x + (4 * ty - 1) * row + (4 * tx - 1) * c;
            stride = row;
        } else {
            KERNELS_SUFFIX(wg_border_tile)(s, x, 4 * ty - 1, 4 * tx - 1, c, patch);
            p = patch;
            stride = 6 * c;
        }
        for (ptrdiff_t c0 = 0; c0 < c; c0 += LANES)
            KERNELS_SUFFIX(wg_input_tile)(p + c0, stride, c, v + t * WG_NF * c + c0, c);
        if (++tx == across) tx = 0, ty++;
    }
}

/// wg_input with the usual channel counts as constants: a tile's values are then fixed
/// displacements, not addresses computed per load.
static void KERNELS_SUFFIX(wg_inputs)(const kernels_convolution *s, const float *x, ptrdiff_t t0, ptrdiff_t tiles,
                                      float *v, float *patch) {
    switch (s->channels) {
    case 16: KERNELS_SUFFIX(wg_input)(s, x, t0, tiles, 16, v, patch); break;
    case 32: KERNELS_SUFFIX(wg_input)(s, x, t0, tiles, 32, v, patch); break;
    default: KERNELS_SUFFIX(wg_input)(s, x, t0, tiles, s->channels, v, patch); break;
    }
}

/// m[t, ξ, f0 ..< f0 + 16] for the tiles t0 ..< t0 + T of one frequency (v and m start at it):
/// from 0, fma(v[t, ξ, c], u[ξ, c, f], ·) for c in 0 ..< C.
static WG_BLOCK void KERNELS_SUFFIX(wg_product_block)(const float *v, const float *u, float *m, ptrdiff_t channels,
                                                     ptrdiff_t filters, ptrdiff_t t0, int T, ptrdiff_t f0) {
    vec acc[WG_ROWS][WG_VECTORS];
#pragma clang loop unroll(full)
    for (int t = 0; t < T; t++)
#pragma clang loop unroll(full)
        for (int q = 0; q < WG_VECTORS; q++) acc[t][q] = WG_SPLAT(0.0f);
    const float *vt = v + t0 * WG_NF * channels;
    for (ptrdiff_t c = 0; c < channels; c++) {
        vec w[WG_VECTORS];
#pragma clang loop unroll(full)
        for (int q = 0; q < WG_VECTORS; q++) w[q] = load(u + c * filters + f0 + q * LANES);
#pragma clang loop unroll(full)
        for (int t = 0; t < T; t++) {
            vec b = WG_SPLAT(vt[t * WG_NF * channels + c]);
#pragma clang loop unroll(full)
            for (int q = 0; q < WG_VECTORS; q++) acc[t][q] = fmav(b, w[q], acc[t][q]);
        }
    }
#pragma clang loop unroll(full)
    for (int t = 0; t < T; t++)
#pragma clang loop unroll(full)
        for (int q = 0; q < WG_VECTORS; q++) store(m + (t0 + t) * WG_NF * filters + f0 + q * LANES, acc[t][q]);
}

/// The output tile from its 36 products: s = Aᵀ m by columns, then y = s A along each row of s,
/// then + bias (when there is one). `y` is the tile's first output, rows `row` values apart,
/// columns `filters` apart; only the `rows` × `columns` outputs inside the image are stored.
static WG_BLOCK void KERNELS_SUFFIX(wg_output_tile)(const float *m, ptrdiff_t stride, const float *bias, float *y,
                                                   ptrdiff_t row, ptrdiff_t filters, ptrdiff_t rows,
                                                   ptrdiff_t columns) {
    vec s[4][6];
#pragma clang loop unroll(full)
    for (int j = 0; j < 6; j++) {
        vec a[6], o[4];
#pragma clang loop unroll(full)
        for (int i = 0; i < 6; i++) a[i] = load(m + (6 * i + j) * stride);
        KERNELS_SUFFIX(wg_at)(a, o);
#pragma clang loop unroll(full)
        for (int r = 0; r < 4; r++) s[r][j] = o[r];
    }
    const vec b = bias ? load(bias) : WG_SPLAT(0.0f);
#pragma clang loop unroll(full)
    for (int r = 0; r < 4; r++) {
        vec o[4];
        KERNELS_SUFFIX(wg_at)(s[r], o);
        if (r >= rows) break;
#pragma clang loop unroll(full)
        for (int q = 0; q < 4; q++) {
            if (q >= columns) break;
            store(y + r * row + q * filters, bias ? o[q] + b : o[q]);
        }
    }
}

/// The products of one frequency for `tiles` tiles, in register blocks of WG_ROWS, 8, 4, 2, 1.
static WG_BLOCK void KERNELS_SUFFIX(wg_products)(const float *v, const float *u, float *m, ptrdiff_t c, ptrdiff_t f,
                                        ptrdiff_t tiles) {
    for (ptrdiff_t f0 = 0; f0 < f; f0 += 16) {
        ptrdiff_t t = 0;
        for (; t + WG_ROWS <= tiles; t += WG_ROWS) KERNELS_SUFFIX(wg_product_block)(v, u, m, c, f, t, WG_ROWS, f0);
#if WG_ROWS > 8
        if (t + 8 <= tiles) { KERNELS_SUFFIX(wg_product_block)(v, u, m, c, f, t, 8, f0); t += 8; }
#endif
#if WG_ROWS > 4
        if (t + 4 <= tiles) { KERNELS_SUFFIX(wg_product_block)(v, u, m, c, f, t, 4, f0); t += 4; }
#endif
#if WG_ROWS > 2
        if (t + 2 <= tiles) { KERNELS_SUFFIX(wg_product_block)(v, u, m, c, f, t, 2, f0); t += 2; }
#endif
        if (t < tiles) KERNELS_SUFFIX(wg_product_block)(v, u, m, c, f, t, 1, f0);
    }
}

static void KERNELS_SUFFIX(winograd_forward)(kernels_convolution shape, const float *x, const float *u,
                                            const float *bias, float *scratch, float *y) {
    const kernels_convolution *s = &shape;
    const ptrdiff_t c = s->channels, f = s->filters, oh = s->output_height, ow = s->output_width;
    const ptrdiff_t across = (ow + 3) / 4, count = kernels_winograd_tiles(oh, ow);
    const ptrdiff_t group = kernels_winograd_group(c, f);
    float *patch = scratch, *v = scratch + WG_NF * (c > f ? c : f), *m = v + WG_NF * group * c;
    for (ptrdiff_t t0 = 0; t0 < count; t0 += group) {
        const ptrdiff_t tiles = count - t0 < group ? count - t0 : group;
        KERNELS_SUFFIX(wg_inputs)(s, x, t0, tiles, v, patch);
        // The channel count as a constant where it is a usual one: a tile's values are then a
        // fixed displacement from the block's, not an address computed per multiply-add.
        for (int xi = 0; xi < WG_NF; xi++) {
            const float *vx = v + xi * c, *ux = u + xi * c * f;
            float *mx = m + xi * f;
            switch (c) {
            case 16: KERNELS_SUFFIX(wg_products)(vx, ux, mx, 16, f, tiles); break;
            case 32: KERNELS_SUFFIX(wg_products)(vx, ux, mx, 32, f, tiles); break;
            case 64: KERNELS_SUFFIX(wg_products)(vx, ux, mx, 64, f, tiles); break;
            default: KERNELS_SUFFIX(wg_products)(vx, ux, mx, c, f, tiles); break;
            }
        }
        ptrdiff_t ty = t0 / across, tx = t0 % across;
        for (ptrdiff_t t = 0; t < tiles; t++) {
            float *out = y + (4 * ty * ow + 4 * tx) * f;
            const ptrdiff_t rows = oh - 4 * ty < 4 ? oh - 4 * ty : 4, columns = ow - 4 * tx < 4 ? ow - 4 * tx : 4;
            for (ptrdiff_t f0 = 0; f0 < f; f0 += LANES)
                KERNELS_SUFFIX(wg_output_tile)(m + t * WG_NF * f + f0, f, bias ? bias + f0 : NULL, out + f0, ow * f, f,
                                               rows, columns);
            if (++tx == across) tx = 0, ty++;
        }
    }
}

/// The 36 frequencies of an output-gradient tile g (4 × 4, +0 outside the image), filters
/// f0 ..< f0 + LANES: h = A g by columns, then the same along each row of h.
static WG_BLOCK void KERNELS_SUFFIX(wg_gradient_tile)(const float *g, ptrdiff_t row, ptrdiff_t filters, float *dm,
                                                     ptrdiff_t stride, ptrdiff_t rows, ptrdiff_t columns) {
    vec h[6][4];
#pragma clang loop unroll(full)
    for (int q = 0; q < 4; q++) {
        vec a[4], o[6];
#pragma clang loop unroll(full)
        for (int r = 0; r < 4; r++) a[r] = r < rows && q < columns ? load(g + r * row + q * filters) : WG_SPLAT(0.0f);
        KERNELS_SUFFIX(wg_a)(a, o);
#pragma clang loop unroll(full)
        for (int i = 0; i < 6; i++) h[i][q] = o[i];
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < 6; i++) {
        vec o[6];
        KERNELS_SUFFIX(wg_a)(h[i], o);
#pragma clang loop unroll(full)
        for (int j = 0; j < 6; j++) store(dm + (6 * i + j) * stride, o[j]);
    }
}

/// sums[ξ, c0 + k, f0 ..< f0 + 16] for k in 0 ..< K: fma(v[t, ξ, c], dm[t, ξ, f], ·) for t in
/// 0 ..< tiles (v and dm start at the frequency).
static WG_BLOCK void KERNELS_SUFFIX(wg_gradient_block)(const float *v, const float *dm, float *sums, ptrdiff_t channels,
                                                      ptrdiff_t filters, ptrdiff_t tiles, ptrdiff_t c0, int K,
                                                      ptrdiff_t f0) {
    vec acc[WG_ROWS][WG_VECTORS];
#pragma clang loop unroll(full)
    for (int k = 0; k < K; k++)
#pragma clang loop unroll(full)
        for (int q = 0; q < WG_VECTORS; q++) acc[k][q] = load(sums + (c0 + k) * filters + f0 + q * LANES);
    for (ptrdiff_t t = 0; t < tiles; t++) {
        vec g[WG_VECTORS];
#pragma clang loop unroll(full)
        for (int q = 0; q < WG_VECTORS; q++) g[q] = load(dm + t * WG_NF * filters + f0 + q * LANES);
        const float *vt = v + t * WG_NF * channels + c0;
#pragma clang loop unroll(full)
        for (int k = 0; k < K; k++) {
            vec b = WG_SPLAT(vt[k]);
#pragma clang loop unroll(full)
            for (int q = 0; q < WG_VECTORS; q++) acc[k][q] = fmav(b, g[q], acc[k][q]);
        }
    }
#pragma clang loop unroll(full)
    for (int k = 0; k < K; k++)
#pragma clang loop unroll(full)
        for (int q = 0; q < WG_VECTORS; q++) store(sums + (c0 + k) * filters + f0 + q * LANES, acc[k][q]);
}

/// The kernel gradient's sums of a group of tiles, every frequency.
static WG_BLOCK void KERNELS_SUFFIX(wg_accumulate)(const float *v, const float *dm, float *sums, ptrdiff_t c,
                                                  ptrdiff_t f, ptrdiff_t tiles) {
    for (int xi = 0; xi < WG_NF; xi++) {
        const float *vx = v + xi * c, *dx = dm + xi * f;
        float *sx = sums + xi * c * f;
        for (ptrdiff_t f0 = 0; f0 < f; f0 += 16) {
            ptrdiff_t k = 0;
            for (; k + WG_ROWS <= c; k += WG_ROWS) KERNELS_SUFFIX(wg_gradient_block)(vx, dx, sx, c, f, tiles, k, WG_ROWS, f0);
            for (; k < c; k++) KERNELS_SUFFIX(wg_gradient_block)(vx, dx, sx, c, f, tiles, k, 1, f0);
        }
    }
}

/// The whole item at once, so that the sums stay in registers across all its tiles.
static void KERNELS_SUFFIX(winograd_kernel_gradient)(kernels_convolution shape, const float *x,
                                                    const float *gradient, float *scratch, float *sums) {
    const kernels_convolution *s = &shape;
    const ptrdiff_t c = s->channels, f = s->filters, oh = s->output_height, ow = s->output_width;
    const ptrdiff_t across = (ow + 3) / 4, tiles = kernels_winograd_tiles(oh, ow);
    float *patch = scratch, *v = scratch + WG_NF * (c > f ? c : f), *dm = v + WG_NF * tiles * c;
    KERNELS_SUFFIX(wg_inputs)(s, x, 0, tiles, v, patch);
    for (ptrdiff_t t = 0, ty = 0, tx = 0; t < tiles; t++) {
        const float *g = gradient + (4 * ty * ow + 4 * tx) * f;
        const ptrdiff_t rows = oh - 4 * ty < 4 ? oh - 4 * ty : 4, columns = ow - 4 * tx < 4 ? ow - 4 * tx : 4;
        for (ptrdiff_t f0 = 0; f0 < f; f0 += LANES)
            KERNELS_SUFFIX(wg_gradient_tile)(g + f0, ow * f, f, dm + t * WG_NF * f + f0, f, rows, columns);
        if (++tx == across) tx = 0, ty++;
    }
    if (c == 16 && f == 16) KERNELS_SUFFIX(wg_accumulate)(v, dm, sums, 16, 16, tiles);
    else if (c == 16 && f == 32) KERNELS_SUFFIX(wg_accumulate)(v, dm, sums, 16, 32, tiles);
    else if (c == 32 && f == 16) KERNELS_SUFFIX(wg_accumulate)(v, dm, sums, 32, 16, tiles);
    else if (c == 32 && f == 32) KERNELS_SUFFIX(wg_accumulate)(v, dm, sums, 32, 32, tiles);
    else KERNELS_SUFFIX(wg_accumulate)(v, dm, sums, c, f, tiles);
}

#undef WG_BLOCK
#undef WG_SPLAT
#undef WG_NF
#undef WG_SUMS
#undef WG_VECTORS
#undef WG_ROWS
