/// Run-time CPU feature checks shared by the C kernels that ship an AVX2 and a portable build of
/// their loops (ChinchillaKernel, LossCurveKernel): Swift has no per-function target attributes, so
/// each kernel asks here which build to run.
#ifndef LAWFIT_CPU_FEATURES_H
#define LAWFIT_CPU_FEATURES_H

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))

#include <stdatomic.h>

/// Whether this processor (and its operating system) runs AVX2 code; asked once per kernel (every
/// thread that races to ask first stores the same answer).
static inline int lawfit_has_avx2(void) {
    static _Atomic int answer = -1;
    int known = atomic_load_explicit(&answer, memory_order_relaxed);
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx2") ? 1 : 0;
        atomic_store_explicit(&answer, known, memory_order_relaxed);
    }
    return known;
}

#endif

#endif
