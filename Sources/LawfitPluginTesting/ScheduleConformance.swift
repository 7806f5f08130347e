import LawfitCore

/// The checks of one schedule factory (see ``PluginConformance``).
public enum ScheduleConformance {
    /// Checks `factory` through its ``ScheduleFactory/example`` spec, parsed with `registry`.
    public static func check(_ factory: ScheduleFactory, registry: PluginRegistry) -> [ConformanceCheck] {
        let start = CheckList.parsingExample(of: factory, kind: "schedule", factoryType: "ScheduleFactory", entries: "schedules") {
            try ScheduleSpec.parse($0, registry: registry)
        }
        guard let schedule = start.entry else { return start.list.checks }
        var list = start.list
        list.check("rates finite and >= 0") {
            let steps = sampleSteps(schedule.totalSteps)
            try requireValidRates(schedule, steps)
            return "\(steps.count) steps of \(schedule.spec), from 0 to \(schedule.totalSteps + 1)"
        }
        list.check("spec round-trips through the parser") {
            let again = try ScheduleSpec.parse(schedule.spec, registry: registry)
            guard again.spec == schedule.spec else {
                throw CheckFailure("'\(schedule.spec)' parses to a schedule whose spec is '\(again.spec)'")
            }
            guard again.totalSteps == schedule.totalSteps else {
                throw CheckFailure("'\(schedule.spec)' parses to \(again.totalSteps) steps, not \(schedule.totalSteps)")
            }
            for step in sampleSteps(schedule.totalSteps) where again.rate(at: step).bitPattern != schedule.rate(at: step).bitPattern {
                throw CheckFailure("'\(schedule.spec)' parsed back gives rate \(again.rate(at: step)) at step \(step), not \(schedule.rate(at: step))")
            }
            return "\(schedule.spec), same rates bit for bit"
        }
        guard let example = factory.example,
            let arguments = try? SpecArguments.bind(example, name: factory.name, parameters: factory.parameters, acceptsPositional: factory.acceptsPositional) else {
            return list.checks
        }
        let numbers = factory.parameters.filter {
            if case .number? = arguments.named[$0.name] ?? $0.defaultValue { return true }
            return false
        }
        list.check("non-finite parameter values rejected") {
            for parameter in numbers {
                for bad in [Double.nan, .infinity, -.infinity] {
                    var changed = arguments
                    changed.named[parameter.name] = .number(bad)
                    if let made = try? factory.make(changed) {
                        throw CheckFailure("\(parameter.name)=\(bad) is accepted (giving \(made.spec)); a factory must throw a LawfitError naming the parameter")
                    }
                }
            }
            return "nan, inf and -inf for \(numbers.map(\.name).joined(separator: ", "))"
        }
        list.check("accepted values give valid rates") {
            var tried = 0
            for parameter in numbers {
                for value in [-1.0, 0, 0.5, 2] {
                    var changed = arguments
                    changed.named[parameter.name] = .number(value)
                    guard let made = try? factory.make(changed), made.totalSteps <= ScheduleSpec.maximumSteps else { continue }
                    tried += 1
                    do { try requireValidRates(made, sampleSteps(made.totalSteps)) } catch {
                        throw CheckFailure("\(parameter.name)=\(SpecValue.format(value)) is accepted but \(error); reject such values with a LawfitError")
                    }
                }
            }
            return "\(tried) accepted variants with each number set to -1, 0, 0.5 or 2"
        }
        return list.checks
    }

    /// 0, 1, 2, 64 steps spread over the schedule, its last step and one past it.
    static func sampleSteps(_ total: Int) -> [Int] {
        let total = max(total, 0)
        return Array(Set([0, 1, 2, total, total + 1] + (0...64).map { Int(Double(total) * Double($0) / 64) })).sorted()
    }

    private static func requireValidRates(_ schedule: any LearningRateSchedule, _ steps: [Int]) throws {
        guard schedule.totalSteps >= 0 else { throw CheckFailure("totalSteps is \(schedule.totalSteps)") }
        for step in steps {
            let rate = schedule.rate(at: step)
            guard rate.isFinite, rate >= 0 else { throw CheckFailure("rate(at: \(step)) of \(schedule.spec) is \(rate)") }
        }
    }
}
