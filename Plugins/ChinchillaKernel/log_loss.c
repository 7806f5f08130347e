#include "ChinchillaKernel.h"
#include "cpu_features.h"

#include <stddef.h>

// Multiply-adds stay separate roundings in every build, so that the AVX2 and portable builds agree
// to the bit (contracting them into FMA instructions would change the last bits of some results).
#pragma STDC FP_CONTRACT OFF

/// The kernel's body, inlined into each build. Straight-line loops with contiguous stores, so the
/// compiler vectorises them: first the shifted sums s_i, then log s_i and the softmax weights t_k / s_i,
/// while a count of the s_i outside [1e-280, 1e280] (or NaN) is kept: a sum, which vectorises where
/// an AND over the points does not.
static inline __attribute__((always_inline)) int log_loss_body(
    long n, const double *restrict log_n, const double *restrict log_d, const double *restrict u,
    double *restrict log_loss, double *restrict jacobian
) {
    const double a = u[0], b = u[1], e = u[2], alpha = u[3], beta = u[4];
    double m0 = a > b ? a : b;
    m0 = m0 > e ? m0 : e;
    const double t3 = lawfit_fast_exp(e - m0);
    long out_of_range = 0;
    if (jacobian == NULL) {
        for (long i = 0; i < n; i++) {
            double s = lawfit_fast_exp(a - alpha * log_n[i] - m0) + lawfit_fast_exp(b - beta * log_d[i] - m0) + t3;
            out_of_range += 1 - ((s >= 1e-280) & (s <= 1e280));
            log_loss[i] = m0 + lawfit_fast_log(s);
        }
        return out_of_range == 0;
    }
    double *restrict w1 = jacobian, *restrict w2 = jacobian + n, *restrict w3 = jacobian + 2 * n;
    double *restrict d_alpha = jacobian + 3 * n, *restrict d_beta = jacobian + 4 * n;
    for (long i = 0; i < n; i++) {
        double t1 = lawfit_fast_exp(a - alpha * log_n[i] - m0), t2 = lawfit_fast_exp(b - beta * log_d[i] - m0);
        w1[i] = t1;
        w2[i] = t2;
        log_loss[i] = t1 + t2 + t3;
    }
    for (long i = 0; i < n; i++) {
        double s = log_loss[i];
        out_of_range += 1 - ((s >= 1e-280) & (s <= 1e280));
        double inverse = 1 / s;
        double weight1 = w1[i] * inverse, weight2 = w2[i] * inverse;
        w1[i] = weight1;
        w2[i] = weight2;
        w3[i] = t3 * inverse;
        d_alpha[i] = -weight1 * log_n[i];
        d_beta[i] = -weight2 * log_d[i];
        log_loss[i] = m0 + lawfit_fast_log(s);
    }
    return out_of_range == 0;
}

int lawfit_chinchilla_log_loss_portable(
    long n, const double *log_n, const double *log_d, const double *u, double *log_loss, double *jacobian
) {
    return log_loss_body(n, log_n, log_d, u, log_loss, jacobian);
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))

__attribute__((target("avx2"))) static int log_loss_avx2(
    long n, const double *log_n, const double *log_d, const double *u, double *log_loss, double *jacobian
) {
    return log_loss_body(n, log_n, log_d, u, log_loss, jacobian);
}

int lawfit_chinchilla_log_loss(
    long n, const double *log_n, const double *log_d, const double *u, double *log_loss, double *jacobian
) {
    return lawfit_has_avx2() ? log_loss_avx2(n, log_n, log_d, u, log_loss, jacobian)
                      : log_loss_body(n, log_n, log_d, u, log_loss, jacobian);
}

const char *lawfit_chinchilla_kernel_build(void) { return lawfit_has_avx2() ? "avx2" : "portable"; }

#else

int lawfit_chinchilla_log_loss(
    long n, const double *log_n, const double *log_d, const double *u, double *log_loss, double *jacobian
) {
    return log_loss_body(n, log_n, log_d, u, log_loss, jacobian);
}

const char *lawfit_chinchilla_kernel_build(void) { return "portable"; }

#endif
