import Foundation
import Numerics

/// The mode sums of the power-law random-feature model, evaluated fast enough for LLM-scale N, P, t.
///
/// Spectrum lambda_k = k^-b and task power lambda_k w*_k^2 = k^-a (Bordelon, Atanasov, Pehlevan,
/// ICML 2024, Sec. 2; LAWS.md §3). The two resolvent sums of the theory are
///
///     D(kt) = sum_k lambda_k / (lambda_k + kt),    U(kt) = sum_k k^-a / (lambda_k + kt).
///
/// Modes 1...K are summed exactly. The tail k > K is the integral from K + 1/2 (midpoint
/// Euler-Maclaurin) with the first end correction f'(K + 1/2)/24 ~ (f(K + 1) - f(K))/24, written as
/// two extra weighted nodes, computed by composite 5-point Gauss-Legendre in log k on panels of
/// width 0.2; beyond k = 1e16 (infinite spectrum) the leading term 1/(kt k^b) is integrated in
/// closed form. With `modes = M` the spectrum stops at k = M (the simulator's setting). Every sum
/// is a weighted sum over one node table, so D, dD/dkt and U are mutually consistent.
struct DMFTModeSums: Sendable {
    let a: Double
    let b: Double
    /// Number of modes; `nil` for the infinite spectrum.
    let modes: Int?
    /// Eigenvalue at each node.
    let lambda: [Double]
    /// weight * lambda at each node.
    let lambdaWeight: [Double]
    /// weight * k^-a at each node (the nodes' target power: the spectral measure of the loss).
    let powerWeight: [Double]
    /// Closed-form remainder beyond the last node: D += tailD / kt, U += tailU / kt (tailU is the
    /// target power of the modes beyond the last node).
    let tailD: Double
    let tailU: Double

    /// Modes summed exactly before the quadrature takes over.
    static let exactModes = 100
    /// Upper end of the quadrature for the infinite spectrum.
    static let quadratureEnd = 1e16
    /// Panel width in log k.
    static let panelWidth = 0.2

    init(a: Double, b: Double, modes: Int? = nil) {
        self.a = a
        self.b = b
        self.modes = modes
        var k: [Double] = []
        var w: [Double] = []
        let exact = min(Self.exactModes, modes ?? Self.exactModes)
        for j in 1...exact {
            k.append(Double(j))
            w.append(1)
        }
        var tailD = 0.0, tailU = 0.0
        let end = modes.map { Double($0) + 0.5 } ?? Self.quadratureEnd
        let start = Double(exact) + 0.5
        if end > start + 1 {
            // Euler-Maclaurin corrections at the lower (and, for a finite spectrum, upper) end.
            w[exact - 1] -= 1.0 / 24
            k.append(Double(exact + 1)); w.append(1.0 / 24)
            if let modes {
                k.append(Double(modes)); w.append(1.0 / 24)
                k.append(Double(modes + 1)); w.append(-1.0 / 24)
            }
            let u0 = Foundation.log(start), u1 = Foundation.log(end)
            let panels = Int(((u1 - u0) / Self.panelWidth).rounded(.up))
            let h = (u1 - u0) / Double(panels)
            for p in 0..<panels {
                let mid = u0 + (Double(p) + 0.5) * h
                for (x, gw) in zip(GaussLegendre.nodes5, GaussLegendre.weights5) {
                    let u = mid + 0.5 * h * x
                    let kk = Foundation.exp(u)
                    k.append(kk)
                    w.append(0.5 * h * gw * kk)  // dk = k du
                }
            }
            if modes == nil {
                tailD = Foundation.pow(end, 1 - b) / (b - 1)
                tailU = Foundation.pow(end, 1 - a) / (a - 1)
            }
        } else if let modes, modes > exact {
            for j in (exact + 1)...modes {
                k.append(Double(j)); w.append(1)
            }
        }
        lambda = k.map { Foundation.pow($0, -b) }
        lambdaWeight = zip(lambda, w).map { $0 * $1 }
        powerWeight = zip(k, w).map { Foundation.pow($0, -a) * $1 }
        self.tailD = tailD
        self.tailU = tailU
    }

    /// Number of nodes in the sums (the cost of one evaluation).
    var nodeCount: Int { lambda.count }

    /// The total number of modes as a Double (infinite for the infinite spectrum).
    var modeCount: Double { modes.map(Double.init) ?? .infinity }

