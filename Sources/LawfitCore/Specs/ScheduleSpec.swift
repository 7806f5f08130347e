/// Turns a schedule spec string such as `cosine(peak=3e-4, floor=3e-5, warmup=2160, total=24000)`
/// into a schedule, resolving the name through a ``PluginRegistry``.
///
/// Every ``LearningRateSchedule/spec`` parses back to a schedule with the same rates.
public enum ScheduleSpec {
    /// The schedule `text` describes.
    /// - Throws: ``LawfitError`` (input) for bad syntax (with the character position), an unknown
    ///   schedule (listing the known ones), an unknown, repeated or missing parameter (listing the
    ///   accepted ones), invalid values, or more than ``maximumSteps`` steps. Parsing is linear in the
    ///   text: a spec may nest at most 8 calls and hold at most 64 KiB. Rates are not evaluated here;
    ///   ``DenseSchedule/requireFiniteRates()`` and ``ScheduleTable`` check them where they are.
    public static func parse(_ text: String, registry: PluginRegistry) throws -> any LearningRateSchedule {
        let call = try SpecSyntax.parse(text)
        let factory = try registry.schedule(named: call.name)
        let arguments = try SpecBinding.bind(call, text: text, parameters: factory.parameters, acceptsPositional: factory.acceptsPositional)
        let schedule = try factory.make(arguments)
        guard schedule.totalSteps <= maximumSteps else {
            throw LawfitError.input(
                "\(call.name): \(schedule.totalSteps) steps is more than the \(maximumSteps) a schedule may have (spec '\(LawfitError.excerpt(text))')")
        }
        return schedule
    }

    /// The most steps a parsed schedule may have: 10^8, more than any published training run, and
    /// small enough that its ``DenseSchedule`` (two arrays of totalSteps + 1 doubles, 1.6 GB at the
    /// limit) can be allocated. Larger totals such as `total=1e14` used to pass and abort the
    /// process when a schedule table or law densified them.
    public static let maximumSteps = 100_000_000
}

/// Turns a kernel spec string such as `powerlaw(capacity=1.5, source=0.5, modes=400)` into a kernel.
public enum KernelSpec {
    /// The kernel `text` describes. - Throws: ``LawfitError`` as ``ScheduleSpec/parse(_:registry:)``,
    /// and for more than ``maximumModes`` modes.
    public static func parse(_ text: String, registry: PluginRegistry) throws -> any SpectralKernel {
        let call = try SpecSyntax.parse(text)
        let factory = try registry.kernel(named: call.name)
        let kernel = try factory.make(SpecBinding.bind(call, text: text, parameters: factory.parameters, acceptsPositional: false))
        guard kernel.modes <= maximumModes else {
            throw LawfitError.input("\(call.name): \(kernel.modes) modes is more than the \(maximumModes) a kernel may have (spec '\(LawfitError.excerpt(text))')")
        }
        return kernel
    }

    /// The most modes a parsed kernel may have (10^7): its spectrum arrays must fit in memory.
    /// `modes=1e14` would otherwise pass and abort the process when the spectrum is materialised.
    public static let maximumModes = 10_000_000
}

/// Checks parsed arguments against what a factory accepts.
enum SpecBinding {
    static func bind(_ call: SpecSyntax.Call, text: String, parameters: [SpecParameter], acceptsPositional: Bool) throws -> SpecArguments {
        let accepted = parameters.map(\.name)
        let acceptedList = accepted.isEmpty ? "none" : accepted.joined(separator: ", ")
        var arguments = SpecArguments(owner: call.name, accepted: parameters)
        for argument in call.arguments {
            let place = "at character \(argument.position + 1) of spec '\(LawfitError.excerpt(text))'"
            guard let key = argument.key else {
                guard acceptsPositional else {
                    let value = LawfitError.excerpt(argument.value.description)
                    throw LawfitError.input("\(call.name): unnamed value '\(value)' \(place); name it, e.g. \(accepted.first ?? "name")=\(value); it accepts \(acceptedList)")
                }
                arguments.positional.append(argument.value)
                continue
            }
            guard accepted.contains(key) else {
                throw LawfitError.input("\(call.name): unknown parameter '\(key)' \(place); it accepts \(acceptedList)")
            }
            guard arguments.named[key] == nil else {
                throw LawfitError.input("\(call.name): parameter '\(key)' is given twice (again \(place))")
            }
            arguments.named[key] = argument.value
        }
        return arguments
    }
}
