#include "floating_point.h"

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>

unsigned long floating_point_flush_denormals(void) {
    unsigned int state = _mm_getcsr();
    _mm_setcsr(state | 0x8040u);  // FTZ (bit 15) and DAZ (bit 6)
    return state;
}

void floating_point_restore(unsigned long state) {
    _mm_setcsr((unsigned int)state);
}

#elif defined(__aarch64__)

unsigned long floating_point_flush_denormals(void) {
    unsigned long state;
    __asm__ volatile("mrs %0, fpcr" : "=r"(state));
    __asm__ volatile("msr fpcr, %0" : : "r"(state | (1ul << 24)));  // FZ
    return state;
}

void floating_point_restore(unsigned long state) {
    __asm__ volatile("msr fpcr, %0" : : "r"(state));
}

#else

unsigned long floating_point_flush_denormals(void) { return 0; }
void floating_point_restore(unsigned long state) { (void)state; }

#endif
