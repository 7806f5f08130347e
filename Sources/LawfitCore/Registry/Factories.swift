/// Makes a schedule from spec-string arguments: how schedules are registered by name.
public struct ScheduleFactory: Sendable {
    public var name: String
    public var summary: String
    public var parameters: [SpecParameter]
    /// Whether the factory takes positional values (such as `piecewise`'s breakpoints).
    public var acceptsPositional: Bool
    /// A typical spec, such as `rex(peak=3e-4, total=24000)`: shown by `lawfit plugins`, and what
    /// `lawfit plugins --check` (``PluginConformance`` in LawfitPluginTesting) exercises.
    public var example: String?
    public var make: @Sendable (SpecArguments) throws -> any LearningRateSchedule

    public init(
        name: String, summary: String, parameters: [SpecParameter], acceptsPositional: Bool = false, example: String? = nil,
        make: @escaping @Sendable (SpecArguments) throws -> any LearningRateSchedule
    ) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.acceptsPositional = acceptsPositional
        self.example = example
        self.make = make
    }
}

/// Makes a spectral kernel from spec-string arguments.
public struct KernelFactory: Sendable {
    public var name: String
    public var summary: String
    public var parameters: [SpecParameter]
    /// A typical spec, such as `powerlaw(capacity=1.5, source=0.5, modes=400)` (see ``ScheduleFactory/example``).
    public var example: String?
    public var make: @Sendable (SpecArguments) throws -> any SpectralKernel

    public init(
        name: String, summary: String, parameters: [SpecParameter], example: String? = nil,
        make: @escaping @Sendable (SpecArguments) throws -> any SpectralKernel
    ) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.example = example
        self.make = make
    }
}
