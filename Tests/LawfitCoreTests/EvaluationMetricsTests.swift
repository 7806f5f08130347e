import Foundation
import Testing
@testable import LawfitCore

// Reference values computed by hand and with numpy/scipy (scipy.integrate.quad for the Huber
// normaliser, minimize_scalar for its maximum-likelihood scale).

@Suite("Evaluation: metrics and criteria")
struct EvaluationMetricsTests {
    @Test("Prediction metrics on two points, by hand")
    func metrics() throws {
        let m = try PredictionMetrics(predicted: [2, 4], observed: [1, 5])
        // errors 1, -1; relative 1, 0.2; mean L 3, SS_tot 8, SS_res 2.
        #expect(m.count == 2)
        #expect(m.rmse == 1)
        #expect(m.mae == 1)
        #expect(abs(m.meanRelativeError - 0.6) < 1e-15)
        #expect(m.maxRelativeError == 1)
        #expect(abs(m.r2! - 0.75) < 1e-15)
        // log errors log 2, log 0.8.
        #expect(abs(m.logRMSE - 0.5149009897112836) < 1e-14)
        #expect(abs(m.logMAE - 0.4581453659370775) < 1e-14)
        #expect(abs(m.logR2! - 0.5905894878476974) < 1e-13)
        #expect(HeldOutMetric.logRMSE.evaluate(predicted: [2, 4], observed: [1, 5]) == m.logRMSE)
        #expect(HeldOutMetric.meanRelativeError.evaluate(predicted: [2, 4], observed: [1, 5]) == m.meanRelativeError)
    }

    @Test("R^2 is undefined for constant observations; bad values throw")
    func degenerate() throws {
        #expect(try PredictionMetrics(predicted: [1, 2], observed: [3, 3]).r2 == nil)
        #expect(throws: LawfitError.self) { try PredictionMetrics(predicted: [-1], observed: [1]) }
        #expect(throws: LawfitError.self) { try PredictionMetrics(predicted: [], observed: []) }
    }

    @Test("Gaussian log-likelihood, AIC, AICc, BIC with k = law parameters + 1")
    func gaussianCriteria() throws {
        let c = try InSampleCriteria(residuals: [0.1, -0.1, 0.2, -0.2], lawParameters: 3, loss: .squared)
        // sigma^2 = 0.025; log L = -2 (log(2 pi 0.025) + 1).
        #expect(abs(c.gaussianLogLikelihood - 1.7020047754091814) < 1e-13)
        #expect(c.parameters == 4)
        #expect(c.likelihood == "gaussian")
        #expect(abs(c.objective - 0.1) < 1e-15)
        #expect(abs(c.aic - 4.595990449181637) < 1e-12)
        #expect(abs(c.bic - 2.1411678936611995) < 1e-12)
        #expect(c.aicc == nil)  // n - k - 1 = -1
        let more = try InSampleCriteria(residuals: Array(repeating: [0.1, -0.1], count: 5).flatMap { $0 }, lawParameters: 2, loss: .squared)
        // n = 10, k = 3: AICc = AIC + 2*3*4/6 = AIC + 4.
        #expect(abs(more.aicc! - (more.aic + 4)) < 1e-12)
    }

    @Test("Huber normaliser matches numerical integration")
    func huberNormaliser() {
        let z = Foundation.exp(InSampleCriteria.huberLogNormaliser(scale: 1e-6, delta: 1e-3))
        #expect(abs(z - 0.0029243101032099582) < 1e-12)
        // Our own trapezoid check at another scale, where the tails matter.
        let s = 2e-6, delta = 1e-3
        var integral = 0.0
        let h = 1e-6
        for k in -200_000...200_000 {
            let r = Double(k) * h
            integral += Foundation.exp(-ResidualLoss.huber(delta: delta).value(r) / s) * h
        }
        #expect(abs(integral / Foundation.exp(InSampleCriteria.huberLogNormaliser(scale: s, delta: delta)) - 1) < 1e-6)
    }

    @Test("Huber log-likelihood at the maximum-likelihood scale matches scipy")
    func huberLikelihood() throws {
        let residuals = [5e-4, -2e-3, 1e-4, 3e-3, -4e-4, 0, 2.5e-3, -1e-3]
        let s = InSampleCriteria.huberScale(penaltySum: 6.71e-6, count: 8, delta: 1e-3)
        #expect(abs(s / 1.1488251523966159e-06 - 1) < 1e-4)
        let ll = InSampleCriteria.huberLogLikelihood(residuals, delta: 1e-3)
        #expect(abs(ll - 40.039040523091295) < 1e-6)
        let c = try InSampleCriteria(residuals: residuals, lawParameters: 5, loss: .huber(delta: 1e-3))
        #expect(c.likelihood == "huber")
        #expect(abs(c.aic - (2 * 6 - 2 * ll)) < 1e-9)
        #expect(abs(c.bic - (6 * Foundation.log(8) - 2 * ll)) < 1e-9)
        #expect(abs(c.objective - 6.71e-6) < 1e-18)
    }

    @Test("Type-7 quantiles and the normal quantile")
    func quantiles() {
        #expect(Quantile.of([4, 1, 3, 2], 0.25) == 1.75)
        #expect(abs(Quantile.of([3, 1, 4, 1, 5, 9, 2, 6], 0.975) - 8.475) < 1e-12)
        #expect(Quantile.of([3, 1, 4, 1, 5, 9, 2, 6], 0.025) == 1)
        #expect(abs(Quantile.normal(0.975) - 1.959963984540054) < 1e-12)
        let interval = Quantile.percentileInterval([1, 2, 3, 4, 5], estimate: 3, confidence: 0.5)
        #expect(interval.lower == 2 && interval.upper == 4)
        #expect(abs(interval.standardError - 2.5.squareRoot()) < 1e-15)
    }
}
