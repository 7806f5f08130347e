/// Makes a schedule from spec-string arguments: how schedules are registered by name.
public struct ScheduleFactory: Sendable {
    public var name: String
    public var summary: String
    public var parameters: [SpecParameter]
    /// Whether the factory takes positional values (such as `piecewise`'s breakpoints).
    public var acceptsPositional: Bool
    public var make: @Sendable (SpecArguments) throws -> any LearningRateSchedule

    public init(
        name: String, summary: String, parameters: [SpecParameter], acceptsPositional: Bool = false,
        make: @escaping @Sendable (SpecArguments) throws -> any LearningRateSchedule
    ) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.acceptsPositional = acceptsPositional
        self.make = make
    }
}

/// Makes a spectral kernel from spec-string arguments.
public struct KernelFactory: Sendable {
    public var name: String
    public var summary: String
    public var parameters: [SpecParameter]
    public var make: @Sendable (SpecArguments) throws -> any SpectralKernel

    public init(
        name: String, summary: String, parameters: [SpecParameter],
        make: @escaping @Sendable (SpecArguments) throws -> any SpectralKernel
    ) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.make = make
    }
}
