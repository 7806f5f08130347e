import Foundation
import LawfitCore

/// The sampling standard deviation of each parameter of a log-space fit to data with Gaussian noise
/// of standard deviation `noise` on log L (what ``syntheticRuns(_:truth:points:noise:seed:)`` makes),
/// from the Fisher information at the truth, computed independently of the fitter and the bootstrap.
///
/// Linearising the law at the truth, the M-estimate with penalty rho has the asymptotic covariance
/// v (J^T J)^-1 (Huber 1964; Huber and Ronchetti, Robust Statistics, 2nd ed. 2009, sec. 7.6), with
/// J_ij = d log L_i / d theta_j (central differences here, not the law's analytic Jacobian) and
/// v = E[psi(e)^2] / E[psi'(e)]^2 for e ~ N(0, noise^2): noise^2 for squared error, and for Huber
/// with threshold delta = k noise, noise^2 [2 Phi(k) - 1 - 2 k phi(k) + 2 k^2 (1 - Phi(k))] / (2 Phi(k) - 1)^2.
public func linearizedStandardErrors(
    _ law: any ScalingLaw, truth: [Double], points: [Observation], noise: Double, loss: ResidualLoss
) throws -> [Double] {
    let evaluator = try law.makeEvaluator(for: [Run(name: "grid", observations: points)])
    let p = truth.count, n = evaluator.count
    // Columns scaled by each parameter's size (d log L / d log theta), so J^T J is well conditioned.
    let scale = truth.map { $0 == 0 ? 1 : abs($0) }
    var jacobian = [[Double]](repeating: [Double](repeating: 0, count: p), count: n)
    for j in 0..<p {
        let h = 1e-5 * scale[j]
        var up = truth, down = truth
        up[j] += h
        down[j] -= h
        let plus = evaluator.predict(up), minus = evaluator.predict(down)
        for i in 0..<n { jacobian[i][j] = (Foundation.log(plus[i]) - Foundation.log(minus[i])) / (2 * h) * scale[j] }
    }
    var information = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
    for row in jacobian {
        for a in 0..<p { for b in 0..<p { information[a][b] += row[a] * row[b] } }
    }
    let inverse = try invertSymmetric(information)
    let variance = noise * noise * mEstimatorVarianceFactor(loss, noise: noise)
    return (0..<p).map { scale[$0] * (variance * inverse[$0][$0]).squareRoot() }
}

/// E[psi^2] / (noise^2 E[psi']^2) for Gaussian errors of standard deviation `noise`: 1 for squared
/// error, above 1 for Huber (pi/2 as delta / noise goes to 0, least absolute deviations).
public func mEstimatorVarianceFactor(_ loss: ResidualLoss, noise: Double) -> Double {
    guard case .huber(let delta) = loss else { return 1 }
    let k = delta / noise
    let inside = Foundation.erf(k / 2.0.squareRoot())  // 2 Phi(k) - 1 = P(|e| < delta)
    let density = Foundation.exp(-k * k / 2) / (2 * Double.pi).squareRoot()  // phi(k)
    let psiSquared = inside - 2 * k * density + k * k * Foundation.erfc(k / 2.0.squareRoot())
    return psiSquared / (inside * inside)
}

/// The inverse of a symmetric positive definite matrix by Gauss-Jordan elimination with partial pivoting.
func invertSymmetric(_ matrix: [[Double]]) throws -> [[Double]] {
    let p = matrix.count
    var a = matrix.enumerated().map { i, row in row + (0..<p).map { $0 == i ? 1.0 : 0.0 } }
    for column in 0..<p {
        let pivot = (column..<p).max { abs(a[$0][column]) < abs(a[$1][column]) }!
        guard abs(a[pivot][column]) > 1e-300 else { throw LawfitError.fit("the Fisher information is singular") }
        a.swapAt(column, pivot)
        let divisor = a[column][column]
        a[column] = a[column].map { $0 / divisor }
        for row in 0..<p where row != column {
            let factor = a[row][column]
            if factor != 0 { a[row] = zip(a[row], a[column]).map { $0 - factor * $1 } }
        }
    }
    return a.map { Array($0[p...]) }
}

/// How a bootstrap's intervals compare with the linearised theory: the full fit's distance from
/// the truth in standard errors, and the interval's width over the normal interval's 2 z se.
public struct LinearizedCheck: CustomStringConvertible, Sendable {
    public var bootstrap: BootstrapCheck
    public var standardError: Double

    /// |estimate - truth| / se: a standard normal's absolute value when the linearisation holds.
    public var distance: Double { abs(bootstrap.interval.estimate - bootstrap.truth) / standardError }
    /// Bootstrap interval width over the normal interval's width 2 x 1.96 se (near 1).
    public var widthRatio: Double { (bootstrap.interval.upper - bootstrap.interval.lower) / (2 * 1.959964 * standardError) }

    public var description: String {
        String(format: "%@: estimate %.6g, truth %.6g, se %.3g, |estimate - truth| / se %.2f, width / (3.92 se) %.2f",
               bootstrap.name, bootstrap.interval.estimate, bootstrap.truth, standardError, distance, widthRatio)
    }
}

/// Prints every check under `label` and returns those that fail: a full fit further than
/// `maxDistance` standard errors from the truth, or a bootstrap interval whose width is outside
/// `widthRatio` times the normal interval's.
public func linearizedFailures(
    _ checks: [BootstrapCheck], standardErrors: [Double], maxDistance: Double, widthRatio: ClosedRange<Double>, label: String
) -> [String] {
    guard checks.count == standardErrors.count else { return ["\(checks.count) intervals for \(standardErrors.count) standard errors"] }
    var failures: [String] = []
    for (bootstrap, se) in zip(checks, standardErrors) {
        let check = LinearizedCheck(bootstrap: bootstrap, standardError: se)
        print("\(label), \(check)")
        if !(check.distance <= maxDistance) { failures.append("estimate more than \(maxDistance) se from the truth: \(check)") }
        if !widthRatio.contains(check.widthRatio) { failures.append("width outside \(widthRatio) x 3.92 se: \(check)") }
    }
    return failures
}

/// The data seeds a statistical test runs: `[fallback]`, or the seeds listed in the environment
/// variable LAWFIT_TEST_SEEDS ("1-12" or "1,5,9"), to re-measure the spread its limits allow:
/// `LAWFIT_TEST_SEEDS=1-12 swift test --skip-build --filter noisyRecovery`.
public func statisticalTestSeeds(fallback: UInt64) -> [UInt64] {
    guard let text = ProcessInfo.processInfo.environment["LAWFIT_TEST_SEEDS"], !text.isEmpty else { return [fallback] }
    return text.split(separator: ",").flatMap { part -> [UInt64] in
        let bounds = part.split(separator: "-").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
        guard let first = bounds.first else { return [] }
        return Array(first...(bounds.count > 1 ? max(first, bounds[1]) : first))
    }
}
