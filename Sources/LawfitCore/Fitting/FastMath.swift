/// Branch-free exp and log for evaluator hot paths (millions of points per second of fitting).
///
/// Both use only multiplications, additions, one division and bit operations, inline into the
/// caller's loop, and skip libm's call and error handling (about 1.4x faster than libm per
/// Chinchilla point). A SIMD4 version was 22 % faster still in release builds but 16x slower in
/// debug builds (unspecialised generic SIMD operators), which the test suite runs; so scalar it is. They
/// agree with libm to a few units in the last place on their domains (tested): exp on
/// [-708, 709] (arguments outside are clamped: exp(-800) returns about 3e-308, not 0), log on
/// positive normal numbers. Callers must keep to these domains (a log-sum-exp shift does).
public enum FastMath {
    /// e^x for x in [-708, 709]; x is clamped to that range.
    ///
    /// x = k ln 2 + r with k = round(x / ln 2) (by adding and subtracting 1.5 * 2^52) and
    /// |r| <= ln(2)/2 (ln 2 split in two parts for exact reduction); e^r by its Taylor series to
    /// r^12 (truncation below 2e-16 relative); 2^k built directly in the exponent bits.
    @inlinable @inline(__always)
    public static func exp(_ x: Double) -> Double {
        let clamped = Swift.min(Swift.max(x, -708), 709)
        let shifter = 6755399441055744.0  // 1.5 * 2^52
        let kShifted = clamped * 1.4426950408889634 + shifter
        let k = kShifted - shifter
        let r = (clamped - k * 0.6931471803691238) - k * 1.9082149292705877e-10
        var p = 1.0 / 479001600
        p = p * r + 1.0 / 39916800
        p = p * r + 1.0 / 3628800
        p = p * r + 1.0 / 362880
        p = p * r + 1.0 / 40320
        p = p * r + 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        // The low bits of kShifted hold k in two's complement; 2^k = (k + 1023) << 52.
        let scale = Double(bitPattern: (kShifted.bitPattern &+ 1023) &<< 52)
        return p * scale
    }

    /// log x for positive normal x.
    ///
    /// x = 2^k m with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(f) with f = (m - 1)/(m + 1),
    /// |f| <= 0.172, by its odd series to f^23 (truncation below 1e-17); k ln 2 added in two parts.
    @inlinable @inline(__always)
    public static func log(_ x: Double) -> Double {
        let bits = x.bitPattern
        // Mantissa with exponent 0: m in [1, 2).
        var m = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
        // Exponent field as a double, by the 2^52 magic-number conversion.
        var k = Double(bitPattern: 0x4330_0000_0000_0000 | (bits &>> 52)) - 4503599627371519  // 2^52 + 1023
        let high = m > 1.4142135623730951
        m = high ? m * 0.5 : m
        k = high ? k + 1 : k
        let f = (m - 1) / (m + 1)
        let f2 = f * f
        var s = 1.0 / 23
        s = s * f2 + 1.0 / 21
        s = s * f2 + 1.0 / 19
        s = s * f2 + 1.0 / 17
        s = s * f2 + 1.0 / 15
        s = s * f2 + 1.0 / 13
        s = s * f2 + 1.0 / 11
        s = s * f2 + 1.0 / 9
        s = s * f2 + 1.0 / 7
        s = s * f2 + 1.0 / 5
        s = s * f2 + 1.0 / 3
        let logM = 2 * f + 2 * f * f2 * s
        return k * 0.6931471803691238 + (k * 1.9082149292705877e-10 + logM)
    }
}