    /// D(kt) and dD/dkt at a complex kt.
    @inline(__always)
    func resolvent(_ kt: Complex<Double>) -> (d: Complex<Double>, dd: Complex<Double>) {
        let kr = kt.real, ki = kt.imaginary
        var dr = 0.0, di = 0.0, ddr = 0.0, ddi = 0.0
        lambda.withUnsafeBufferPointer { lam in
            lambdaWeight.withUnsafeBufferPointer { lw in
                for i in 0..<lam.count {
                    let xr = lam[i] + kr
                    let inv = 1 / (xr * xr + ki * ki)
                    let qr = xr * inv, qi = -ki * inv  // 1 / (lambda + kt)
                    let c = lw[i]
                    dr += c * qr
                    di += c * qi
                    ddr -= c * (qr * qr - qi * qi)
                    ddi -= c * (2 * qr * qi)
                }
            }
        }
        let inv = Complex(1) / kt
        return (Complex(dr, di) + inv.multiplied(by: tailD), Complex(ddr, ddi) - inv.multiplied(by: tailD) * inv)
    }

    /// U(kt) at a complex kt.
    func power(_ kt: Complex<Double>) -> Complex<Double> {
        let kr = kt.real, ki = kt.imaginary
        var ur = 0.0, ui = 0.0
        lambda.withUnsafeBufferPointer { lam in
            powerWeight.withUnsafeBufferPointer { pw in
                for i in 0..<lam.count {
                    let xr = lam[i] + kr
                    let inv = 1 / (xr * xr + ki * ki)
                    ur += pw[i] * xr * inv
                    ui -= pw[i] * ki * inv
                }
            }
        }
        return Complex(ur, ui) + Complex(tailU) / kt
    }

    /// D, dD/dkt, U and dU/dkt at a real kt > 0.
    func real(_ kt: Double) -> (d: Double, dd: Double, u: Double, du: Double) {
        var d = 0.0, dd = 0.0, u = 0.0, du = 0.0
        lambda.withUnsafeBufferPointer { lam in
            lambdaWeight.withUnsafeBufferPointer { lw in
                powerWeight.withUnsafeBufferPointer { pw in
                    for i in 0..<lam.count {
                        let q = 1 / (lam[i] + kt)
                        d += lw[i] * q
                        dd -= lw[i] * q * q
                        u += pw[i] * q
                        du -= pw[i] * q * q
                    }
                }
            }
        }
        return (d + tailD / kt, dd - tailD / (kt * kt), u + tailU / kt, du - tailU / (kt * kt))
    }

    /// The kt > 0 with D(kt) = n: the renormalised ridge of n features (or samples) at t = infinity.
    ///
    /// - Throws: ``DMFTError`` when n is not below the number of modes.
    func criticalRidge(_ n: Double) throws -> Double {
        guard n > 0, n < modeCount else {
            throw DMFTError("a size of \(n) needs 0 < size < number of modes (\(modeCount))")
        }
        // D is decreasing in kt; bisection on log kt, then Newton polish.
        var lo = -745.0, hi = 50.0
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if real(Foundation.exp(mid)).d > n { lo = mid } else { hi = mid }
            if hi - lo < 1e-3 { break }
        }
        var x = Foundation.exp(0.5 * (lo + hi))
        for _ in 0..<30 {
            let r = real(x)
            let step = (r.d - n) / r.dd
            let next = x - step
            x = next > 0 ? next : 0.5 * x
            if abs(step) < 1e-15 * x { break }
        }
        return x
    }

    /// sigma_perp^2(N) = kt0 U(kt0) with D(kt0) = N: the part of the target N features cannot
    /// represent (the t, P -> infinity loss); zero for N = infinity.
    func unrepresentedPower(_ n: Double?) throws -> Double {
        guard let n else { return 0 }
        let kt0 = try criticalRidge(n)
        return kt0 * real(kt0).u
    }
}

/// A numerical failure of the DMFT solver (no convergence, a size the spectrum cannot carry).
struct DMFTError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Gauss-Legendre rules.
enum GaussLegendre {
    /// 5-point nodes on [-1, 1].
    static let nodes5: [Double] = [
        -0.906_179_845_938_664_0, -0.538_469_310_105_683_1, 0, 0.538_469_310_105_683_1, 0.906_179_845_938_664_0,
    ]
    /// 5-point weights.
    static let weights5: [Double] = [
        0.236_926_885_056_189_1, 0.478_628_670_499_366_5, 0.568_888_888_888_888_9, 0.478_628_670_499_366_5,
        0.236_926_885_056_189_1,
    ]
}
