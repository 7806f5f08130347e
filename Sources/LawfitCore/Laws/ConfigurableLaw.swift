/// A law with settings that are not fitted (a batch size, a kernel form ...), given as arguments of
/// its name in a law spec: `fsl-theory-scaling(batch=8, kernel=discrete)`. ``PluginRegistry/law(named:)``
/// binds the arguments to ``configurationParameters`` (defaults fill the rest) and asks the registered
/// law for the configured one; `lawfit plugins` lists the arguments.
public protocol ConfigurableLaw: ScalingLaw {
    /// The arguments the law accepts, each with its default.
    var configurationParameters: [SpecParameter] { get }
    /// The law with `arguments` (bound to ``configurationParameters``) applied. Its `name` must be a
    /// law spec that reads back to the same law (the registered name when every argument has its
    /// default), since fit results record the name.
    ///
    /// - Throws: ``LawfitError`` (input) for a value outside what the argument allows.
    func configured(_ arguments: SpecArguments) throws -> any ScalingLaw
}
