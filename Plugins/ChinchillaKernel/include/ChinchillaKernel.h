/// The inner loop of a Chinchilla fit in log space, in C so that it can be compiled twice and
/// chosen at run time: for AVX2 (four doubles per instruction) when the processor has it, and for
/// the portable x86-64 baseline (SSE2, two doubles) otherwise. Swift has no per-function target
/// attributes or run-time CPU dispatch.
///
/// Both builds run the same operations in the same order without contracting multiply-adds, so their
/// results are identical to the bit (tested).
#ifndef LAWFIT_CHINCHILLA_KERNEL_H
#define LAWFIT_CHINCHILLA_KERNEL_H

#include "fast_math.h"

/// log L_i = LSE(a - alpha log N_i, b - beta log D_i, e) for u = (a, b, e, alpha, beta), with one
/// shift m0 = max(a, b, e) for all points (Besiroglu et al. 2024, arXiv 2404.10102, eq. 2).
///
/// Writes log L_i into log_loss[0 ..< n] and, when jacobian is not NULL, d log L_i / d u_j into
/// jacobian[j * n + i] (parameter-major): the softmax weights w1, w2, w3 for a, b, e, then
/// -w1 log N_i and -w2 log D_i. Returns 1 when every shifted sum s_i = exp(log L_i - m0) stayed in
/// [1e-280, 1e280], else 0: then the results may have lost precision or overflowed, and the caller
/// recomputes with a per-point shift.
int lawfit_chinchilla_log_loss(
    long n, const double *log_n, const double *log_d, const double *u, double *log_loss, double *jacobian);

/// The same, always in the portable build (for tests that compare the two builds).
int lawfit_chinchilla_log_loss_portable(
    long n, const double *log_n, const double *log_d, const double *u, double *log_loss, double *jacobian);

/// "avx2" when lawfit_chinchilla_log_loss runs the AVX2 build on this processor, else "portable".
const char *lawfit_chinchilla_kernel_build(void);

#endif
