// Winograd's F(2 × 2, 3 × 3) convolution (Swift's WinogradConvolution), included by
// kernels_body.h, so once per level, with its vec, LANES, load, store and fmav.
//
// Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks" (CVPR 2016), give the
// matrices: a 2 × 2 output tile is Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A for the 4 × 4 input d under it and
// the 3 × 3 kernel g, summed over the channels in the 16 "frequencies" ξ = 4i + j, which turns
// 36 multiplications a tile into 16. Every value below is a chain kernels.h states, vectors run
// across channels or filters (never across a sum), and the block sizes are the registers' only:
// the same bits at every level.

#define WG_BLOCK inline __attribute__((always_inline))
#define WG_SPLAT(x) ((vec)(x))

/* Register sums of a block: tiles (forward) or channels (kernel gradient). */
#if LANES == 16
#define WG_SUMS 16
#else
#define WG_SUMS 8
#endif
/// Vectors in a block's 16 filters, and the tiles or channels a block takes along with them.
#define WG_VECTORS (16 / LANES)
#define WG_ROWS (WG_SUMS / WG_VECTORS)

/// The 16 frequencies of one tile, LANES channels: v[ξ · stride] (kernels.h gives the order).
static WG_BLOCK void KERNELS_SUFFIX(wg_input_tile)(const float *p, ptrdiff_t row, ptrdiff_t channels,
                                                  float *v, ptrdiff_t stride) {
    vec d[4][4], e[4][4];
#pragma clang loop unroll(full)
    for (int i = 0; i < 4; i++)
#pragma clang loop unroll(full)
        for (int j = 0; j < 4; j++) d[i][j] = load(p + i * row + j * channels);
#pragma clang loop unroll(full)
    for (int j = 0; j < 4; j++) {
        e[0][j] = d[0][j] - d[2][j];
        e[1][j] = d[1][j] + d[2][j];
        e[2][j] = d[2][j] - d[1][j];
        e[3][j] = d[1][j] - d[3][j];
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < 4; i++) {
        store(v + (4 * i + 0) * stride, e[i][0] - e[i][2]);
        store(v + (4 * i + 1) * stride, e[i][1] + e[i][2]);
        store(v + (4 * i + 2) * stride, e[i][2] - e[i][1]);
        store(v + (4 * i + 3) * stride, e[i][1] - e[i][3]);
    }
}

/// Copies the 4 × 4 pixels of a border tile whose top-left pixel is (y0, x0) (either may be −1,
/// and the tile may run past the last row or column) into `patch`, rows 4 · c values apart, with
/// +0 for the pixels outside the image: the values 'same' padding gives them.
static void KERNELS_SUFFIX(wg_border_tile)(const kernels_convolution *s, const float *x, ptrdiff_t y0, ptrdiff_t x0,
                                           ptrdiff_t c, float *patch) {
    for (ptrdiff_t i = 0; i < 4; i++)
        for (ptrdiff_t j = 0; j < 4; j++) {
            const ptrdiff_t iy = y0 + i, ix = x0 + j;
            float *to = patch + (4 * i + j) * c;
            if (iy < 0 || iy >= s->output_height || ix < 0 || ix >= s->output_width) {
                for (ptrdiff_t k = 0; k < c; k += LANES) store(to + k, (vec)0.0f);
            } else {
                const float *from = x + iy * s->frame_row + ix * c;
                for (ptrdiff_t k = 0; k < c; k += LANES) store(to + k, load(from + k));
            }
        }
}

