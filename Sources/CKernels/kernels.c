#include "kernels.h"
#include "scratch.h"

#include <pthread.h>
#include <stdlib.h>

const kernels_table *kernels_baseline(void);
#if defined(__x86_64__)
const kernels_table *kernels_avx2(void);
const kernels_table *kernels_avx512(void);
#endif

int kernels_level_supported(kernels_level level) {
    switch (level) {
    case KERNELS_BASELINE:
        return 1;
#if defined(__x86_64__)
    case KERNELS_AVX2:
        // __builtin_cpu_supports also checks that the OS saves the wide registers (XGETBV).
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case KERNELS_AVX512:
        return kernels_level_supported(KERNELS_AVX2) && __builtin_cpu_supports("avx512f")
            && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw")
            && __builtin_cpu_supports("avx512vl");
#endif
    default:
        return 0;
    }
}

kernels_level kernels_level_detect(void) {
    if (kernels_level_supported(KERNELS_AVX512)) return KERNELS_AVX512;
    if (kernels_level_supported(KERNELS_AVX2)) return KERNELS_AVX2;
    return KERNELS_BASELINE;
}

const kernels_table *kernels_for(kernels_level level) {
    switch (level) {
#if defined(__x86_64__)
    case KERNELS_AVX512: return kernels_avx512();
    case KERNELS_AVX2: return kernels_avx2();
#endif
    default: return kernels_baseline();
    }
}

// A thread's packing buffers: grown on demand, kept while the thread lives, and freed by the
// key's destructor when it ends (the pool's and the test runner's threads come and go; a
// buffer only a thread-local pointer held would be lost with it). Shared by the levels: a
// call fills what it uses before reading it.
static pthread_key_t scratch_keys[KERNELS_SCRATCH_SLOTS];
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static _Thread_local struct { float *data; size_t bytes; } scratch[KERNELS_SCRATCH_SLOTS];

static void scratch_make_keys(void) {
    for (int slot = 0; slot < KERNELS_SCRATCH_SLOTS; slot++)
        if (pthread_key_create(&scratch_keys[slot], free) != 0) abort();
}

float *kernels_scratch(kernels_scratch_slot slot, size_t count) {
    size_t bytes = (count * sizeof(float) + 63) / 64 * 64;  // whole cache lines, aligned
    if (scratch[slot].bytes < bytes) {
        pthread_once(&scratch_once, scratch_make_keys);
        free(scratch[slot].data);
        float *data = aligned_alloc(64, bytes);
        if (!data || pthread_setspecific(scratch_keys[slot], data) != 0) abort();
        scratch[slot].data = data;
        scratch[slot].bytes = bytes;
    }
    return scratch[slot].data;
}

void kernels_sparse_transpose(ptrdiff_t rows, ptrdiff_t inputs, const int32_t *counts, const int32_t *indices,
                              const float *x, int32_t *column_starts, int32_t *items, float *values) {
    for (ptrdiff_t k = 0; k <= inputs; k++) column_starts[k] = 0;
    for (ptrdiff_t r = 0; r < rows; r++)
        for (int32_t e = 0; e < counts[r]; e++) column_starts[indices[r * inputs + e] + 1]++;
    for (ptrdiff_t k = 0; k < inputs; k++) column_starts[k + 1] += column_starts[k];
    // Each column's next free slot, moved back below: rows are walked in order, so every
    // column's items come out increasing.
    for (ptrdiff_t r = 0; r < rows; r++) {
        for (int32_t e = 0; e < counts[r]; e++) {
            int32_t k = indices[r * inputs + e], slot = column_starts[k]++;
            items[slot] = (int32_t)r;
            values[slot] = x[r * inputs + k];
        }
    }
    for (ptrdiff_t k = inputs; k > 0; k--) column_starts[k] = column_starts[k - 1];
    column_starts[0] = 0;
}
