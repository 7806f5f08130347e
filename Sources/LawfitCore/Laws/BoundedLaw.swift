/// A law with narrower bounds on some of its parameters, as lmfit's `Parameter.set(min:, max:)`:
/// the same name, formula and evaluator, while the optimiser keeps to the narrower box and the
/// law's start values are clamped into it. `lawfit fit --bound NAME=LOW:HIGH` builds one.
///
/// Bounds can only narrow the law's own (which keep its formula defined), and a bound keeps the
/// parameter free: LOW < HIGH.
///
/// The base law's capabilities pass through, so that a bounded fit takes the same default path as an
/// unbounded one: its evaluator (with its ``LawEvaluator/logLossEvaluator``), its compute-optimal
/// allocation (``ScalingLaw/computeOptimal``), its linear parameters (``PartiallyLinearLaw``: staged
/// starts and Levenberg-Marquardt, none when the base law has none) and its fit warnings (``FitCaveatLaw``).
public struct BoundedLaw: ScalingLaw, PartiallyLinearLaw, FitCaveatLaw {
    /// The law whose bounds are narrowed.
    public let base: any ScalingLaw
    /// The narrowed bounds (natural units) by parameter index.
    private let narrowed: [Int: ClosedRange<Double>]

    /// - Parameter bounds: (parameter name, lower, upper) in natural units; infinite ends are allowed.
    /// - Throws: ``LawfitError`` (input) for an unknown parameter name (the message lists the law's
    ///   parameters), bounds without lower < upper (NaN included), or bounds wider than the law's own.
    public init(_ base: any ScalingLaw, bounds: [(name: String, lower: Double, upper: Double)]) throws {
        let space = base.parameterSpace
        var narrowed: [Int: ClosedRange<Double>] = [:]
        for (name, lower, upper) in bounds {
            let i = try space.index(of: name)
            let own = space.parameters[i]
            guard lower < upper else {
                throw LawfitError.input("the bound of '\(name)' must have LOW < HIGH, got \(lower):\(upper)")
            }
            guard lower >= own.lowerBound, upper <= own.upperBound else {
                throw LawfitError.input(
                    "the bound \(lower):\(upper) of '\(name)' is wider than law '\(base.name)' allows (\(own.lowerBound):\(own.upperBound)); a bound can only narrow the law's own")
            }
            narrowed[i] = lower...upper
        }
        self.base = base
        self.narrowed = narrowed
    }

    public var name: String { base.name }
    public var summary: String { base.summary }
    public var requiredInputs: Set<LawInput> { base.requiredInputs }
    public var parameterSpace: ParameterSpace { narrowing(base.parameterSpace) }

    public func parameterSpace(adaptedTo runs: [Run]) -> ParameterSpace {
        narrowing(base.parameterSpace(adaptedTo: runs))
    }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        try base.makeEvaluator(for: runs)
    }

    /// The base law's compute-optimal allocation (bounds narrow the fit, not the law's formula).
    public var computeOptimal: (any ComputeOptimalLaw)? { base.computeOptimal }

    /// The base law's linear parameters, or none when it is not a ``PartiallyLinearLaw``.
    public var linearParameters: [String] { (base as? any PartiallyLinearLaw)?.linearParameters ?? [] }

    /// The base law's warnings, or none when it is not a ``FitCaveatLaw``.
    public func fitWarnings(parameters: [Double], runs: [Run]) -> [String] {
        (base as? any FitCaveatLaw)?.fitWarnings(parameters: parameters, runs: runs) ?? []
    }

    /// `space` with the narrowed bounds (intersected with its own, should the base law have adapted
    /// them to the data) and its start values clamped into them, repeats removed.
    private func narrowing(_ space: ParameterSpace) -> ParameterSpace {
        var space = space
        for (i, range) in narrowed where i < space.count {
            let lower = max(range.lowerBound, space.parameters[i].lowerBound)
            let upper = min(range.upperBound, space.parameters[i].upperBound)
            guard lower < upper else { continue }
            space.parameters[i].lowerBound = lower
            space.parameters[i].upperBound = upper
            var seen = Set<Double>()
            space.parameters[i].startValues = space.parameters[i].startValues
                .map { min(max($0, lower), upper) }
                .filter { seen.insert($0).inserted }
        }
        return space
    }
}
