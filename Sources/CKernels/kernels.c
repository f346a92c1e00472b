#include "kernels.h"

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
