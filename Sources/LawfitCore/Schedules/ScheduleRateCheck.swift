/// The check that a schedule's rates can be used: every rate a finite number >= 0 and the intrinsic
/// time (their running sum) finite. `step(peak=1, every=1, factor=1e300, total=10)` parses (each
/// parameter is valid) but its rate overflows to inf at step 2; such a schedule is bad input.
public enum ScheduleRateCheck {
    /// Checks one step's rate and the running sum through it.
    /// - Throws: ``LawfitError`` (input) naming the schedule's spec, the step and the value.
    @inline(__always)
    public static func check(rate: Double, intrinsicTime: Double, step: Int, of schedule: any LearningRateSchedule) throws {
        guard rate.isFinite, rate >= 0, intrinsicTime.isFinite else { throw failure(rate: rate, step: step, of: schedule) }
    }

    static func failure(rate: Double, step: Int, of schedule: any LearningRateSchedule) -> LawfitError {
        let spec = LawfitError.excerpt(schedule.spec)
        if rate.isFinite, rate >= 0 {
            return LawfitError.input(
                "schedule '\(spec)': the intrinsic time (the sum of the rates) overflows to inf at step \(step); the rates are too large")
        }
        return LawfitError.input("schedule '\(spec)': the rate at step \(step) is \(rate); a learning rate must be a finite number >= 0")
    }
}

extension DenseSchedule {
    /// This schedule, after checking that every rate is a finite number >= 0 and the intrinsic time
    /// stays finite. - Throws: ``LawfitError`` (input) naming the first bad step.
    public func requireFiniteRates() throws -> DenseSchedule {
        try forEachStep { k, rate, tau in try ScheduleRateCheck.check(rate: rate, intrinsicTime: tau, step: k, of: schedule) }
        return self
    }
}
