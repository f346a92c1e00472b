// The layers between the products that were Swift loops compiled for the baseline: the
// augmentation's bilinear resampling, max pooling, and the ReLU derivative with the bias sums
// of a convolution's backward pass. Included by kernels_body.h, once per level. Each value is
// computed on its own, with the operations and their order that the Swift code used, so the
// vector width changes no bit.

typedef int32_t KERNELS_SUFFIX(ivec_l) __attribute__((ext_vector_type(KERNELS_LANES)));
#define ivec_l KERNELS_SUFFIX(ivec_l)

/// Lanes 0, 1, … LANES − 1 as floats.
static inline vec KERNELS_SUFFIX(iota)(void) {
    vec v;
    for (int l = 0; l < LANES; l++) v[l] = (float)l;
    return v;
}

/// The four taps of output pixels (x0 … x0 + LANES − 1, y) of an image through transform t:
/// flat pixel indices (0 for a tap outside the image) and bilinear weights (0 outside), each
/// lane computed as `AffineResampling` states: s = (a · x + b · y) + c rounded at each step,
/// floor, the fractions, then (1 − f) products. Lanes past the row's end compute harmless taps.
static inline __attribute__((always_inline)) void
KERNELS_SUFFIX(affine_tap_vectors)(const float *t, ptrdiff_t height, ptrdiff_t width, ptrdiff_t y, ptrdiff_t x0,
                                   ivec_l index[4], vec weight[4]) {
    const vec xs = KERNELS_SUFFIX(iota)() + (float)x0, ys = (vec)(float)y;
    const vec sx = (xs * t[0] + ys * t[1]) + t[2], sy = (xs * t[3] + ys * t[4]) + t[5];
    const vec x_floor = __builtin_elementwise_floor(sx), y_floor = __builtin_elementwise_floor(sy);
    const vec fx = sx - x_floor, fy = sy - y_floor;
    const vec h = (vec)(float)height, w = (vec)(float)width;
    const vec rows[4] = {y_floor, y_floor, y_floor + 1, y_floor + 1};
    const vec columns[4] = {x_floor, x_floor + 1, x_floor, x_floor + 1};
    const vec weights[4] = {(1 - fy) * (1 - fx), (1 - fy) * fx, fy * (1 - fx), fy * fx};
    for (int k = 0; k < 4; k++) {
        const ivec_l inside = rows[k] >= 0 & rows[k] < h & columns[k] >= 0 & columns[k] < w;
        const ivec_l row = __builtin_convertvector(inside ? rows[k] : (vec)0, ivec_l);
        const ivec_l column = __builtin_convertvector(inside ? columns[k] : (vec)0, ivec_l);
        index[k] = inside ? row * (int32_t)width + column : (ivec_l)0;
        weight[k] = inside ? weights[k] : (vec)0;
    }
}

/// The taps of every output pixel of one image, pixel by pixel: indices[4p + k], weights[4p + k].
static void KERNELS_SUFFIX(affine_taps)(const float *t, ptrdiff_t height, ptrdiff_t width, int32_t *indices,
                                       float *weights) {
    for (ptrdiff_t y = 0; y < height; y++)
        for (ptrdiff_t x0 = 0; x0 < width; x0 += LANES) {
            ivec_l index[4];
            vec weight[4];
            KERNELS_SUFFIX(affine_tap_vectors)(t, height, width, y, x0, index, weight);
            const ptrdiff_t n = width - x0 < LANES ? width - x0 : LANES, p = y * width + x0;
            for (ptrdiff_t l = 0; l < n; l++)
                for (int k = 0; k < 4; k++) {
                    indices[4 * (p + l) + k] = index[k][l];
                    weights[4 * (p + l) + k] = weight[k][l];
                }
        }
}

