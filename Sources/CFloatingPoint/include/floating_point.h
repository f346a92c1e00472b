#ifndef MNIST_REPORT_FLOATING_POINT_H
#define MNIST_REPORT_FLOATING_POINT_H

/// Makes the calling thread flush denormal results to zero and read denormal inputs as zero
/// (x86: MXCSR's FTZ and DAZ bits; ARM64: FPCR's FZ bit). Returns the previous control state,
/// for `floating_point_restore`.
unsigned long floating_point_flush_denormals(void);

/// Restores the calling thread's floating-point control state saved by the call above.
void floating_point_restore(unsigned long state);

#endif