/// The frequencies of an item's tiles t0 ..< t0 + tiles (t = ty · across + tx): v[t − t0, ξ, c],
/// read from the image itself, except a border tile's, which go through `patch` (16 · c values).
static WG_BLOCK void KERNELS_SUFFIX(wg_input)(const kernels_convolution *s, const float *x, ptrdiff_t t0,
                                              ptrdiff_t tiles, ptrdiff_t c, float *v, float *patch) {
    const ptrdiff_t row = s->frame_row, across = s->output_width / 2, down = s->output_height / 2;
    ptrdiff_t ty = t0 / across, tx = t0 % across;
    for (ptrdiff_t t = 0; t < tiles; t++) {
        const float *p;
        ptrdiff_t stride;
        if (ty > 0 && ty < down - 1 && tx > 0 && tx < across - 1) {
            p = x + (2 * ty - 1) * row + (2 * tx - 1) * c;
            stride = row;
        } else {
            KERNELS_SUFFIX(wg_border_tile)(s, x, 2 * ty - 1, 2 * tx - 1, c, patch);
            p = patch;
            stride = 4 * c;
        }
        for (ptrdiff_t c0 = 0; c0 < c; c0 += LANES)
            KERNELS_SUFFIX(wg_input_tile)(p + c0, stride, c, v + t * 16 * c + c0, c);
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
    const float *vt = v + t0 * 16 * channels;
    for (ptrdiff_t c = 0; c < channels; c++) {
        vec w[WG_VECTORS];
#pragma clang loop unroll(full)
        for (int q = 0; q < WG_VECTORS; q++) w[q] = load(u + c * filters + f0 + q * LANES);
#pragma clang loop unroll(full)
        for (int t = 0; t < T; t++) {
            vec b = WG_SPLAT(vt[t * 16 * channels + c]);
#pragma clang loop unroll(full)
            for (int q = 0; q < WG_VECTORS; q++) acc[t][q] = fmav(b, w[q], acc[t][q]);
        }
    }
#pragma clang loop unroll(full)
    for (int t = 0; t < T; t++)
#pragma clang loop unroll(full)
        for (int q = 0; q < WG_VECTORS; q++) store(m + (t0 + t) * 16 * filters + f0 + q * LANES, acc[t][q]);
}

/// The output tile from its 16 products: s = Aᵀ m by rows ((m0 + m1) + m2, (m1 − m2) − m3), the
/// same on each row of s, then + bias (when there is one). `y` is the tile's first output, rows
/// `row` values apart, columns `filters` apart.
static WG_BLOCK void KERNELS_SUFFIX(wg_output_tile)(const float *m, ptrdiff_t stride, const float *bias, float *y,
                                                   ptrdiff_t row, ptrdiff_t filters) {
    vec a[4][4], s[2][4];
#pragma clang loop unroll(full)
    for (int i = 0; i < 4; i++)
#pragma clang loop unroll(full)
        for (int j = 0; j < 4; j++) a[i][j] = load(m + (4 * i + j) * stride);
#pragma clang loop unroll(full)
    for (int j = 0; j < 4; j++) {
        s[0][j] = (a[0][j] + a[1][j]) + a[2][j];
        s[1][j] = (a[1][j] - a[2][j]) - a[3][j];
    }
#pragma clang loop unroll(full)
    for (int r = 0; r < 2; r++) {
        vec y0 = (s[r][0] + s[r][1]) + s[r][2];
        vec y1 = (s[r][1] - s[r][2]) - s[r][3];
        if (bias) {
            vec b = load(bias);
            y0 = y0 + b;
            y1 = y1 + b;
        }
        store(y + r * row, y0);
        store(y + r * row + filters, y1);
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
    const ptrdiff_t c = s->channels, f = s->filters, ow = s->output_width;
    const ptrdiff_t across = ow / 2, count = across * (s->output_height / 2);
    const ptrdiff_t group = kernels_winograd_group(c, f);
    float *patch = scratch, *v = scratch + 16 * (c > f ? c : f), *m = v + 16 * group * c;
    for (ptrdiff_t t0 = 0; t0 < count; t0 += group) {
        const ptrdiff_t tiles = count - t0 < group ? count - t0 : group;
        KERNELS_SUFFIX(wg_inputs)(s, x, t0, tiles, v, patch);
        // The channel count as a constant where it is a usual one: a tile's values are then a
        // fixed displacement from the block's, not an address computed per multiply-add.
        for (int xi = 0; xi < 16; xi++) {
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
            float *out = y + (2 * ty * ow + 2 * tx) * f;
            for (ptrdiff_t f0 = 0; f0 < f; f0 += LANES)
                KERNELS_SUFFIX(wg_output_tile)(m + t * 16 * f + f0, f, bias ? bias + f0 : NULL, out + f0, ow * f, f);
            if (++tx == across) tx = 0, ty++;
        }
    }
}

/// The 16 frequencies of an output-gradient tile g (2 × 2), filters f0 ..< f0 + LANES:
/// h = A g by rows (g0, g0 + g1, g0 − g1, −g1), then the same on each row of h.
static WG_BLOCK void KERNELS_SUFFIX(wg_gradient_tile)(const float *g, ptrdiff_t row, ptrdiff_t filters, float *dm,
                                                     ptrdiff_t stride) {
    vec a[2][2], h[4][2];
#pragma clang loop unroll(full)
    for (int r = 0; r < 2; r++)
#pragma clang loop unroll(full)
        for (int q = 0; q < 2; q++) a[r][q] = load(g + r * row + q * filters);
#pragma clang loop unroll(full)
    for (int q = 0; q < 2; q++) {
        h[0][q] = a[0][q];
        h[1][q] = a[0][q] + a[1][q];
        h[2][q] = a[0][q] - a[1][q];
        h[3][q] = -a[1][q];
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < 4; i++) {
        store(dm + (4 * i + 0) * stride, h[i][0]);
        store(dm + (4 * i + 1) * stride, h[i][0] + h[i][1]);
        store(dm + (4 * i + 2) * stride, h[i][0] - h[i][1]);
        store(dm + (4 * i + 3) * stride, -h[i][1]);
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
        for (int q = 0; q < WG_VECTORS; q++) g[q] = load(dm + t * 16 * filters + f0 + q * LANES);
        const float *vt = v + t * 16 * channels + c0;
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
    for (int xi = 0; xi < 16; xi++) {
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
    const ptrdiff_t c = s->channels, f = s->filters, ow = s->output_width;
    const ptrdiff_t across = ow / 2, tiles = across * (s->output_height / 2);
    float *patch = scratch, *v = scratch + 16 * (c > f ? c : f), *dm = v + 16 * tiles * c;
    KERNELS_SUFFIX(wg_inputs)(s, x, 0, tiles, v, patch);
    for (ptrdiff_t t = 0, ty = 0, tx = 0; t < tiles; t++) {
        const float *g = gradient + (2 * ty * ow + 2 * tx) * f;
        for (ptrdiff_t f0 = 0; f0 < f; f0 += LANES)
            KERNELS_SUFFIX(wg_gradient_tile)(g + f0, ow * f, f, dm + t * 16 * f + f0, f);
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
#undef WG_SUMS
#undef WG_VECTORS
#undef WG_ROWS
