import LawfitCore
import MySchedule

// `swift run knee-table`: the schedule from Swift, parsed from a spec like any built-in one.
let registry = PluginRegistry()
try BuiltinSchedules.register(into: registry)
try MySchedulePlugin.register(into: registry)
let schedule = try ScheduleSpec.parse("warmup(steps=1000, schedule=knee(peak=3e-4, total=24000))", registry: registry)
print(try ScheduleTable.render(schedule: schedule, steps: ScheduleTable.StepRange(from: 0, to: 24000, by: 4000), format: .table))
