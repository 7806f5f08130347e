/// A learning-rate schedule: the rate eta_k used for the k-th optimiser update.
///
/// Steps are update indices `0...totalSteps`; the k-th update (k >= 1) uses `rate(at: k)`, and
/// `rate(at: 0)` is the rate before training starts (0 for a warmup that starts from 0). The intrinsic
/// time after k updates is tau_k = sum_{i=1}^{k} eta_i (Li et al. 2025, arXiv 2509.19189, Sec. 3;
/// Luo et al. 2025, S1). ``DenseSchedule`` computes every rate and tau_k once, for laws to share.
///
/// A schedule prints itself as a spec string (``spec``) that parses back to the same rates, so any
/// schedule can be written to a report or a file and read again.
public protocol LearningRateSchedule: Sendable {
    /// The last step of the schedule. Rates past it are the rate at `totalSteps`.
    var totalSteps: Int { get }
    /// The learning rate used for update `step` (0 <= step <= totalSteps).
    func rate(at step: Int) -> Double
    /// A spec string, such as `cosine(peak=0.0003, floor=3e-05, warmup=2160, total=24000)`, that the
    /// schedule parser turns back into this schedule.
    var spec: String { get }
}
