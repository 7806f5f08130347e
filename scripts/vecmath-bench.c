/// The Chinchilla and loss-curve kernels' hand-written exp and log (Plugins/ChinchillaKernel/include/
/// fast_math.h) against SLEEF 3.5 (Debian's libsleef-dev) and glibc's libm: accuracy in ULP against
/// long double references, ns per element for the AVX2 and the portable (SSE2) builds, and the
/// Chinchilla kernel (log-loss + Jacobian, 240 points) as shipped and with SLEEF in place of exp/log.
/// Docs/Architecture.md ("Vector math") quotes its output. Not part of `make test` (it needs SLEEF).
///
///     apt-get install -y libsleef-dev
///     clang -O2 -fPIC -fno-omit-frame-pointer -I Plugins/ChinchillaKernel/include \
///         scripts/vecmath-bench.c -o /tmp/vecmath-bench -lsleef -lm && /tmp/vecmath-bench
///
/// (The package's flags for its C targets in release: clang -O2 -fPIC -fno-omit-frame-pointer; AVX2 by
/// target attributes, multiply-adds not contracted.) Times are the thread's CPU time, the best of 15
/// repetitions of about 10 ms, so that other processes on the machine disturb them less.
#include <math.h>
#include <sleef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <immintrin.h>

#include "../Plugins/ChinchillaKernel/log_loss.c"  // the kernel as shipped (FP_CONTRACT OFF from here on)

typedef void (*array_fn)(long, const double *, double *);

// ---- The hand-written functions, in the same two builds as the kernels.
static void fast_exp_portable(long n, const double *x, double *y) { for (long i = 0; i < n; i++) y[i] = lawfit_fast_exp(x[i]); }
static void fast_log_portable(long n, const double *x, double *y) { for (long i = 0; i < n; i++) y[i] = lawfit_fast_log(x[i]); }
__attribute__((target("avx2"))) static void fast_exp_avx2(long n, const double *x, double *y) { for (long i = 0; i < n; i++) y[i] = lawfit_fast_exp(x[i]); }
__attribute__((target("avx2"))) static void fast_log_avx2(long n, const double *x, double *y) { for (long i = 0; i < n; i++) y[i] = lawfit_fast_log(x[i]); }

// ---- SLEEF over arrays: whole vectors, the tail through a padded vector (so every element gets the same function).
#define SLEEF_ARRAY(NAME, ATTR, TYPE, WIDTH, LOAD, STORE, FN, PAD) \
    ATTR static void NAME(long n, const double *x, double *y) { \
        long i = 0; \
        for (; i + WIDTH <= n; i += WIDTH) STORE(y + i, FN(LOAD(x + i))); \
        if (i < n) { \
            double in[WIDTH], out[WIDTH]; \
            for (int k = 0; k < WIDTH; k++) in[k] = i + k < n ? x[i + k] : PAD; \
            STORE(out, FN(LOAD(in))); \
            for (int k = 0; i + k < n; k++) y[i + k] = out[k]; \
        } \
    }
