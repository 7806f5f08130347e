/// Inner loops of the loss-curve laws (Multi-Power, FSL surrogate): the loss-drop sum of one observed
/// point over its change-point terms, with the partial sums its Jacobian needs. In C so that the loop
/// is compiled for AVX2 (four terms per instruction) and the portable baseline and chosen at run time,
/// with the branch-free exp and log of fast_math.h (a few units in the last place from libm's).
///
/// A point's terms are `count` entries of its run's change-point arrays, `index[0 ..< count]` (or
/// 0 ..< count when index is NULL). Both builds run the same operations in the same order without
/// contracting multiply-adds, so their results agree to the bit.
#ifndef LAWFIT_LOSS_CURVE_KERNEL_H
#define LAWFIT_LOSS_CURVE_KERNEL_H

#include <stdint.h>

/// out[i] = exp(-exponent * log_values[i]) for i < n; +infinity where log_values[i] is -infinity
/// (a zero learning rate: the Multi-Power term is then G = 1 whatever the exponent).
void lawfit_scaled_exp(long n, const double *log_values, double exponent, double *out);

/// Multi-Power Law (Luo et al. 2025, Sec. 3) loss drop of one point at intrinsic time tau:
/// with x_k = factor_k (tau - time_k), w_k = 1 + c x_k, G_k = 1 - w_k^-beta, out[0] = sum_k drop_k G_k and, when jacobian is non-zero, out[1] = sum_k drop_k beta
/// w_k^-beta x_k / w_k (d/dC), out[2] = sum_k drop_k w_k^-beta log w_k (d/dbeta) and out[3] =
/// -c sum_k drop_k beta w_k^-beta x_k / w_k log_rate_k (d/dgamma). Every factor_k must be finite: the
/// caller leaves out terms of a zero learning rate (G = 1 there, whatever the exponents).
void lawfit_multipower_drop(
    long count, const int32_t *index, const double *drop, const double *time, const double *factor,
    const double *log_rate, double tau, double c, double beta, int jacobian, double out[4]);

/// FSL surrogate (Li et al. 2025, App. B.2) drops of one point at intrinsic time tau: with
/// w_k = 1 + c4 (tau - time_k), F_k = 1 - w_k^-gamma, out[0] = sum_k drop_k F_k (noise),
/// out[1] = sum_k drop_k decay_k F_k (signal) and, when jacobian is non-zero, out[2] = sum_k drop_k
/// decay_k log_time_k F_k (so d/ds = -c2 out[2]), out[3] = sum_k drop_k (c23 + c2 decay_k) gamma
/// w_k^-gamma (tau - time_k) / w_k (d/dc4) and out[4] = sum_k drop_k (c23 + c2 decay_k) w_k^-gamma
/// log w_k (d/dgamma).
void lawfit_fsl_drop(
    long count, const int32_t *index, const double *drop, const double *time, const double *decay,
    const double *log_time, double tau, double c4, double gamma, double c23, double c2, int jacobian, double out[5]);

/// The three kernels above, always in the portable build (for tests that compare the two builds).
void lawfit_scaled_exp_portable(long n, const double *log_values, double exponent, double *out);
void lawfit_multipower_drop_portable(
    long count, const int32_t *index, const double *drop, const double *time, const double *factor,
    const double *log_rate, double tau, double c, double beta, int jacobian, double out[4]);
void lawfit_fsl_drop_portable(
    long count, const int32_t *index, const double *drop, const double *time, const double *decay,
    const double *log_time, double tau, double c4, double gamma, double c23, double c2, int jacobian, double out[5]);

/// "avx2" when the kernels run their AVX2 build on this processor, else "portable".
const char *lawfit_loss_curve_kernel_build(void);

#endif
