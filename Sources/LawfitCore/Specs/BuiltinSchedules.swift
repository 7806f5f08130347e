/// The schedules and kernels the core ships, registered by name for spec strings.
///
/// It lives with the spec parser (above the registry) because `warmup(steps=..., schedule=...)`
/// parses its nested schedule through the registry it is registered in.
public enum BuiltinSchedules {
    /// Registers every built-in schedule and kernel factory into `registry`.
    /// - Throws: ``LawfitError`` if one of the names is already registered.
    public static func register(into registry: PluginRegistry) throws {
        for factory in scheduleFactories + [warmupFactory(resolvingIn: registry), forkFactory(resolvingIn: registry)] {
            try registry.register(schedule: factory)
        }
        try registry.register(kernel: powerLawKernel)
    }

    private static let peak = SpecParameter("peak", "the largest rate, reached at the end of the warmup")
    private static let total = SpecParameter("total", "the last step")
    private static let warmup = SpecParameter("warmup", "warmup steps, from warmup_from to the peak", default: .number(0))
    private static let warmupFrom = SpecParameter("warmup_from", "the rate at step 0, where the warmup starts (e.g. peak/100)", default: .number(0))
    private static let warmupShape = SpecParameter("warmup_shape", "the warmup's shape: linear or cosine", default: .text("linear"))
    private static func floor(_ defaultValue: SpecValue? = .number(0)) -> SpecParameter {
        SpecParameter("floor", "the final rate", default: defaultValue)
    }

