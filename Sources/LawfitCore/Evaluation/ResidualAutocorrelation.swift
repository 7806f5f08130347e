import Foundation

/// The lag-1 autocorrelation of a fit's residuals between neighbouring points of the same run, and
/// what it means for standard errors that count every point as independent.
///
/// r1 = sum over neighbouring pairs (e_i - m)(e_{i+1} - m) / sum over points (e_i - m)^2, with m the
/// mean residual and pairs only within a run (the sample autocorrelation of Box, Jenkins and
/// Reinsel, Time Series Analysis, ch. 2, pooled over runs). Loss curves logged every few steps have smooth residuals (the law's
/// misfit changes slowly with step), so r1 is often above 0.9 and the Laplace standard errors, which
/// assume independent points, are too small. For AR(1) residuals and slowly varying regressors the
/// variance of a least-squares estimate grows by about (1 + r1) / (1 - r1) over the independent case
/// (exactly so for the mean of an AR(1) series as its length grows), so standard errors are understated
/// by about sqrt((1 + r1) / (1 - r1)): 3 at r1 = 0.8, 6.2 at 0.95.
///
/// Accumulated point by point, so a long log's residuals are never held.
public struct ResidualAutocorrelation: Sendable, Hashable {
    /// The lag-1 autocorrelation from which a fit's standard errors are reported as understated.
    public static let warningThreshold = 0.5
    /// The fewest neighbouring pairs for which r1 is reported.
    public static let minimumPairs = 10
    /// The residuals' root mean square below which r1 is not reported: residuals at round-off level
    /// (a fit to exact data) say nothing about the data's correlation.
    public static let roundOff = 1e-9

    private var count = 0, sum = 0.0, sumOfSquares = 0.0
    private var pairs = 0, pairProducts = 0.0, pairFirsts = 0.0, pairSeconds = 0.0
    private var previous: Double?

    public init() {}

    /// Adds the next residual; `sameRun` says whether it follows the previous one in the same run.
    public mutating func add(_ residual: Double, sameRun: Bool) {
        if sameRun, let previous {
            pairs += 1
            pairProducts += previous * residual
            pairFirsts += previous
            pairSeconds += residual
        }
        count += 1
        sum += residual
        sumOfSquares += residual * residual
        previous = residual
    }

    /// The residuals of runs of `runSizes` points each, in order.
    public init(residuals: [Double], runSizes: [Int]) {
        self.init()
        var k = 0
        for size in runSizes {
            for i in 0..<size {
                add(residuals[k], sameRun: i > 0)
                k += 1
            }
        }
    }

    /// r1, or nil with fewer than ``minimumPairs`` pairs or residuals that do not vary beyond round-off
    /// (a root mean square below ``roundOff``).
    public var lagOne: Double? {
        guard pairs >= Self.minimumPairs, (sumOfSquares / Double(count)).squareRoot() >= Self.roundOff else { return nil }
        let mean = sum / Double(count)
        let variance = sumOfSquares - Double(count) * mean * mean
        guard variance > 0, variance.isFinite else { return nil }
        let covariance = pairProducts - mean * (pairFirsts + pairSeconds) + Double(pairs) * mean * mean
        return min(max(covariance / variance, -1), 1)
    }

    /// sqrt((1 + r1) / (1 - r1)): how much standard errors that assume independent points understate
    /// them under AR(1) residuals (infinite at r1 = 1).
    public static func standardErrorFactor(_ lagOne: Double) -> Double {
        ((1 + lagOne) / (1 - lagOne)).squareRoot()
    }

    /// The finding both the fit's warning and the comparison report's flag state, or nil when r1 is
    /// below ``warningThreshold``: `neighbouring residuals of a run are correlated (lag-1
    /// autocorrelation 0.97)`, and how much independent-point intervals understate the uncertainty
    /// (`for AR(1) residuals by about 8.1x`; nil when the factor is unbounded).
    var finding: (correlated: String, understatement: String?)? {
        guard let r = lagOne, r >= Self.warningThreshold else { return nil }
        let factor = Self.standardErrorFactor(r)
        return ("neighbouring residuals of a run are correlated (lag-1 autocorrelation \(String(format: "%.2f", r)))",
                factor.isFinite ? "for AR(1) residuals by about \(String(format: "%.1f", factor))x" : nil)
    }

    /// The sentence for a fit of `points` points whose r1 reaches ``warningThreshold``, or nil.
    public func warning(points: Int) -> String? {
        guard let finding else { return nil }
        return "\(finding.correlated): "
            + "the standard errors and Laplace intervals count the \(points) points as independent and understate the uncertainty "
            + "(\(finding.understatement ?? "for AR(1) residuals by about an unbounded factor")); for intervals that respect it, "
            + "use lawfit compare --bootstrap 200 (whole runs, or --bootstrap-unit blocks for one or few runs)"
    }
}