/// One image resampled: y[p, c] = ((w₀ · x[p₀, c] + w₁ · x[p₁, c]) + w₂ · x[p₂, c]) + w₃ · x[p₃, c].
/// `taps` holds room for 4 · height · width indices and as many weights (used for channels > 1).
static void KERNELS_SUFFIX(affine_resample)(const float *t, ptrdiff_t height, ptrdiff_t width, ptrdiff_t channels,
                                           const float *x, float *y, int32_t *indices, float *weights) {
    if (channels == 1) {
        for (ptrdiff_t row = 0; row < height; row++)
            for (ptrdiff_t x0 = 0; x0 < width; x0 += LANES) {
                ivec_l index[4];
                vec weight[4], value[4];
                KERNELS_SUFFIX(affine_tap_vectors)(t, height, width, row, x0, index, weight);
                for (int k = 0; k < 4; k++)
                    for (int l = 0; l < LANES; l++) value[k][l] = x[index[k][l]];
                const vec out = ((weight[0] * value[0] + weight[1] * value[1]) + weight[2] * value[2]) + weight[3] * value[3];
                const ptrdiff_t n = width - x0 < LANES ? width - x0 : LANES;
                memcpy(y + row * width + x0, &out, (size_t)n * sizeof(float));
            }
        return;
    }
    KERNELS_SUFFIX(affine_taps)(t, height, width, indices, weights);
    for (ptrdiff_t p = 0; p < height * width; p++) {
        const int32_t *i = indices + 4 * p;
        const float *w = weights + 4 * p;
        const float *x0 = x + i[0] * channels, *x1 = x + i[1] * channels, *x2 = x + i[2] * channels,
                    *x3 = x + i[3] * channels;
        float *out = y + p * channels;
        for (ptrdiff_t c = 0; c < channels; c++) out[c] = ((w[0] * x0[c] + w[1] * x1[c]) + w[2] * x2[c]) + w[3] * x3[c];
    }
}

/// Max pooling of one (height, width, channels) item: for each window of pool × pool moved by
/// `stride`, per channel, the largest value, the first in row-major order among equals (a later
/// value must be strictly larger to win, so a NaN never wins and a first NaN stays), and its
/// offset from the item's start.
static void KERNELS_SUFFIX(max_pool)(const float *x, ptrdiff_t width, ptrdiff_t channels, ptrdiff_t pool,
                                    ptrdiff_t stride, ptrdiff_t out_height, ptrdiff_t out_width, float *y,
                                    int32_t *chosen) {
    ivec_l lane;
    for (int l = 0; l < LANES; l++) lane[l] = l;
    for (ptrdiff_t oy = 0; oy < out_height; oy++)
        for (ptrdiff_t ox = 0; ox < out_width; ox++) {
            const ptrdiff_t origin = (oy * stride * width + ox * stride) * channels;
            const ptrdiff_t out = (oy * out_width + ox) * channels;
            ptrdiff_t c = 0;
            for (; c + LANES <= channels; c += LANES) {
                vec value = load(x + origin + c);
                ivec_l best = (ivec_l)(int32_t)(origin + c) + lane;
                for (ptrdiff_t dy = 0; dy < pool; dy++)
                    for (ptrdiff_t dx = 0; dx < pool; dx++) {
                        const ptrdiff_t index = origin + (dy * width + dx) * channels + c;
                        const vec candidate = load(x + index);
                        const ivec_l larger = candidate > value;
                        value = larger ? candidate : value;
                        best = larger ? (ivec_l)(int32_t)index + lane : best;
                    }
                store(y + out + c, value);
                memcpy(chosen + out + c, &best, sizeof best);
            }
            for (; c < channels; c++) {
                ptrdiff_t best = origin + c;
                float value = x[best];
                for (ptrdiff_t dy = 0; dy < pool; dy++)
                    for (ptrdiff_t dx = 0; dx < pool; dx++) {
                        const ptrdiff_t index = origin + (dy * width + dx) * channels + c;
                        if (x[index] > value) { best = index; value = x[index]; }
                    }
                y[out + c] = value;
                chosen[out + c] = (int32_t)best;
            }
        }
}

/// out ← (y ≤ 0 ? 0 : g) (relu_mask, into another buffer), and lanes[l] ← Σ out[p · period + l]
/// over the periods in order, from 0 (lane_sums of the result): a ReLU layer's pre-activation
/// gradient and its bias sums in one pass. `period` is a multiple of 16 up to 16 · 16.
static void KERNELS_SUFFIX(relu_mask_sums)(const float *y, const float *g, float *out, ptrdiff_t period,
                                          ptrdiff_t periods, float *lanes) {
    vec sums[256 / LANES];
    const ptrdiff_t vectors = period / LANES;
    for (ptrdiff_t v = 0; v < vectors; v++) sums[v] = 0;
    for (ptrdiff_t p = 0; p < periods; p++)
        for (ptrdiff_t v = 0; v < vectors; v++) {
            const ptrdiff_t i = p * period + v * LANES;
            const vec masked = load(y + i) <= 0 ? (vec)0 : load(g + i);
            store(out + i, masked);
            sums[v] = sums[v] + masked;
        }
    for (ptrdiff_t v = 0; v < vectors; v++) store(lanes + v * LANES, sums[v]);
}

#undef ivec_l