    static let scheduleFactories: [ScheduleFactory] = [
        ScheduleFactory(name: "constant", summary: "constant rate after a warmup", parameters: [peak, warmup, total, warmupFrom, warmupShape]) { a in
            try ConstantSchedule(peak: a.number("peak"), warmup: a.integer("warmup"), warmupFrom: a.number("warmup_from"), warmupShape: a.warmupShape(), total: a.integer("total"))
        },
        ScheduleFactory(name: "cosine", summary: "cosine decay from peak to floor after a warmup", parameters: [peak, floor(), warmup, total, warmupFrom, warmupShape]) { a in
            try CosineSchedule(peak: a.number("peak"), floor: a.number("floor"), warmup: a.integer("warmup"), warmupFrom: a.number("warmup_from"), warmupShape: a.warmupShape(), total: a.integer("total"))
        },
        ScheduleFactory(name: "linear", summary: "linear decay from peak to floor after a warmup", parameters: [peak, floor(), warmup, total, warmupFrom, warmupShape]) { a in
            try LinearDecaySchedule(peak: a.number("peak"), floor: a.number("floor"), warmup: a.integer("warmup"), warmupFrom: a.number("warmup_from"), warmupShape: a.warmupShape(), total: a.integer("total"))
        },
        ScheduleFactory(name: "exponential", summary: "geometric decay from peak to floor (> 0) after a warmup", parameters: [peak, floor(nil), warmup, total, warmupFrom, warmupShape]) { a in
            try ExponentialSchedule(peak: a.number("peak"), floor: a.number("floor"), warmup: a.integer("warmup"), warmupFrom: a.number("warmup_from"), warmupShape: a.warmupShape(), total: a.integer("total"))
        },
        ScheduleFactory(
            name: "step", summary: "multiply the rate by factor every `every` steps after the warmup",
            parameters: [peak, SpecParameter("factor", "the decay factor", default: .number(0.1)), SpecParameter("every", "steps between decays"), warmup, total, warmupFrom, warmupShape]
        ) { a in
            try StepSchedule(peak: a.number("peak"), factor: a.number("factor"), every: a.integer("every"), warmup: a.integer("warmup"), warmupFrom: a.number("warmup_from"), warmupShape: a.warmupShape(), total: a.integer("total"))
        },
        ScheduleFactory(
            name: "multistep", summary: "multiply the rate by factor at each positional milestone step",
            parameters: [peak, SpecParameter("factor", "the decay factor", default: .number(0.1)), warmup, total, warmupFrom, warmupShape], acceptsPositional: true
        ) { a in
            let milestones = try a.positional.enumerated().map { i, value in try wholeNumber(value, "milestone \(i + 1)", in: "multistep") }
            return try MultiStepSchedule(peak: a.number("peak"), factor: a.number("factor"), milestones: milestones, warmup: a.integer("warmup"), warmupFrom: a.number("warmup_from"), warmupShape: a.warmupShape(), total: a.integer("total"))
        },
        ScheduleFactory(
            name: "invsqrt", summary: "peak * sqrt(warmup / k) after a warmup",
            parameters: [peak, SpecParameter("warmup", "warmup steps, also the decay time scale"), total, warmupFrom, warmupShape]
        ) { a in
            try InverseSqrtSchedule(peak: a.number("peak"), warmup: a.integer("warmup"), warmupFrom: a.number("warmup_from"), warmupShape: a.warmupShape(), total: a.integer("total"))
        },
        ScheduleFactory(
            name: "wsd", summary: "warmup, stable at peak, then decay to floor (linear, cosine, geometric or 1-sqrt)",
            parameters: [
                peak, warmup,
                SpecParameter("decay_start", "the step the decay starts at (or give decay_fraction)"),
                SpecParameter("decay_fraction", "the fraction of all steps spent decaying (or give decay_start)"),
                total, floor(), SpecParameter("shape", "linear, cosine, geometric or 1-sqrt", default: .text("linear")), warmupFrom, warmupShape,
            ]
        ) { a in
            let start: WSDSchedule.DecayStart
            switch (try a.optionalNumber("decay_start"), try a.optionalNumber("decay_fraction")) {
            case (_?, _?): throw LawfitError.input("wsd: give either 'decay_start' or 'decay_fraction', not both")
            case (nil, nil): throw LawfitError.input("wsd: missing parameter 'decay_start' (a step) or 'decay_fraction'; it accepts \(a.accepted.map(\.name).joined(separator: ", "))")
            case (_?, nil): start = .step(try a.integer("decay_start"))
            case (nil, let f?): start = .fraction(f)
            }
            return try WSDSchedule(
                peak: a.number("peak"), floor: a.number("floor"), warmup: a.integer("warmup"), warmupFrom: a.number("warmup_from"), warmupShape: a.warmupShape(), decayStart: start,
                total: a.integer("total"), shape: DecayShape.named(a.text("shape"), in: "wsd"))
        },
        ScheduleFactory(
            name: "twostage", summary: "peak until step `switch`, then low",
            parameters: [peak, SpecParameter("low", "the rate from step `switch` on"), SpecParameter("switch", "the first step at the low rate"), warmup, total, warmupFrom, warmupShape]
        ) { a in
            try TwoStageSchedule(peak: a.number("peak"), low: a.number("low"), switchStep: a.integer("switch"), warmup: a.integer("warmup"), warmupFrom: a.number("warmup_from"), warmupShape: a.warmupShape(), total: a.integer("total"))
        },
        ScheduleFactory(
            name: "piecewise", summary: "piecewise constant: positional step:rate breakpoints from step 0, up to `end`",
            parameters: [SpecParameter("end", "the last step")], acceptsPositional: true
        ) { a in
            try PiecewiseConstantSchedule(breakpoints: points(a.positional, in: "piecewise"), end: a.integer("end"))
        },
        ScheduleFactory(
            name: "table", summary: "a step,lr table from a CSV file (path=) or positional step:rate points, linearly interpolated",
            parameters: [SpecParameter("path", "a CSV file with columns step and lr"), SpecParameter("end", "the last step (default: the table's last step)")],
            acceptsPositional: true
        ) { a in
            let end = try a.optionalNumber("end").map { _ in try a.integer("end") }
            switch (a.named["path"], a.positional.isEmpty) {
            case (nil, true): throw LawfitError.input("table: give path=FILE.csv or step:rate points, e.g. table(0:3e-4, 1000:3e-5)")
            case (_?, false): throw LawfitError.input("table: give either path= or step:rate points, not both")
            case (_?, true): return try TabulatedSchedule(contentsOfFile: a.text("path"), end: end)
            case (nil, false): return try TabulatedSchedule(points: points(a.positional, in: "table"), end: end)
            }
        },
    ]

