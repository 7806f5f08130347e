/// The schedule of a branch: the parent's rates up to and including the fork step F, the branch's
/// own after it: eta_k = parent(k) for k <= F, branch(k) for k > F. The intrinsic time up to F is
/// therefore the parent's (a WSD cooldown branch of a constant-rate run; Hägele et al. 2024,
/// "Scaling Laws and Compute-Optimal Training Beyond Fixed Training Durations", Sec. 3).
///
/// Spec: `fork(at=20000, parent=constant(peak=1e-3, total=50000), schedule=linear(peak=1e-3, total=25000))`.
public struct ForkedSchedule: LearningRateSchedule {
    /// F, the last step on the parent's schedule.
    public let forkStep: Int
    /// The parent's schedule (used for steps 0...F).
    public let parent: any LearningRateSchedule
    /// The branch's schedule (used for steps after F).
    public let schedule: any LearningRateSchedule

    /// - Throws: ``LawfitError`` unless 0 <= F <= the parent's total steps and F < the branch's.
    public init(forkStep: Int, parent: any LearningRateSchedule, schedule: any LearningRateSchedule) throws {
        try ScheduleCheck.step(forkStep, "at", in: "fork", within: 0...max(parent.totalSteps, 0))
        guard forkStep < schedule.totalSteps else {
            throw LawfitError.input("fork: the branch's schedule ends at step \(schedule.totalSteps), not after the fork step \(forkStep)")
        }
        self.forkStep = forkStep
        self.parent = parent
        self.schedule = schedule
    }

    public var totalSteps: Int { schedule.totalSteps }

    public func rate(at step: Int) -> Double {
        step <= forkStep ? parent.rate(at: step) : schedule.rate(at: min(step, totalSteps))
    }

    public var spec: String {
        SpecText.call("fork", [("at", "\(forkStep)"), ("parent", parent.spec), ("schedule", schedule.spec)])
    }
}
