/// Branch-free exp and log for the Chinchilla kernel's loops (millions of points per second of fitting).
///
/// Both use only multiplications, additions, one division and bit operations, inline into the
/// caller's loop (which the compiler vectorises), and skip libm's call and error handling. Their
/// polynomials are evaluated by Estrin's scheme, a shallow tree of independent products, rather than
/// Horner's chain of dependent multiply-adds. They agree with libm to a few units in the last place
/// on their domains (tested in ChinchillaLawTests): exp on [-708, 709] (arguments outside are
/// clamped: exp(-800) returns about 3e-308, not 0), log on positive normal numbers. Callers must
/// keep to these domains (a log-sum-exp shift does).
#ifndef LAWFIT_FAST_MATH_H
#define LAWFIT_FAST_MATH_H

#include <stdint.h>
#include <string.h>

static inline double lawfit_bits_to_double(uint64_t bits) {
    double value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

static inline uint64_t lawfit_double_to_bits(double value) {
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    return bits;
}

/// e^x for x in [-708, 709]; x is clamped to that range.
///
/// x = k ln 2 + r with k = round(x / ln 2) (by adding and subtracting 1.5 * 2^52) and
/// |r| <= ln(2)/2 (ln 2 split in two parts for exact reduction); e^r by its Taylor series to
/// r^12 (truncation below 2e-16 relative); 2^k built directly in the exponent bits.
static inline double lawfit_fast_exp(double x) {
    double clamped = x < -708 ? -708 : x;
    clamped = clamped > 709 ? 709 : clamped;
    const double shifter = 6755399441055744.0;  // 1.5 * 2^52
    double k_shifted = clamped * 1.4426950408889634 + shifter;
    double k = k_shifted - shifter;
    double r = (clamped - k * 0.6931471803691238) - k * 1.9082149292705877e-10;
    double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    double p01 = 1 + r, p23 = 0.5 + r * (1.0 / 6), p45 = 1.0 / 24 + r * (1.0 / 120);
    double p67 = 1.0 / 720 + r * (1.0 / 5040), p89 = 1.0 / 40320 + r * (1.0 / 362880);
    double p1011 = 1.0 / 3628800 + r * (1.0 / 39916800), p12 = 1.0 / 479001600;
    double p = ((p01 + r2 * p23) + r4 * (p45 + r2 * p67)) + r8 * ((p89 + r2 * p1011) + r4 * p12);
    // The low bits of k_shifted hold k in two's complement; 2^k = (k + 1023) << 52.
    double scale = lawfit_bits_to_double((lawfit_double_to_bits(k_shifted) + 1023) << 52);
    return p * scale;
}

/// log x for positive normal x.
///
/// x = 2^k m with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(f) = 2f + f R(f^2) with
/// f = (m - 1)/(m + 1), |f| <= 0.1716, and R the minimax polynomial of fdlibm's `e_log.c`
/// (Lg1...Lg7, error below 2^-58.45 on that range); k ln 2 added in two parts.
static inline double lawfit_fast_log(double x) {
    // Branch-free split (as musl's log): adding 1 - sqrt(1/2) in the bit pattern carries into the
    // exponent exactly when the mantissa is at least sqrt(2); the mantissa bits plus those of
    // sqrt(1/2) then give m in [sqrt(1/2), sqrt(2)). A compare-and-select here would be a branch
    // that mispredicts on half of all points.
    const uint64_t sqrt_half = 0x3FE6A09E667F3BCDull;
    uint64_t shifted = lawfit_double_to_bits(x) + (0x3FF0000000000000ull - sqrt_half);
    double m = lawfit_bits_to_double((shifted & 0x000FFFFFFFFFFFFFull) + sqrt_half);
    // Exponent field as a double, by the 2^52 magic-number conversion.
    double k = lawfit_bits_to_double(0x4330000000000000ull | (shifted >> 52)) - 4503599627371519.0;  // 2^52 + 1023
    double f = (m - 1) / (m + 1);
    double z = f * f, z2 = z * z, z4 = z2 * z2;
    // R(z) = z (Lg1 + Lg2 z + ... + Lg7 z^6), by Estrin's scheme.
    double r01 = 6.666666666666735130e-01 + z * 3.999999999940941908e-01;
    double r23 = 2.857142874366239149e-01 + z * 2.222219843214978396e-01;
    double r45 = 1.818357216161805012e-01 + z * 1.531383769920937332e-01;
    double r6 = 1.479819860511658591e-01;
    double log_m = 2 * f + f * (z * ((r01 + z2 * r23) + z4 * (r45 + z2 * r6)));
    return k * 0.6931471803691238 + (k * 1.9082149292705877e-10 + log_m);
}

#endif
