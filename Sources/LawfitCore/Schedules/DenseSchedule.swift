import Foundation

/// A schedule's rates and intrinsic time (cumulative rate) at every step, computed once.
///
/// `rates[k]` = eta_k for k in `0...totalSteps`, `intrinsicTime[k]` = tau_k = sum_{i=1}^{k} eta_i
/// (so `intrinsicTime[0] == 0`). Laws that need the whole schedule (FSL, Multi-Power, LR-annealing)
/// read these values instead of calling the schedule per step.
///
/// The arrays (16 bytes a step: 1.6 GB at 1e8 steps) are built on first use only. Callers that walk
/// the steps in order use ``forEachStep(_:)``, which computes the same values one step at a time
/// without storing them (the loss-curve laws' change points, the rate checks, the peak rate).
public struct DenseSchedule: Sendable {
    /// The schedule this was computed from.
    public let schedule: any LearningRateSchedule
    private let tables = Tables()

    public init(_ schedule: any LearningRateSchedule) {
        self.schedule = schedule
    }

    /// eta_k for k in 0...totalSteps.
    public var rates: [Double] { tables.arrays(of: schedule).rates }
    /// tau_k = sum_{i=1}^{k} eta_i for k in 0...totalSteps.
    public var intrinsicTime: [Double] { tables.arrays(of: schedule).intrinsicTime }

    /// The last step.
    public var totalSteps: Int { max(schedule.totalSteps, 0) }

    /// The largest rate (as `rates.max()`), computed once.
    public var peakRate: Double { tables.peak(of: self) }

    /// Calls `body(k, eta_k, tau_k)` for k = 0, 1, ..., totalSteps: the values of ``rates`` and
    /// ``intrinsicTime``, bit for bit, read from the arrays when they exist and computed otherwise.
    public func forEachStep(_ body: (_ step: Int, _ rate: Double, _ intrinsicTime: Double) throws -> Void) rethrows {
        if let arrays = tables.existingArrays {
            for k in arrays.rates.indices { try body(k, arrays.rates[k], arrays.intrinsicTime[k]) }
            return
        }
        var sum = 0.0
        for k in 0...totalSteps {
            let eta = schedule.rate(at: k)
            if k > 0 { sum += eta }
            try body(k, eta, sum)
        }
    }

    /// The lazily built arrays and peak, shared by copies of one ``DenseSchedule``.
    private final class Tables: @unchecked Sendable {
        private let lock = NSLock()
        private var built: (rates: [Double], intrinsicTime: [Double])?
        private var peak: Double?

        var existingArrays: (rates: [Double], intrinsicTime: [Double])? { lock.withLock { built } }

        func arrays(of schedule: any LearningRateSchedule) -> (rates: [Double], intrinsicTime: [Double]) {
            lock.withLock {
                if let built { return built }
                let total = max(schedule.totalSteps, 0)
                var rates = [Double](repeating: 0, count: total + 1)
                var tau = [Double](repeating: 0, count: total + 1)
                var sum = 0.0
                for k in 0...total {
                    let eta = schedule.rate(at: k)
                    rates[k] = eta
                    if k > 0 { sum += eta }
                    tau[k] = sum
                }
                built = (rates, tau)
                return (rates, tau)
            }
        }

        func peak(of dense: DenseSchedule) -> Double {
            if let peak = lock.withLock({ peak }) { return peak }
            // As Sequence.max(): the first rate, replaced by each later one it is below.
            var best = Double.nan, first = true
            dense.forEachStep { _, eta, _ in
                if first || best < eta { best = eta }
                first = false
            }
            lock.withLock { peak = best }
            return best
        }
    }
}
