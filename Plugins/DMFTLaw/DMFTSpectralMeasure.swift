import Foundation
import LawfitCore
import LossCurveSupport
import Numerics

/// The two spectral measures of the random-feature model's feature covariance S = F Lambda F^T / N
/// (P = infinity) that drive SGD, as weighted nodes: every quantity the SGD theory needs is an
/// integral of an entire function f(s) against them,
///
///     F(t) = int e^(-2 s t) dmu(s)        (gradient-flow excess loss above sigma_perp^2),
///     K(t) = int e^(-2 s t) s^2 drho(s)   (the SGD noise kernel tr[S^2 e^(-2 S t)]),
///
/// so int f dmu ~ sum_j 2 Re(f(s_j) muWeight_j) + frozen f(0) and likewise for K (Bordelon,
/// Atanasov & Pehlevan, ICML 2024, Sec. 5 and App. F: the SGD loss is fixed by these two kernels).
///
/// Their Stieltjes transforms follow from the deterministic equivalent of the DMFT (the reference's
/// equations): with kt(z) solving z = kt (1 - D(kt)/N),
///
///     int dmu(s)/(s + z) = (kt U(kt) - sigma_perp^2)/z,        int s^2 drho(s)/(s + z) = tr S - z D(kt)
///
/// (the first derived here from the gradient-flow solution beta*^T S e^(-2 S t) beta* and checked
/// against the reference's two-time inversion `gf_loss` to 1e-10; the second is the reference's
/// `sgd_kernel`).
///
/// - Finite N: S has N eigenvalues in [s_lo, s_hi] (s_lo > 0: the critical points of
///   z(kt) on 0 < kt < kt0 and kt < -lambda_1). int f dmu = -(1/2 pi i) oint f(s) G(s) ds on a closed
///   contour around the support, drawn as an ellipse in log s: log s = c + R cos theta + i delta sin theta
///   (margin 1 beyond each edge, delta = 0.5, so Re s > 0 on it and e^(-2 s t) decays for every t).
///   The trapezoidal rule in theta converges geometrically (22 nodes per unit of R per half: about
///   1e-10 relative against the Talbot inversion of the exact solver for N from 200 to 1e6).
///   The nodes s_j are complex; the lower half is the conjugate of the upper half, hence 2 Re.
///   kt is continued along the contour from the real gap below s_lo (Euler predictor and Newton,
///   step halving on a branch jump).
/// - N = infinity: S = Lambda; the measures are the mode sums themselves on the nodes of
///   ``DMFTModeSums`` (exact modes, then the Euler-Maclaurin/Gauss-Legendre tail), real nodes
///   stored with half weight; the modes beyond k = 1e16 are frozen (s ~ 0).
struct DMFTSpectralMeasure: Sendable {
    /// Node positions s_j (real and imaginary parts).
    var nodeReal: [Double] = [], nodeImaginary: [Double] = []
    /// Weights of mu (the gradient-flow loss) at the nodes.
    var lossReal: [Double] = [], lossImaginary: [Double] = []
    /// Weights of s^2 rho (the SGD noise kernel) at the nodes.
    var kernelReal: [Double] = [], kernelImaginary: [Double] = []
    /// Mass of mu at s = 0 (modes the dynamics cannot reach in any finite time).
    var frozen = 0.0
    /// sigma_perp^2(N): the target power N features cannot represent.
    var unrepresented = 0.0

    /// Ellipse half-height in log s.
    static let height = 0.5
    /// Margin in log s beyond each edge of the support.
    static let margin = 1.0
    /// Nodes per half contour per unit of the ellipse's half-width R.
    static let nodesPerUnit = 22.0
    /// Nodes per half contour times the margin m beyond the support's upper edge when the contour is
    /// pulled in to m < ``margin`` (the trapezoidal rule's error then falls as about e^(-2 half m / delta)).
    static let nodesTimesUpperMargin = 8.0
    /// The largest (1 + 1/B) eta s_hi for which the discrete SGD step counts as stable: within 1 % of
    /// 2, where the top direction of S stops decaying ((1 - eta s)^2 + eta^2 s^2 / B = 1).
    static let stableStepFactor: Double = 2 / 1.01

    /// The upper edge s_hi of the spectrum of S (lambda_1 for N = infinity).
    var upperEdge = 0.0

    /// F(t) = int e^(-2 s t) dmu (the excess gradient-flow loss above sigma_perp^2).
    func gradientFlowLoss(time t: Double) -> Double {
        var total = frozen
        for j in nodeReal.indices {
            let e = Complex<Double>.exp(Complex(-2 * t * nodeReal[j], -2 * t * nodeImaginary[j]))
            total += 2 * (e * Complex(lossReal[j], lossImaginary[j])).real
        }
        return total
    }

    /// K(t) = tr[S^2 e^(-2 S t)].
    func noiseKernel(time t: Double) -> Double {
        var total = 0.0
        for j in nodeReal.indices {
            let e = Complex<Double>.exp(Complex(-2 * t * nodeReal[j], -2 * t * nodeImaginary[j]))
            total += 2 * (e * Complex(kernelReal[j], kernelImaginary[j])).real
        }
        return total
    }

