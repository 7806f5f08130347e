import LawfitCore

/// The scales of a set of loss curves that loss-curve laws use to adapt their default starts: the
/// peak learning rate over the runs' schedules and the range of the observed loss.
public struct LossCurveScale: Sendable, Hashable {
    /// The largest learning rate of any run's schedule.
    public var peakRate: Double
    /// The smallest and largest observed loss.
    public var minLoss: Double
    public var maxLoss: Double

    /// The scales of `runs`, or nil when they have no schedule or no positive, finite loss.
    public init?(_ runs: [Run]) {
        let peak = runs.compactMap { $0.schedule?.peakRate }.max() ?? 0
        // One pass over the points, with no copy of them (a long log's are most of its memory).
        var low = Double.infinity, high = -Double.infinity
        for run in runs {
            for observation in run.observations {
                guard let loss = observation.loss, loss.isFinite, loss > 0 else { continue }
                low = min(low, loss)
                high = max(high, loss)
            }
        }
        guard peak > 0, peak.isFinite, low <= high else { return nil }
        peakRate = peak
        minLoss = low
        maxLoss = high
    }

    /// How much larger the learning rates are than `reference`, the peak rate a law's default starts
    /// were set for (each law family states its own: the Multi-Power and FSL surrogate laws the
    /// multipower-400m runs' 3e-4).
    public func rateFactor(over reference: Double) -> Double { peakRate / reference }
}
