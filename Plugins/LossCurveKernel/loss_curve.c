#include "LossCurveKernel.h"
#include "cpu_features.h"
#include "fast_math.h"

#include <math.h>
#include <stddef.h>

// Multiply-adds stay separate roundings in every build, so that the AVX2 and portable builds agree
// to the bit.
#pragma STDC FP_CONTRACT OFF

#define BODY_ATTRIBUTES static inline __attribute__((always_inline))

BODY_ATTRIBUTES void scaled_exp_body(long n, const double *restrict log_values, double exponent, double *restrict out) {
    for (long i = 0; i < n; i++) {
        double v = log_values[i];
        double e = lawfit_fast_exp(-exponent * (v == -INFINITY ? 0 : v));
        out[i] = v == -INFINITY ? INFINITY : e;
    }
}

/// Terms are computed in chunks: a straight map over the chunk into local arrays (no reduction, so the
/// compiler vectorises it, exp and log included), then fixed-order sums with four interleaved partial
/// sums, so that both builds add in the same order.
#define CHUNK 256

BODY_ATTRIBUTES double sum4(const double *restrict v, long n) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    long k = 0;
    for (; k + 4 <= n; k += 4) {
        s0 += v[k];
        s1 += v[k + 1];
        s2 += v[k + 2];
        s3 += v[k + 3];
    }
    for (; k < n; k++) s0 += v[k];
    return (s0 + s1) + (s2 + s3);
}

/// Runs TERM(e) for the chunk's k = 0 ..< n, with e the k-th entry of the chunk's index `ix`, or
/// start + k when there is none (every change point): two loops, so that the contiguous one vectorises
/// without a gather.
#define FOR_EACH_TERM(TERM) \
        if (ix) { \
            for (long k = 0; k < n; k++) TERM(ix[k]) \
        } else { \
            for (long k = 0; k < n; k++) TERM(start + k) \
        }

BODY_ATTRIBUTES void multipower_body(
    long count, const int32_t *restrict index, const double *restrict drop, const double *restrict time,
    const double *restrict factor, const double *restrict log_rate, double tau, double c, double beta, int jacobian,
    double out[4]
) {
    double t_drop[CHUNK], t_c[CHUNK], t_beta[CHUNK], t_gamma[CHUNK];
    out[0] = out[1] = out[2] = out[3] = 0;
    for (long start = 0; start < count; start += CHUNK) {
        long n = count - start < CHUNK ? count - start : CHUNK;
        const int32_t *restrict ix = index ? index + start : NULL;
#define MULTIPOWER_TERM(E) { \
            long e = (E); \
            double f = factor[e], d = drop[e]; \
            double x = f * (tau - time[e]); \
            double w = 1 + c * x; \
            double log_w = lawfit_fast_log(w); \
            double power = lawfit_fast_exp(-beta * log_w); \
            double common = d * beta * power * x / w; \
            t_drop[k] = d * (1 - power); \
            t_c[k] = common; \
            t_gamma[k] = common * log_rate[e]; \
            t_beta[k] = d * power * log_w; }
        FOR_EACH_TERM(MULTIPOWER_TERM)
#undef MULTIPOWER_TERM
        out[0] += sum4(t_drop, n);
        if (jacobian) {
            out[1] += sum4(t_c, n);
            out[2] += sum4(t_beta, n);
            out[3] += sum4(t_gamma, n);
        }
    }
    out[3] *= -c;
}