#define AVX2 __attribute__((target("avx2,fma")))
// sleef.h declares its AVX2 functions only when the whole file is compiled with -mavx2, which a
// SwiftPM target can ask for only by unsafeFlags; here they are declared by hand, as a kernel would.
AVX2 __m256d Sleef_expd4_u10avx2(__m256d);
AVX2 __m256d Sleef_logd4_u10avx2(__m256d);
AVX2 __m256d Sleef_logd4_u35avx2(__m256d);
SLEEF_ARRAY(sleef_exp_avx2, AVX2, __m256d, 4, _mm256_loadu_pd, _mm256_storeu_pd, Sleef_expd4_u10avx2, 0.0)
SLEEF_ARRAY(sleef_log_avx2, AVX2, __m256d, 4, _mm256_loadu_pd, _mm256_storeu_pd, Sleef_logd4_u10avx2, 1.0)
SLEEF_ARRAY(sleef_log35_avx2, AVX2, __m256d, 4, _mm256_loadu_pd, _mm256_storeu_pd, Sleef_logd4_u35avx2, 1.0)
SLEEF_ARRAY(sleef_exp_sse2, , __m128d, 2, _mm_loadu_pd, _mm_storeu_pd, Sleef_expd2_u10sse2, 0.0)
SLEEF_ARRAY(sleef_log_sse2, , __m128d, 2, _mm_loadu_pd, _mm_storeu_pd, Sleef_logd2_u10sse2, 1.0)
static void sleef_exp_purec(long n, const double *x, double *y) { for (long i = 0; i < n; i++) y[i] = Sleef_expd1_u10purec(x[i]); }
static void sleef_log_purec(long n, const double *x, double *y) { for (long i = 0; i < n; i++) y[i] = Sleef_logd1_u10purec(x[i]); }
static void libm_exp(long n, const double *x, double *y) { for (long i = 0; i < n; i++) y[i] = exp(x[i]); }
static void libm_log(long n, const double *x, double *y) { for (long i = 0; i < n; i++) y[i] = log(x[i]); }

struct candidate { const char *name; array_fn exp_fn, log_fn; int needs_avx2; };
static const struct candidate candidates[] = {
    {"hand-written, AVX2 build (4-wide)", fast_exp_avx2, fast_log_avx2, 1},
    {"hand-written, portable build (SSE2)", fast_exp_portable, fast_log_portable, 0},
    {"SLEEF u10 avx2 (4-wide)", sleef_exp_avx2, sleef_log_avx2, 1},
    {"SLEEF u35 avx2 (log only)", NULL, sleef_log35_avx2, 1},
    {"SLEEF u10 sse2 (2-wide)", sleef_exp_sse2, sleef_log_sse2, 0},
    {"SLEEF u10 purec (scalar)", sleef_exp_purec, sleef_log_purec, 0},
    {"glibc libm (scalar)", libm_exp, libm_log, 0},
};
enum { CANDIDATES = sizeof candidates / sizeof candidates[0] };

// ---- Points: SplitMix64, uniform in [lo, hi] for exp, log-uniform for log.
static uint64_t state = 0x5EED;
static double uniform(void) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (double)((z ^ (z >> 31)) >> 11) * 0x1p-53;
}
static void fill(double *x, long n, double lo, double hi, int logarithmic) {
    for (long i = 0; i < n; i++) {
        double t = uniform();
        x[i] = logarithmic ? exp(log(lo) + t * (log(hi) - log(lo))) : lo + t * (hi - lo);
    }
}

/// |y - reference| in units of the spacing of doubles at the reference (its ULP).
static double ulp_error(double y, long double reference) {
    double r = (double)reference;
    if (r == 0) return y == 0 ? 0 : INFINITY;
    int e = ilogb(r);
    return (double)(fabsl((long double)y - reference) / ldexpl(1.0L, e - 52));
}

enum { POINTS = 1 << 20 };
static double xs[POINTS], ys[POINTS], ys2[POINTS];
static long double refs[POINTS];

