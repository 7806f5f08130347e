import Foundation

/// In-sample goodness of fit: the objective, two log-likelihoods and the information criteria.
///
/// Residuals r_i are those of the fit (log Lhat - log L in log space, Lhat - L in linear space), so a
/// log-space likelihood is the density of log L. Both likelihoods have a noise scale sigma fitted by
/// maximum likelihood at the fitted law parameters; since sigma does not change which law parameters
/// maximise either likelihood (the least-squares fit maximises the Gaussian one, the Huber fit the
/// Huber one), (theta, sigma) is the joint maximum.
///
/// - Gaussian: sigma^2 = (1/n) sum r^2, log L = -(n/2)(log(2 pi sigma^2) + 1).
/// - Huber (Epoch AI 2024, Besiroglu et al., arXiv 2404.10102, sec. 2): p(r) = exp(-h(r)/s) / Z(s),
///   h the Huber penalty with threshold delta (r^2/2 inside, delta(|r| - delta/2) outside) and
///   Z(s) = 2 [sqrt(pi s / 2) erf(delta / sqrt(2 s)) + (s / delta) exp(-delta^2 / (2 s))];
///   log L = -(1/s) sum h(r_i) - n log Z(s), s at its maximum (``huberScale(penaltySum:count:delta:)``).
///
/// Criteria use the likelihood that matches the objective (squared -> Gaussian, Huber -> Huber) and
/// k = law parameters + 1 (the noise scale is a fitted parameter too):
/// AIC = 2k - 2 log L; AICc = AIC + 2k(k+1)/(n-k-1) (nil when n <= k + 1); BIC = k log n - 2 log L.
/// Only differences between laws fitted to the same points in the same space mean anything.
public struct InSampleCriteria: Sendable, Hashable, Codable {
    /// Number of points fitted.
    public var points: Int
    /// k: law parameters + 1 for the noise scale.
    public var parameters: Int
    /// The fit objective (sum of penalties).
    public var objective: Double
    public var gaussianLogLikelihood: Double
    /// The Huber log-likelihood, when the objective is Huber.
    public var huberLogLikelihood: Double?
    /// `gaussian` or `huber`: which likelihood the criteria use.
    public var likelihood: String
    public var aic: Double
    public var aicc: Double?
    public var bic: Double

    enum CodingKeys: String, CodingKey {
        case points, parameters, objective, gaussianLogLikelihood = "gaussian_log_likelihood"
        case huberLogLikelihood = "huber_log_likelihood", likelihood, aic, aicc, bic
    }

    /// Criteria for residuals of a fit with `lawParameters` parameters under `loss`.
    public init(residuals: [Double], lawParameters: Int, loss: ResidualLoss) throws {
        let n = residuals.count
        guard n > 0 else { throw LawfitError.fit("no residuals to compute a likelihood from") }
        guard residuals.allSatisfy(\.isFinite) else { throw LawfitError.fit("a residual is not finite") }
        points = n
        parameters = lawParameters + 1
        objective = residuals.reduce(0) { $0 + loss.value($1) }
        gaussianLogLikelihood = Self.gaussianLogLikelihood(residuals)
        let logLikelihood: Double
        switch loss {
        case .squared:
            huberLogLikelihood = nil
            likelihood = "gaussian"
            logLikelihood = gaussianLogLikelihood
        case .huber(let delta):
            let h = Self.huberLogLikelihood(residuals, delta: delta)
            huberLogLikelihood = h
            likelihood = "huber"
            logLikelihood = h
        }
        let k = Double(parameters), count = Double(n)
        aic = 2 * k - 2 * logLikelihood
        aicc = n - parameters - 1 > 0 ? aic + 2 * k * (k + 1) / (count - k - 1) : nil
        bic = k * Foundation.log(count) - 2 * logLikelihood
    }

    /// Gaussian log-likelihood with the maximum-likelihood variance (1/n) sum r^2.
    ///
    /// Perfect residuals (all zero) make it infinite; the variance is floored at 1e-300.
    public static func gaussianLogLikelihood(_ residuals: [Double]) -> Double {
        let n = Double(residuals.count)
        let variance = max(residuals.reduce(0) { $0 + $1 * $1 } / n, 1e-300)
        return -0.5 * n * (Foundation.log(2 * Double.pi * variance) + 1)
    }

    /// log Z(s) for the Huber density exp(-h_delta(r)/s) / Z(s).
    public static func huberLogNormaliser(scale s: Double, delta: Double) -> Double {
        Foundation.log(huberNormaliser(scale: s, delta: delta))
    }

    /// Z(s) = 2 [sqrt(pi s / 2) erf(delta / sqrt(2 s)) + (s / delta) exp(-delta^2 / (2 s))], the
    /// Huber density's normaliser (the Gaussian core within delta, the exponential tails beyond).
    static func huberNormaliser(scale s: Double, delta: Double) -> Double {
        let a = delta / (2 * s).squareRoot()
        return 2 * ((Double.pi * s / 2).squareRoot() * erf(a) + (s / delta) * Foundation.exp(-a * a))
    }

    /// The maximum-likelihood scale s of the Huber density for a penalty sum S = sum h(r_i) over
    /// n points: the root of S/n = E_s[h], i.e. S = n s^2 Z'(s)/Z(s) with
    /// Z'(s) = 2 [sqrt(pi/(8 s)) erf(delta/sqrt(2 s)) + exp(-delta^2/(2 s))/delta], found by bisection
    /// on log s (E_s[h] increases with s).
    public static func huberScale(penaltySum: Double, count: Int, delta: Double) -> Double {
        let target = max(penaltySum / Double(count), 1e-300)
        func meanPenalty(_ s: Double) -> Double {
            let a = delta / (2 * s).squareRoot()
            let z = huberNormaliser(scale: s, delta: delta)
            let dz = 2 * ((Double.pi / (8 * s)).squareRoot() * erf(a) + Foundation.exp(-a * a) / delta)
            return s * s * dz / z
        }
        var low = Foundation.log(1e-300), high = Foundation.log(1e300)
        for _ in 0..<200 {
            let mid = 0.5 * (low + high)
            if meanPenalty(Foundation.exp(mid)) < target { low = mid } else { high = mid }
        }
        return Foundation.exp(0.5 * (low + high))
    }

    /// Huber log-likelihood at the maximum-likelihood scale.
    public static func huberLogLikelihood(_ residuals: [Double], delta: Double) -> Double {
        let penalty = residuals.reduce(0) { $0 + ResidualLoss.huber(delta: delta).value($1) }
        let s = huberScale(penaltySum: penalty, count: residuals.count, delta: delta)
        return -penalty / s - Double(residuals.count) * huberLogNormaliser(scale: s, delta: delta)
    }
}