BODY_ATTRIBUTES void fsl_body(
    long count, const int32_t *restrict index, const double *restrict drop, const double *restrict time,
    const double *restrict decay, const double *restrict log_time, double tau, double c4, double gamma, double c23,
    double c2, int jacobian, double out[5]
) {
    double t_noise[CHUNK], t_signal[CHUNK], t_s[CHUNK], t_c4[CHUNK], t_gamma[CHUNK];
    out[0] = out[1] = out[2] = out[3] = out[4] = 0;
    for (long start = 0; start < count; start += CHUNK) {
        long n = count - start < CHUNK ? count - start : CHUNK;
        const int32_t *restrict ix = index ? index + start : NULL;
#define FSL_TERM(E) { \
            long e = (E); \
            double d = drop[e], q = decay[e]; \
            double gap = tau - time[e]; \
            double w = 1 + c4 * gap; \
            double log_w = lawfit_fast_log(w); \
            double power = lawfit_fast_exp(-gamma * log_w); \
            double forget = 1 - power; \
            double weight = d * (c23 + c2 * q); \
            t_noise[k] = d * forget; \
            t_signal[k] = d * q * forget; \
            t_s[k] = d * q * log_time[e] * forget; \
            t_c4[k] = weight * gamma * power * gap / w; \
            t_gamma[k] = weight * power * log_w; }
        FOR_EACH_TERM(FSL_TERM)
#undef FSL_TERM
        out[0] += sum4(t_noise, n);
        out[1] += sum4(t_signal, n);
        if (jacobian) {
            out[2] += sum4(t_s, n);
            out[3] += sum4(t_c4, n);
            out[4] += sum4(t_gamma, n);
        }
    }
}

void lawfit_scaled_exp_portable(long n, const double *log_values, double exponent, double *out) {
    scaled_exp_body(n, log_values, exponent, out);
}

void lawfit_multipower_drop_portable(
    long count, const int32_t *index, const double *drop, const double *time, const double *factor,
    const double *log_rate, double tau, double c, double beta, int jacobian, double out[4]
) {
    multipower_body(count, index, drop, time, factor, log_rate, tau, c, beta, jacobian, out);
}

void lawfit_fsl_drop_portable(
    long count, const int32_t *index, const double *drop, const double *time, const double *decay,
    const double *log_time, double tau, double c4, double gamma, double c23, double c2, int jacobian, double out[5]
) {
    fsl_body(count, index, drop, time, decay, log_time, tau, c4, gamma, c23, c2, jacobian, out);
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))

__attribute__((target("avx2"))) static void scaled_exp_avx2(long n, const double *log_values, double exponent, double *out) {
    scaled_exp_body(n, log_values, exponent, out);
}

__attribute__((target("avx2"))) static void multipower_avx2(
    long count, const int32_t *index, const double *drop, const double *time, const double *factor,
    const double *log_rate, double tau, double c, double beta, int jacobian, double out[4]
) {
    multipower_body(count, index, drop, time, factor, log_rate, tau, c, beta, jacobian, out);
}

__attribute__((target("avx2"))) static void fsl_avx2(
    long count, const int32_t *index, const double *drop, const double *time, const double *decay,
    const double *log_time, double tau, double c4, double gamma, double c23, double c2, int jacobian, double out[5]
) {
    fsl_body(count, index, drop, time, decay, log_time, tau, c4, gamma, c23, c2, jacobian, out);
}

#define AVX2_OR_PORTABLE(avx2_call, portable_call) do { if (lawfit_has_avx2()) avx2_call; else portable_call; } while (0)
#define KERNEL_BUILD (lawfit_has_avx2() ? "avx2" : "portable")

#else

#define AVX2_OR_PORTABLE(avx2_call, portable_call) portable_call
#define KERNEL_BUILD "portable"

#endif

void lawfit_scaled_exp(long n, const double *log_values, double exponent, double *out) {
    AVX2_OR_PORTABLE(scaled_exp_avx2(n, log_values, exponent, out), scaled_exp_body(n, log_values, exponent, out));
}

void lawfit_multipower_drop(
    long count, const int32_t *index, const double *drop, const double *time, const double *factor,
    const double *log_rate, double tau, double c, double beta, int jacobian, double out[4]
) {
    AVX2_OR_PORTABLE(
        multipower_avx2(count, index, drop, time, factor, log_rate, tau, c, beta, jacobian, out),
        multipower_body(count, index, drop, time, factor, log_rate, tau, c, beta, jacobian, out));
}

void lawfit_fsl_drop(
    long count, const int32_t *index, const double *drop, const double *time, const double *decay,
    const double *log_time, double tau, double c4, double gamma, double c23, double c2, int jacobian, double out[5]
) {
    AVX2_OR_PORTABLE(
        fsl_avx2(count, index, drop, time, decay, log_time, tau, c4, gamma, c23, c2, jacobian, out),
        fsl_body(count, index, drop, time, decay, log_time, tau, c4, gamma, c23, c2, jacobian, out));
}

const char *lawfit_loss_curve_kernel_build(void) { return KERNEL_BUILD; }