    /// `warmup(steps=W, from=R, shape=linear|cosine, schedule=SPEC)`: a warmup in front of any
    /// schedule in `registry`.
    private static func warmupFactory(resolvingIn registry: PluginRegistry) -> ScheduleFactory {
        ScheduleFactory(
            name: "warmup", summary: "a warmup (from 0 or `from`, linear or cosine) in front of any schedule",
            parameters: [
                SpecParameter("steps", "warmup steps"),
                SpecParameter("from", "the rate at step 0", default: .number(0)),
                SpecParameter("shape", "linear or cosine", default: .text("linear")),
                SpecParameter("schedule", "the schedule's spec, e.g. cosine(peak=3e-4, total=24000)"),
            ]
        ) { [weak registry] a in
            guard let registry else { throw LawfitError.input("warmup: the registry it was registered in no longer exists") }
            let inner = try ScheduleSpec.parse(a.text("schedule"), registry: registry)
            return try LinearWarmupSchedule(
                steps: a.integer("steps"), from: a.number("from"), shape: WarmupShape.named(a.text("shape"), in: "warmup"), schedule: inner)
        }
    }

    /// `fork(at=F, parent=SPEC, schedule=SPEC)`: a branch's schedule, the parent's up to step F.
    private static func forkFactory(resolvingIn registry: PluginRegistry) -> ScheduleFactory {
        ScheduleFactory(
            name: "fork", summary: "a branch: the parent's rates up to step `at`, the branch schedule's after it",
            parameters: [
                SpecParameter("at", "the fork step, the last on the parent's schedule"),
                SpecParameter("parent", "the parent's schedule spec"),
                SpecParameter("schedule", "the branch's schedule spec (used after the fork)"),
            ]
        ) { [weak registry] a in
            guard let registry else { throw LawfitError.input("fork: the registry it was registered in no longer exists") }
            return try ForkedSchedule(
                forkStep: a.integer("at"), parent: ScheduleSpec.parse(a.text("parent"), registry: registry),
                schedule: ScheduleSpec.parse(a.text("schedule"), registry: registry))
        }
    }

    static let powerLawKernel = KernelFactory(
        name: "powerlaw", summary: "lambda_j = j^-capacity, target power lambda_j theta_j^2 = scale * j^-(1 + source * capacity)",
        parameters: [
            SpecParameter("capacity", "beta > 1", default: .number(1.5)), SpecParameter("source", "s > 0", default: .number(0.5)),
            SpecParameter("modes", "the number of modes M", default: .number(400)), SpecParameter("scale", "target power amplitude", default: .number(1)),
        ]
    ) { a in
        try PowerLawKernel(capacity: a.number("capacity"), source: a.number("source"), modes: a.integer("modes"), scale: a.number("scale"))
    }

    private static func wholeNumber(_ value: SpecValue, _ name: String, in owner: String) throws -> Int {
        guard case .number(let x) = value, x == x.rounded(), abs(x) < 1e15 else {
            throw LawfitError.input("\(owner): \(name) must be a whole step number, got '\(value)'")
        }
        return Int(x)
    }

    private static func points(_ values: [SpecValue], in owner: String) throws -> [(step: Int, rate: Double)] {
        try values.map { value in
            guard case .pair(let step, let rate) = value, step == step.rounded(), abs(step) < 1e15 else {
                throw LawfitError.input("\(owner): expected step:rate with a whole step, got '\(value)'")
            }
            return (Int(step), rate)
        }
    }
}

extension SpecArguments {
    /// The `warmup_shape` parameter as a ``WarmupShape``.
    func warmupShape() throws -> WarmupShape {
        try WarmupShape.named(text("warmup_shape"), in: owner)
    }
}