    /// The measures of N features (nil: infinitely many) on the spectrum of `sums`.
    ///
    /// `stepFactor`, the largest (1 + 1/B) eta of the discrete SGD runs the measure will serve (nil:
    /// none, or the continuum form), pulls the finite-N contour's right end in when the default end
    /// e s_hi would pass halfway to s* = 2 / stepFactor, at which the discrete step's growth factor
    /// g(s) = 1 - 2 eta s + eta^2 (1 + 1/B) s^2 is 1 and beyond which it grows. Past s*, |g| reaches 2
    /// on the outer nodes, so g^k grows there while the true loss decays and the node sum cancels
    /// catastrophically (a = 2.2, b = 1.5, M = 1000, N = 16, eta = 0.3: -41256 at step 40 instead of
    /// 0.413). The end goes halfway in log s between s_hi and s* (at s* itself |g| ~ 1 and g^k
    /// oscillates faster than the nodes resolve), with at least ``nodesTimesUpperMargin`` / margin
    /// nodes per half: |g| <= 1 on every node for every rate up to the largest (DMFTScheduleGuardTests).
    /// The margin is at least half of log 1.01: a rate that would need less is past
    /// ``stableStepFactor``, and the recursion reports it as diverged. `density` multiplies the node
    /// count (tests check convergence with it).
    ///
    /// - Throws: ``LawfitError`` (input) when N is not below the number of modes; (fit) when the
    ///   continuation along the contour fails.
    init(sums: DMFTModeSums, features: Double?, stepFactor: Double? = nil, density: Double = 1) throws {
        guard let n = features else {
            self.init(modes: sums)
            return
        }
        self.init()
        guard n.isFinite, n > 0 else { throw LawfitError.input("DMFT SGD law: N must be positive and finite (or infinite), got \(n)") }
        let kt0 = try wrap { try sums.criticalRidge(n) }
        unrepresented = kt0 * sums.real(kt0).u
        let inverseN = 1 / n
        func z(_ kt: Double) -> Double { kt * (1 - sums.real(kt).d * inverseN) }
        // Support edges: s_lo = -min z on (0, kt0) (the gap above 0), s_hi = -max z on kt < -lambda_1
        // (kt = -lambda_1 - e^v, v >= log lambda_1 - 25 so that the pole stays resolved in Double).
        let logKt0 = Foundation.log(kt0)
        let lowest = Self.minimise(in: (logKt0 - 80)...logKt0) { z(Foundation.exp($0)) }
        let top = sums.lambda[0]
        let highest = Self.minimise(in: (Foundation.log(top) - 25)...(Foundation.log(top) + 20)) { -z(-top - Foundation.exp($0)) }
        let lower = -z(Foundation.exp(lowest)), upper = z(-top - Foundation.exp(highest))
        guard lower > 0, -upper > lower else {
            throw LawfitError.fit("DMFT SGD law: no spectral gap found for N = \(n) (a = \(sums.a), b = \(sums.b))")
        }
        upperEdge = -upper
        let uLow = Foundation.log(lower) - Self.margin
        var upperMargin = Self.margin
        if let stepFactor, stepFactor > 0 {
            // Halfway (in log s) between the support's edge and s* = 2 / stepFactor, at least halfway
            // to the 1 % band where the recursion reports divergence.
            let room = max(Foundation.log(2 / stepFactor) - Foundation.log(-upper), Foundation.log(2 / Self.stableStepFactor))
            upperMargin = min(upperMargin, 0.5 * room)
        }
        let uHigh = Foundation.log(-upper) + upperMargin
        let center = 0.5 * (uLow + uHigh), radius = 0.5 * (uHigh - uLow)
        let half = Int((density * max(32, Self.nodesPerUnit * radius, Self.nodesTimesUpperMargin / upperMargin)).rounded(.up))
        let count = 2 * half
        // Start on the real axis inside the gap (theta = pi: s = e^(c - R) < s_lo), where kt is
        // real in (kt_c, kt0) and z(kt) increases from -s_lo to 0: bisection in log kt.
        let zStart = -Foundation.exp(center - radius)
        var lo = lowest, hi = logKt0
        while hi - lo > 1e-10 * max(1, abs(hi)) {  // a start for Newton, which polishes it
            let mid = 0.5 * (lo + hi)
            if z(Foundation.exp(mid)) < zStart { lo = mid } else { hi = mid }
        }
        let path = ContourPath(sums: sums, inverseN: inverseN, center: center, radius: radius)
        var node = try path.solve(theta: .pi, from: Complex(Foundation.exp(0.5 * (lo + hi)), 0))
        for j in stride(from: half - 1, through: 0, by: -1) {
            let theta = 2 * Double.pi * (Double(j) + 0.5) / Double(count)
            node = try path.advance(node, to: theta)
            let s = path.point(theta), ds = path.derivative(theta)  // d log s / d theta
            let kt = node.kt
            let d = sums.resolvent(kt).d
            // -(1/2 pi i) f(s) G(s) s (d log s/d theta) (2 pi / count), G(s) = transform at z = -s.
            let scale = Complex<Double>(0, 1).multiplied(by: 1 / Double(count)) * ds  // i dlog s / count; -1/i = i
            let loss = (kt * sums.power(kt) - Complex(unrepresented, 0)) * (Complex(-1) / s)  // transform of mu at z = -s
            let kernel = s * d  // tr S - z D at z = -s, without tr S (its contour integral vanishes)
            let wl = scale * loss * s, wk = scale * kernel * s
            nodeReal.append(s.real); nodeImaginary.append(s.imaginary)
            lossReal.append(wl.real); lossImaginary.append(wl.imaginary)
            kernelReal.append(wk.real); kernelImaginary.append(wk.imaginary)
        }
    }