static void accuracy(const char *label, int is_log, double lo, double hi, int avx2) {
    fill(xs, POINTS, lo, hi, is_log);
    for (long i = 0; i < POINTS; i++) refs[i] = is_log ? logl(xs[i]) : expl(xs[i]);
    printf("\n%s on [%g, %g], %d points, against long double %s:\n", label, lo, hi, POINTS, is_log ? "logl" : "expl");
    printf("  %-38s %9s %9s %12s\n", "", "max ulp", "mean ulp", "> 0.5 ulp");
    for (int c = 0; c < CANDIDATES; c++) {
        array_fn fn = is_log ? candidates[c].log_fn : candidates[c].exp_fn;
        if (!fn || (candidates[c].needs_avx2 && !avx2)) continue;
        fn(POINTS, xs, ys);
        double worst = 0, sum = 0;
        long above = 0;
        for (long i = 0; i < POINTS; i++) {
            double u = ulp_error(ys[i], refs[i]);
            worst = u > worst ? u : worst;
            sum += u;
            above += u > 0.5;
        }
        printf("  %-38s %9.3f %9.3f %11.2f%%\n", candidates[c].name, worst, sum / POINTS, 100.0 * above / POINTS);
    }
    if (!avx2) return;
    // Whether each library's AVX2 and SSE2 builds give the same bits (the kernels' tested promise).
    array_fn pairs[2][2] = {{is_log ? fast_log_avx2 : fast_exp_avx2, is_log ? fast_log_portable : fast_exp_portable},
                            {is_log ? sleef_log_avx2 : sleef_exp_avx2, is_log ? sleef_log_sse2 : sleef_exp_sse2}};
    for (int p = 0; p < 2; p++) {
        pairs[p][0](POINTS, xs, ys);
        pairs[p][1](POINTS, xs, ys2);
        long differ = 0;
        for (long i = 0; i < POINTS; i++) differ += memcmp(&ys[i], &ys2[i], sizeof(double)) != 0;
        printf("  %s: AVX2 and SSE2 builds differ in %ld of %d results\n", p ? "SLEEF" : "hand-written", differ, POINTS);
    }
}

static double thread_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static volatile double sink;

/// Best ns per element over 15 repetitions of about 10 ms each.
static double time_array(array_fn fn, const double *x, double *y, long n) {
    long rounds = 1 + 10000000L / (n * 10);  // about 10 ms at 10 ns per element
    double best = INFINITY;
    for (int rep = 0; rep < 15; rep++) {
        double start = thread_seconds();
        for (long r = 0; r < rounds; r++) fn(n, x, y);
        double ns = (thread_seconds() - start) * 1e9 / (double)(rounds * n);
        sink += y[n / 2];
        best = ns < best ? ns : best;
    }
    return best;
}

// ---- The Chinchilla kernel (Jacobian path) with SLEEF's exp and log over arrays in place of the inlined ones.
#define MAX_POINTS 4096
static inline __attribute__((always_inline)) int log_loss_sleef_body(
    long n, const double *restrict log_n, const double *restrict log_d, const double *restrict u,
    double *restrict log_loss, double *restrict jacobian, array_fn exp_array, array_fn log_array
) {
    const double a = u[0], b = u[1], e = u[2], alpha = u[3], beta = u[4];
    double m0 = a > b ? a : b;
    m0 = m0 > e ? m0 : e;
    const double t3 = Sleef_expd1_u10purec(e - m0);
    double arg1[MAX_POINTS], arg2[MAX_POINTS], logs[MAX_POINTS];
    double *restrict w1 = jacobian, *restrict w2 = jacobian + n, *restrict w3 = jacobian + 2 * n;
    double *restrict d_alpha = jacobian + 3 * n, *restrict d_beta = jacobian + 4 * n;
    for (long i = 0; i < n; i++) {
        arg1[i] = a - alpha * log_n[i] - m0;
        arg2[i] = b - beta * log_d[i] - m0;
    }
    exp_array(n, arg1, w1);
    exp_array(n, arg2, w2);
    for (long i = 0; i < n; i++) log_loss[i] = w1[i] + w2[i] + t3;
    log_array(n, log_loss, logs);
    long out_of_range = 0;
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
        log_loss[i] = m0 + logs[i];
    }
    return out_of_range == 0;
}
AVX2 static int log_loss_sleef_avx2(long n, const double *log_n, const double *log_d, const double *u, double *out, double *jac) {
    return log_loss_sleef_body(n, log_n, log_d, u, out, jac, sleef_exp_avx2, sleef_log_avx2);
}
static int log_loss_sleef_sse2(long n, const double *log_n, const double *log_d, const double *u, double *out, double *jac) {
    return log_loss_sleef_body(n, log_n, log_d, u, out, jac, sleef_exp_sse2, sleef_log_sse2);
}

typedef int (*kernel_fn)(long, const double *, const double *, const double *, double *, double *);

