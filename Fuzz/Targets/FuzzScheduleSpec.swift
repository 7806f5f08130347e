// libFuzzer target: ScheduleSpec.parse(_:registry:) with the built-in schedules, on arbitrary
// (UTF-8-decoded) text. Parsing must take under a second of the thread's CPU time (it is linear in
// the text: nesting is capped; CPU time, so a loaded machine cannot fail a linear parse); an accepted
// schedule must have 0...maximumSteps steps; where its rate at the start, midpoint or end is not a
// finite number >= 0, the rate check must refuse the schedule by then (rates are checked where they
// are evaluated, not at parse time); its own `spec` must parse back.
// Contract: a schedule or a LawfitError; never traps.
import Foundation
import LawfitCore

private let registry: PluginRegistry = {
    let registry = PluginRegistry()
    try! BuiltinSchedules.register(into: registry)
    return registry
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScheduleSpec(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start, count <= 4096 else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let schedule: any LearningRateSchedule
    let began = threadCPUTime()
    defer {
        let elapsed = threadCPUTime() - began
        if elapsed > .seconds(1) { fatalError("parsing '\(text.prefix(200))' took \(elapsed) of CPU time") }
    }
    do {
        schedule = try ScheduleSpec.parse(text, registry: registry)
    } catch is LawfitError {
        return 0
    } catch {
        fatalError("ScheduleSpec threw a non-LawfitError: \(error)")
    }
    let parsed = threadCPUTime() - began
    if parsed > .seconds(1) { fatalError("parsing '\(text.prefix(200))' took \(parsed) of CPU time") }
    if !(0...ScheduleSpec.maximumSteps).contains(schedule.totalSteps) {
        fatalError("'\(text)' was accepted with \(schedule.totalSteps) steps")
    }
    for step in [0, schedule.totalSteps / 2, schedule.totalSteps] {
        let rate = schedule.rate(at: step)
        if !(rate.isFinite && rate >= 0) {
            let refused = (try? ScheduleTable.write(schedule: schedule, steps: ScheduleTable.StepRange(from: step, to: step, by: 1)) { _ in }) == nil
            if !refused { fatalError("'\(text)' gives rate \(rate) at step \(step) and the rate check accepts it") }
            return 0
        }
    }
    do {
        _ = try ScheduleSpec.parse(schedule.spec, registry: registry)
    } catch {
        fatalError("'\(text)' was accepted but its spec '\(schedule.spec)' is rejected: \(error)")
    }
    return 0
}

/// The CPU time the calling thread has used.
private func threadCPUTime() -> Duration {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return .seconds(now.tv_sec) + .nanoseconds(now.tv_nsec)
}
