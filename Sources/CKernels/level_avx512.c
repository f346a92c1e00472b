// The kernels for AVX-512 (F, DQ, BW, VL): 16-lane vectors, 32 registers.
#if defined(__x86_64__)
#pragma clang attribute push (__attribute__((target("avx,avx2,fma,f16c,bmi,bmi2,lzcnt,movbe,avx512f,avx512dq,avx512bw,avx512vl,avx512cd"))), apply_to = function)
#define KERNELS_LEVEL KERNELS_AVX512
#define KERNELS_LEVEL_NAME "avx512"
#define KERNELS_SUFFIX(name) name##_avx512
#define KERNELS_LANES 16
#define KERNELS_ROWS 8
#include "kernels_body.h"
#pragma clang attribute pop
#endif
