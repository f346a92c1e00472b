// The kernels for every CPU: 4-lane vectors (SSE2 on x86-64, NEON on ARM64), fused
// multiply-adds in software where the CPU has none (correctly rounded, so the same bits).
#define KERNELS_LEVEL KERNELS_BASELINE
#define KERNELS_LEVEL_NAME "baseline"
#define KERNELS_SUFFIX(name) name##_baseline
#define KERNELS_LANES 4
#define KERNELS_ROWS 6
#include "kernels_body.h"
