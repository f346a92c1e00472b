// The kernels for x86-64-v3 (AVX2 and FMA): 8-lane vectors, 16 registers.
#if defined(__x86_64__)
#pragma clang attribute push (__attribute__((target("avx,avx2,fma,f16c,bmi,bmi2,lzcnt,movbe"))), apply_to = function)
#define KERNELS_LEVEL KERNELS_AVX2
#define KERNELS_LEVEL_NAME "avx2"
#define KERNELS_SUFFIX(name) name##_avx2
#define KERNELS_LANES 8
#define KERNELS_ROWS 6
#include "kernels_body.h"
#pragma clang attribute pop
#endif
