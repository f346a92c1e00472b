// The packing buffers the levels' products share, one pair per thread (kernels.c).
#ifndef MNIST_REPORT_SCRATCH_H
#define MNIST_REPORT_SCRATCH_H

#include <stddef.h>

typedef enum { KERNELS_SCRATCH_A, KERNELS_SCRATCH_B, KERNELS_SCRATCH_SLOTS } kernels_scratch_slot;

/// The calling thread's buffer `slot`, 64-byte aligned, with room for at least `count` floats.
/// Its contents are undefined; it stays valid until the next call for the same slot on the
/// same thread, and is freed when the thread ends. Aborts when memory runs out.
float *kernels_scratch(kernels_scratch_slot slot, size_t count);

#endif
