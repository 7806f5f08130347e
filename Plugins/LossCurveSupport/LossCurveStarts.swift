import LawfitCore

/// How a loss-curve law's default start values follow the runs' scales (``LossCurveScale``), so that
/// default starts are feasible whether the runs used LLM learning rates (3e-4) or kernel-regression
/// ones (0.1): with f the runs' peak rate over the one the law's starts were set for, intrinsic time
/// tau grows as f, so a power of it and a time scale inside it move by sqrt(f), and a loss drop per
/// unit of rate by 1 / f.
public enum LossCurveStart: Sendable {
    /// The irreducible loss: starts at 0.5 and 0.9 of the lowest observed loss.
    case floor
    /// Multiplied by sqrt(f): the amplitude of a power of intrinsic time.
    case rootRate
    /// Divided by sqrt(f).
    case inverseRootRate
    /// Divided by f: a drop per unit of learning rate.
    case inverseRate
    /// These values divided by f, in place of the law's own starts.
    case inverseRateFrom([Double])
}

extension ParameterSpace {
    /// A copy with the start values of the named parameters moved to `scale` by their rules.
    ///
    /// - Parameter startsPeakRate: the peak learning rate the law's default starts were set for (f
    ///   is `scale.peakRate` over it).
    public func adaptingStarts(
        _ rules: KeyValuePairs<String, LossCurveStart>, to scale: LossCurveScale, startsPeakRate: Double
    ) -> ParameterSpace {
        let rateFactor = scale.rateFactor(over: startsPeakRate)
        var space = self
        for (name, rule) in rules {
            switch rule {
            case .floor: space = space.replacingStarts(of: name, with: [0.5 * scale.minLoss, 0.9 * scale.minLoss])
            case .rootRate: space = space.scalingStarts(of: name, by: rateFactor.squareRoot())
            case .inverseRootRate: space = space.scalingStarts(of: name, by: 1 / rateFactor.squareRoot())
            case .inverseRate: space = space.scalingStarts(of: name, by: 1 / rateFactor)
            case .inverseRateFrom(let values): space = space.replacingStarts(of: name, with: values.map { $0 / rateFactor })
            }
        }
        return space
    }
}
