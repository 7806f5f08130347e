import Foundation

/// The names Lawfit knows: laws, schedules and kernels, each registered once under a unique name.
///
/// Plugins register into a registry (built-in ones through `BuiltinPlugins`, user ones in Swift or
/// from a dynamic library at run time); the command-line tool, the spec parser and the evaluation
/// harness resolve names through it. Thread-safe.
public final class PluginRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var lawsByName: [String: any ScalingLaw] = [:]
    private var schedulesByName: [String: ScheduleFactory] = [:]
    private var kernelsByName: [String: KernelFactory] = [:]
    /// Where each name came from (`built-in` or a plugin path), for `lawfit plugins`.
    private var originsByName: [String: String] = [:]

    /// An empty registry.
    public init() {}

    /// Registers a law. - Throws: ``LawfitError`` if the name is taken or not a valid law name (``RegistryName``).
    public func register(law: any ScalingLaw, origin: String = "built-in") throws {
        try insert(law, named: law.name, kind: "law", into: \.lawsByName, origin: origin)
    }

    /// Registers a schedule factory. - Throws: ``LawfitError`` if the name is taken or not a spec name (``RegistryName``).
    public func register(schedule: ScheduleFactory, origin: String = "built-in") throws {
        try insert(schedule, named: schedule.name, kind: "schedule", into: \.schedulesByName, origin: origin)
    }

    /// Registers a kernel factory. - Throws: ``LawfitError`` if the name is taken or not a spec name (``RegistryName``).
    public func register(kernel: KernelFactory, origin: String = "built-in") throws {
        try insert(kernel, named: kernel.name, kind: "kernel", into: \.kernelsByName, origin: origin)
    }

    /// The law registered as `name`, or a law spec `name(key=value, ...)` configuring a
    /// ``ConfigurableLaw``. - Throws: ``LawfitError`` listing the known laws, or naming a bad argument.
    public func law(named name: String) throws -> any ScalingLaw {
        let spec = try lawSpec(name)
        if let given = spec.values.keys.sorted().first {
            throw LawfitError.input("law spec '\(LawfitError.excerpt(name))': '\(given)' is a fitted parameter of '\(spec.law.name)', not a setting; here the law takes only its settings")
        }
        return spec.law
    }

    /// A law spec split into the configured law and the parameter values it names:
    /// `fsl-theory(batch=8, capacity=1.5)` gives `fsl-theory(batch=8)` and capacity = 1.5. Arguments
    /// named after one of the law's fitted parameters must be numbers; the others configure a
    /// ``ConfigurableLaw``. A bare name is the registered law with no values.
    /// - Throws: ``LawfitError`` (input) for an unknown law, bad syntax or an argument the law does not accept.
    public func lawSpec(_ text: String) throws -> (law: any ScalingLaw, values: [String: Double]) {
        guard text.contains("(") else { return (try lookup(text, kind: "law", in: \.lawsByName), [:]) }
        let call = try SpecSyntax.parse(text, dashedName: true)
        let base = try lookup(call.name, kind: "law", in: \.lawsByName)
        let parameterNames = Set(base.parameterSpace.parameters.map(\.name))
        var values: [String: Double] = [:]
        var settings = SpecSyntax.Call(name: call.name, arguments: [])
        for argument in call.arguments {
            guard let key = argument.key, parameterNames.contains(key) else {
                settings.arguments.append(argument)
                continue
            }
            guard case .number(let value) = argument.value, values[key] == nil else {
                throw LawfitError.input("law spec '\(LawfitError.excerpt(text))': parameter '\(key)' must be given once, as a number")
            }
            values[key] = value
        }
        guard let configurable = base as? any ConfigurableLaw else {
            guard settings.arguments.isEmpty else {
                throw LawfitError.input("law '\(call.name)' takes no settings (spec '\(LawfitError.excerpt(text))'); only its parameters \(parameterNames.sorted().joined(separator: ", ")) may be given")
            }
            return (base, values)
        }
        let arguments = try SpecBinding.bind(settings, text: text, parameters: configurable.configurationParameters, acceptsPositional: false)
        return (try configurable.configured(arguments), values)
    }

    /// The schedule factory registered as `name`. - Throws: ``LawfitError`` listing the known ones.
    public func schedule(named name: String) throws -> ScheduleFactory {
        try lookup(name, kind: "schedule", in: \.schedulesByName)
    }

    /// The kernel factory registered as `name`. - Throws: ``LawfitError`` listing the known ones.
    public func kernel(named name: String) throws -> KernelFactory {
        try lookup(name, kind: "kernel", in: \.kernelsByName)
    }

    /// All laws, sorted by name.
    public var laws: [any ScalingLaw] { locked { lawsByName.keys.sorted().map { lawsByName[$0]! } } }
    /// All schedule factories, sorted by name.
    public var schedules: [ScheduleFactory] { locked { schedulesByName.keys.sorted().map { schedulesByName[$0]! } } }
    /// All kernel factories, sorted by name.
    public var kernels: [KernelFactory] { locked { kernelsByName.keys.sorted().map { kernelsByName[$0]! } } }

    /// Where `name` (of the given kind: law, schedule or kernel) was registered from.
    public func origin(of name: String, kind: String) -> String? {
        locked { originsByName["\(kind):\(name)"] }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private func insert<T>(
        _ value: T, named name: String, kind: String,
        into table: ReferenceWritableKeyPath<PluginRegistry, [String: T]>, origin: String
    ) throws {
        try locked {
            try RegistryName.validate(name, kind: kind, origin: origin)
            if self[keyPath: table][name] != nil {
                let first = originsByName["\(kind):\(name)"] ?? "unknown"
                throw LawfitError.input("the \(kind) '\(name)' from \(origin) clashes with the \(kind) of that name from \(first); names must be unique")
            }
            self[keyPath: table][name] = value
            originsByName["\(kind):\(name)"] = origin
        }
    }

    private func lookup<T>(_ name: String, kind: String, in table: KeyPath<PluginRegistry, [String: T]>) throws -> T {
        try locked {
            if let value = self[keyPath: table][name] { return value }
            let known = self[keyPath: table].keys.sorted()
            let list = known.isEmpty ? "none are registered" : "known \(kind)s: \(known.joined(separator: ", "))"
            throw LawfitError.input("unknown \(kind) '\(name)'; \(list)")
        }
    }
}
