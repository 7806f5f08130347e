// libFuzzer target: ScheduleSpec.parse(_:registry:) with the built-in schedules, on arbitrary
// (UTF-8-decoded) text. An accepted schedule must have 0...maximumSteps steps, give finite,
// non-negative rates at its ends and midpoint, and its own `spec` must parse back.
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
    do {
        schedule = try ScheduleSpec.parse(text, registry: registry)
    } catch is LawfitError {
        return 0
    } catch {
        fatalError("ScheduleSpec threw a non-LawfitError: \(error)")
    }
    if !(0...ScheduleSpec.maximumSteps).contains(schedule.totalSteps) {
        fatalError("'\(text)' was accepted with \(schedule.totalSteps) steps")
    }
    for step in [0, schedule.totalSteps / 2, schedule.totalSteps] {
        let rate = schedule.rate(at: step)
        if !(rate.isFinite && rate >= 0) { fatalError("'\(text)' gives rate \(rate) at step \(step)") }
    }
    do {
        _ = try ScheduleSpec.parse(schedule.spec, registry: registry)
    } catch {
        fatalError("'\(text)' was accepted but its spec '\(schedule.spec)' is rejected: \(error)")
    }
    return 0
}