    /// No nodes (filled by the initialisers above).
    private init() {}

    /// N = infinity: S = Lambda, the mode sums' own nodes (half weight each, real).
    private init(modes sums: DMFTModeSums) {
        self.init()
        for i in sums.lambda.indices {
            let lambda = sums.lambda[i]
            nodeReal.append(lambda); nodeImaginary.append(0)
            lossReal.append(0.5 * sums.powerWeight[i]); lossImaginary.append(0)
            kernelReal.append(0.5 * sums.lambdaWeight[i] * lambda); kernelImaginary.append(0)
        }
        frozen = sums.tailU
        upperEdge = sums.lambda.max() ?? 0
    }

    /// argmin of f on `range`: a 160-point scan, then golden section around the best point to 1e-8
    /// (the support's edges only place the contour, which keeps a margin of 1 in log s beyond them).
    static func minimise(in range: ClosedRange<Double>, _ f: (Double) -> Double) -> Double {
        let count = 160
        let grid = (0...count).map { range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(count) }
        let values = grid.map(f)
        let best = values.indices.min { values[$0] < values[$1] }!
        let bracket = GoldenSection.narrow(
            lower: grid[max(best - 1, 0)], upper: grid[min(best + 1, count)], ratio: 0.618_033_988_749_894_8,
            until: { lo, hi in !(hi - lo > 1e-8 * max(1, abs(hi))) }, f)
        return 0.5 * (bracket.lower + bracket.upper)
    }
}

/// kt(z) along the contour z = -s(theta), log s(theta) = c + R cos theta + i delta sin theta.
private struct ContourPath {
    let sums: DMFTModeSums
    let inverseN: Double
    let center: Double, radius: Double

    struct Node {
        var theta: Double
        var kt: Complex<Double>
        /// d kt / d theta at the node (for the Euler predictor).
        var slope: Complex<Double>
    }

    func point(_ theta: Double) -> Complex<Double> {
        Complex.exp(Complex(center + radius * Foundation.cos(theta), DMFTSpectralMeasure.height * Foundation.sin(theta)))
    }

    /// d log s / d theta.
    func derivative(_ theta: Double) -> Complex<Double> {
        Complex(-radius * Foundation.sin(theta), DMFTSpectralMeasure.height * Foundation.cos(theta))
    }

    /// Newton's method for kt (1 - D(kt)/N) = -s(theta) from `start`; nil without convergence.
    func solve(theta: Double, from start: Complex<Double>, iterations: Int = 40) -> Node? {
        let s = point(theta)
        var kt = start
        for _ in 0..<iterations {
            let (d, dd) = sums.resolvent(kt)
            let f = kt * (1 - d.multiplied(by: inverseN)) + s
            let fp = (1 - d.multiplied(by: inverseN)) - (kt * dd).multiplied(by: inverseN)
            let step = f / fp
            kt = kt - step
            guard kt.isFinite else { return nil }
            if step.length <= 1e-14 * kt.length {
                // dkt/dtheta = -(ds/dtheta) / F'(kt) with ds/dtheta = s dlog s/dtheta.
                return Node(theta: theta, kt: kt, slope: -(s * derivative(theta)) / fp)
            }
        }
        return nil
    }

    func solve(theta: Double, from start: Complex<Double>) throws -> Node {
        guard let node = solve(theta: theta, from: start) else {
            throw LawfitError.fit("DMFT SGD law: Newton failed on the spectral contour at theta = \(theta)")
        }
        return node
    }

    /// Continues from `from` to theta, halving the step while the corrector moves the predicted point
    /// by more than half the predicted step (a sign of a branch jump).
    func advance(_ from: Node, to theta: Double, depth: Int = 0) throws -> Node {
        let guess = from.kt + from.slope.multiplied(by: theta - from.theta)
        if let node = solve(theta: theta, from: guess, iterations: 12) {
            let corrector = (node.kt - guess).length
            if corrector <= 0.5 * (guess - from.kt).length || corrector <= 1e-9 * node.kt.length { return node }
        }
        guard depth < 20 else {
            throw LawfitError.fit("DMFT SGD law: continuation along the spectral contour failed near theta = \(theta)")
        }
        let middle = try advance(from, to: 0.5 * (from.theta + theta), depth: depth + 1)
        return try advance(middle, to: theta, depth: depth + 1)
    }
}
