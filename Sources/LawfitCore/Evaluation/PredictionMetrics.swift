import Foundation

/// How well predictions match observed losses, in loss and in log-loss.
///
/// With e_i = Lhat_i - L_i and l_i = log Lhat_i - log L_i over n points:
/// RMSE = sqrt(mean e^2), MAE = mean |e|, relative error |e_i| / L_i (mean and max),
/// R^2 = 1 - sum e^2 / sum (L - mean L)^2; the `log` fields are the same with l_i and log L_i.
/// R^2 is nil when the observed values do not vary (one point, or all equal).
public struct PredictionMetrics: Sendable, Hashable, Codable {
    public var count: Int
    public var rmse: Double
    public var mae: Double
    public var meanRelativeError: Double
    public var maxRelativeError: Double
    public var r2: Double?
    public var logRMSE: Double
    public var logMAE: Double
    public var logR2: Double?

    enum CodingKeys: String, CodingKey {
        case count, rmse, mae, meanRelativeError = "mean_relative_error", maxRelativeError = "max_relative_error"
        case r2, logRMSE = "log_rmse", logMAE = "log_mae", logR2 = "log_r2"
    }

    /// Metrics of `predicted` against `observed` (both positive losses, same order).
    ///
    /// - Throws: ``LawfitError`` when the counts differ, the set is empty, or a value is not a
    ///   positive finite number.
    public init(predicted: [Double], observed: [Double]) throws {
        guard predicted.count == observed.count else {
            throw LawfitError.fit("\(predicted.count) predictions for \(observed.count) observations")
        }
        var sums = Sums()
        for (p, o) in zip(predicted, observed) { try sums.add(predicted: p, observed: o) }
        try self.init(sums, observed: observed)
    }

    /// The metrics of the predictions summed into `sums`, against `observed` (the same points, in
    /// the order they were added).
    ///
    /// - Throws: ``LawfitError`` when the counts differ or the set is empty.
    public init(_ sums: Sums, observed: [Double]) throws {
        guard sums.count == observed.count else {
            throw LawfitError.fit("\(sums.count) predictions for \(observed.count) observations")
        }
        guard !observed.isEmpty else { throw LawfitError.fit("no points to measure errors on") }
        let n = Double(observed.count)
        count = observed.count
        rmse = (sums.squares / n).squareRoot()
        mae = sums.absolutes / n
        meanRelativeError = sums.relativeSum / n
        maxRelativeError = sums.largest
        r2 = Self.rSquared(squaredErrors: sums.squares, observed: observed, transform: { $0 })
        logRMSE = (sums.logSquares / n).squareRoot()
        logMAE = sums.logAbsolutes / n
        logR2 = Self.rSquared(squaredErrors: sums.logSquares, observed: observed, transform: { Foundation.log($0) })
    }

    /// The errors' sums in point order, added one point at a time, so that a long log's metrics
    /// need no array of its predictions or errors (``FitStatistics`` adds them block by block).
    public struct Sums: Sendable {
        public private(set) var count = 0
        var squares = 0.0, absolutes = 0.0, relativeSum = 0.0, largest = -Double.infinity
        var logSquares = 0.0, logAbsolutes = 0.0

        public init() {}

        /// Adds the next point.
        ///
        /// - Throws: ``LawfitError`` naming the point (1-based, in the order added) when a value is
        ///   not a positive finite number.
        public mutating func add(predicted p: Double, observed o: Double) throws {
            count += 1
            guard p.isFinite, p > 0, o.isFinite, o > 0 else {
                throw LawfitError.fit("point \(count): predicted \(p), observed \(o); metrics need positive finite losses")
            }
            let error = p - o, logError = Foundation.log(p) - Foundation.log(o), relative = abs(error) / o
            squares = squares + error * error
            absolutes = absolutes + abs(error)
            relativeSum += relative
            if largest < relative { largest = relative }
            logSquares = logSquares + logError * logError
            logAbsolutes = logAbsolutes + abs(logError)
        }
    }

    /// 1 - SSE / total sum of squares of `transform(observed)` about their mean; nil when they are all equal.
    static func rSquared(squaredErrors: Double, observed: [Double], transform: (Double) -> Double) -> Double? {
        var sum = 0.0
        for o in observed { sum += transform(o) }
        let mean = sum / Double(observed.count)
        var total = 0.0
        for o in observed { total = total + (transform(o) - mean) * (transform(o) - mean) }
        guard total > 0 else { return nil }
        return 1 - squaredErrors / total
    }

    /// The value a ranking uses.
    public func value(of metric: HeldOutMetric) -> Double {
        switch metric {
        case .logRMSE: logRMSE
        case .rmse: rmse
        case .mae: mae
        case .meanRelativeError: meanRelativeError
        }
    }
}

/// The held-out error a ranking is based on (lower is better).
public enum HeldOutMetric: String, Sendable, Hashable, Codable, CaseIterable {
    /// RMSE of log-loss: scale-free, the field's residual space. The default.
    case logRMSE = "log-rmse"
    case rmse
    case mae
    case meanRelativeError = "mean-relative-error"

    /// The metric computed directly from paired predictions and observations (for resampling).
    public func evaluate(predicted: [Double], observed: [Double]) -> Double {
        let n = Double(observed.count)
        switch self {
        case .logRMSE:
            return (zip(predicted, observed).reduce(0) { s, p in let e = Foundation.log(p.0) - Foundation.log(p.1); return s + e * e } / n).squareRoot()
        case .rmse:
            return (zip(predicted, observed).reduce(0) { s, p in let e = p.0 - p.1; return s + e * e } / n).squareRoot()
        case .mae:
            return zip(predicted, observed).reduce(0) { $0 + abs($1.0 - $1.1) } / n
        case .meanRelativeError:
            return zip(predicted, observed).reduce(0) { $0 + abs($1.0 - $1.1) / $1.1 } / n
        }
    }
}