static double time_kernel(kernel_fn fn, long n, const double *log_n, const double *log_d, const double *u, double *out, double *jac) {
    long rounds = 1 + 10000000L / (n * 10);
    double best = INFINITY;
    for (int rep = 0; rep < 15; rep++) {
        double start = thread_seconds();
        for (long r = 0; r < rounds; r++) fn(n, log_n, log_d, u, out, jac);
        double ns = (thread_seconds() - start) * 1e9 / (double)(rounds * n);
        sink += out[n / 2];
        best = ns < best ? ns : best;
    }
    return best;
}

int main(void) {
    __builtin_cpu_init();
    int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    printf("SLEEF %d.%d.%d, AVX2+FMA %s\n", SLEEF_VERSION_MAJOR, SLEEF_VERSION_MINOR, SLEEF_VERSION_PATCHLEVEL, avx2 ? "yes" : "no");

    accuracy("exp", 0, -50, 50, avx2);
    accuracy("exp (the kernels' shifted arguments)", 0, -708, 0, avx2);
    accuracy("log", 1, 1e-10, 1e10, avx2);
    accuracy("log (the Chinchilla kernel's shifted sums)", 1, 0.5, 3, avx2);

    const long sizes[] = {240, 4096};
    for (int s = 0; s < 2; s++) {
        long n = sizes[s];
        static double x[MAX_POINTS], lx[MAX_POINTS], y[MAX_POINTS];
        fill(x, n, -50, 50, 0);
        fill(lx, n, 1e-10, 1e10, 1);
        printf("\nns per element, arrays of %ld (best of 15, thread CPU time):\n  %-38s %8s %8s\n", n, "", "exp", "log");
        for (int c = 0; c < CANDIDATES; c++) {
            if (candidates[c].needs_avx2 && !avx2) continue;
            double te = candidates[c].exp_fn ? time_array(candidates[c].exp_fn, x, y, n) : NAN;
            double tl = time_array(candidates[c].log_fn, lx, y, n);
            printf("  %-38s %8.2f %8.2f\n", candidates[c].name, te, tl);
        }
    }

    // The Chinchilla kernel on 240 points like Epoch's data (log N in [18, 25], log D in [22, 28]) at
    // Hoffmann et al.'s parameters, log-space (a = log A, b = log B).
    enum { N = 240 };
    double log_n[N], log_d[N], out[N], out2[N], jac[5 * N], jac2[5 * N];
    fill(log_n, N, 18, 25, 0);
    fill(log_d, N, 22, 28, 0);
    const double u[5] = {log(406.4), log(410.7), log(1.69), 0.34, 0.28};
    printf("\nChinchilla log-loss + Jacobian, %d points, ns per point (best of 15, thread CPU time):\n", N);
    printf("  shipped kernel, portable build          %6.2f\n", time_kernel(lawfit_chinchilla_log_loss_portable, N, log_n, log_d, u, out, jac));
    printf("  SLEEF u10 sse2 in its place             %6.2f\n", time_kernel(log_loss_sleef_sse2, N, log_n, log_d, u, out, jac));
    if (avx2) {
        printf("  shipped kernel, AVX2 build              %6.2f\n", time_kernel(lawfit_chinchilla_log_loss, N, log_n, log_d, u, out, jac));
        printf("  SLEEF u10 avx2 in its place             %6.2f\n", time_kernel(log_loss_sleef_avx2, N, log_n, log_d, u, out, jac));
    }
    // How many of the kernel's output doubles a switch would change (the issue requires unchanged bits).
    lawfit_chinchilla_log_loss_portable(N, log_n, log_d, u, out, jac);
    log_loss_sleef_sse2(N, log_n, log_d, u, out2, jac2);
    long differ = 0, differ_jac = 0;
    for (long i = 0; i < N; i++) differ += memcmp(&out[i], &out2[i], sizeof(double)) != 0;
    for (long i = 0; i < 5 * N; i++) differ_jac += memcmp(&jac[i], &jac2[i], sizeof(double)) != 0;
    printf("  switching to SLEEF changes %ld of %d log-losses and %ld of %d Jacobian entries\n", differ, N, differ_jac, 5 * N);
    return 0;
}
