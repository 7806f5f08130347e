/// A schedule evaluated at every step once: dense rates and the intrinsic time (cumulative rate).
///
/// `rates[k]` = eta_k for k in `0...totalSteps`, `intrinsicTime[k]` = tau_k = sum_{i=1}^{k} eta_i
/// (so `intrinsicTime[0] == 0`). Laws that need the whole schedule (FSL, Multi-Power, LR-annealing)
/// read these arrays instead of calling the schedule per step.
public struct DenseSchedule: Sendable {
    /// The schedule this was computed from.
    public let schedule: any LearningRateSchedule
    /// eta_k for k in 0...totalSteps.
    public let rates: [Double]
    /// tau_k = sum_{i=1}^{k} eta_i for k in 0...totalSteps.
    public let intrinsicTime: [Double]

    public init(_ schedule: any LearningRateSchedule) {
        self.schedule = schedule
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
        self.rates = rates
        self.intrinsicTime = tau
    }

    /// The last step.
    public var totalSteps: Int { rates.count - 1 }
}
