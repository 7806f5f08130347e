// libFuzzer target: ScheduleSpec.parse(_:registry:) with the built-in schedules, on arbitrary
// (UTF-8-decoded) text. Parsing must take under a second (it is linear in the text: nesting is
// capped); an accepted schedule must have 0...maximumSteps steps; where its rate at the start,
// midpoint or end is not a finite number >= 0, the rate check must refuse the schedule by then
// (rates are checked where they are evaluated, not at parse time); its own `spec` must parse back.
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
    let clock = ContinuousClock.now
    defer {
        let elapsed = ContinuousClock.now - clock
        if elapsed > .seconds(1) { fatalError("parsing '\(text.prefix(200))' took \(elapsed)") }
    }
    do {
        schedule = try ScheduleSpec.parse(text, registry: registry)
    } catch is LawfitError {
        return 0
    } catch {
        fatalError("ScheduleSpec threw a non-LawfitError: \(error)")
    }
    let parsed = ContinuousClock.now - clock
    if parsed > .seconds(1) { fatalError("parsing '\(text.prefix(200))' took \(parsed)") }
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
