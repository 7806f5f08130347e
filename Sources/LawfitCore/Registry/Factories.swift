/// Makes a `Product` from spec-string arguments: how schedules (``ScheduleFactory``) and spectral
/// kernels (``KernelFactory``) are registered by name.
public struct SpecFactory<Product>: Sendable {
    public var name: String
    public var summary: String
    public var parameters: [SpecParameter]
    /// Whether the factory takes positional values (such as `piecewise`'s breakpoints).
    public var acceptsPositional: Bool
    /// A typical spec, such as `rex(peak=3e-4, total=24000)`: shown by `lawfit plugins`, and what
    /// `lawfit plugins --check` (``PluginConformance`` in LawfitPluginTesting) exercises.
    public var example: String?
    public var make: @Sendable (SpecArguments) throws -> Product

    public init(
        name: String, summary: String, parameters: [SpecParameter], acceptsPositional: Bool = false, example: String? = nil,
        make: @escaping @Sendable (SpecArguments) throws -> Product
    ) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.acceptsPositional = acceptsPositional
        self.example = example
        self.make = make
    }
}

/// Makes a schedule from spec-string arguments: how schedules are registered by name.
public typealias ScheduleFactory = SpecFactory<any LearningRateSchedule>

/// Makes a spectral kernel from spec-string arguments (example: `powerlaw(capacity=1.5, source=0.5,
/// modes=400)`; kernels take no positional values).
public typealias KernelFactory = SpecFactory<any SpectralKernel>
