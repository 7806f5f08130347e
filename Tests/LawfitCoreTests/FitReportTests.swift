import Foundation
import Testing
@testable import LawfitCore

@Suite("Reports: fit report like lmfit's fit_report")
struct FitReportTests {
    /// A straight line with squared error in linear space: the standard errors and the correlation
    /// must be ordinary least squares' sigma^2 (X^T X)^-1 with sigma^2 = RSS / (n - 2).
    @Test("Standard errors, RMSE, relative error and correlations equal the least-squares closed form")
    func linearClosedForm() async throws {
        let x = (20...31).map(Double.init)
        let noise = [0.3, -0.2, 0.1, 0.4, -0.5, 0.2, -0.1, 0.3, -0.4, 0.1, 0.2, -0.3]
        let y = zip(x, noise).map { 50 + 2 * $0 + $1 }
        let runs = [Run(name: "line", observations: zip(x, y).map { Observation(loss: $1, parameters: $0) })]
        let law = TestLinearLaw()
        let fit = try await LawFitter(law: law, options: FitOptions(objective: ObjectiveSpec(loss: .squared, space: .linear), starts: .count(2), seed: 1, workers: 1)).fit(runs)
        let statistics = try FitStatistics(law: law, fit: fit, runs: runs)

        // Closed form.
        let n = Double(x.count), sx = x.reduce(0, +), sxx = x.reduce(0) { $0 + $1 * $1 }
        let sy = y.reduce(0, +), sxy = zip(x, y).reduce(0) { $0 + $1.0 * $1.1 }
        let det = n * sxx - sx * sx
        let b = (n * sxy - sx * sy) / det, a = (sy - b * sx) / n
        let residuals = zip(x, y).map { a + b * $0 - $1 }
        let rss = residuals.reduce(0) { $0 + $1 * $1 }
        let sigma2 = rss / (n - 2)
        let seA = (sigma2 * sxx / det).squareRoot(), seB = (sigma2 * n / det).squareRoot()
        let correlation = -sx / (n * sxx).squareRoot()
        #expect(abs(fit.values[0] - a) <= 1e-6 && abs(fit.values[1] - b) <= 1e-7)
        let laplace = try #require(statistics.laplace)
        #expect(abs(laplace.parameters[0].interval.standardError / seA - 1) <= 1e-4)
        #expect(abs(laplace.parameters[1].interval.standardError / seB - 1) <= 1e-4)
        #expect(abs(statistics.metrics.rmse - (rss / n).squareRoot()) <= 1e-9)
        let meanRelative = zip(residuals, y).map { abs($0) / $1 }.reduce(0, +) / n
        #expect(abs(statistics.metrics.meanRelativeError - meanRelative) <= 1e-9)
        let pairs = statistics.correlations(names: ["a", "b"])
        #expect(pairs.count == 1)
        #expect(abs(pairs[0].value - correlation) <= 1e-4)
        #expect(correlation < -0.9)

        let text = FitReport.render(fit, statistics: statistics, timing: false)
        #expect(text.contains("[[Fit Statistics]]"))
        #expect(text.contains("    RMSE (loss)          = \(FitReport.number(statistics.metrics.rmse))"))
        #expect(text.contains("    mean relative error  = \(String(format: "%.4f", meanRelative * 100)) %"))
        #expect(text.contains("    b = \(FitReport.number(fit.values[1])) +/- \(FitReport.number(laplace.parameters[1].interval.standardError))"))
        #expect(text.contains("[[Correlations]] (|correlation| > 0.9)\n    C(a, b) = \(String(format: "%+.4f", pairs[0].value))"))
        #expect(!text.contains("seconds"))
    }
}
