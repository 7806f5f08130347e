import Foundation
import LawfitCore

/// Where `dmft-surrogate` is biased against the exact solver (measured by `lawfit-bench dmft` on the
/// grid a in [1.5, 4.5], b in [1.2, 2.5], N in [1e2, 1e6], t in [1, 1e6], P = infinity; Docs/laws/dmft.md):
/// within 5.3 % where the theory time t >= 100 and t^(1/b)/N is below 0.01 or at least 1, but -24 % to
/// +56 % at t < 100 (the discrete top modes, before the power law) and -32 % to +6 % on the approach to
/// the crossover, 0.01 <= t^(1/b)/N < 1 (the finite-N slowing of the learned modes, absent from the
/// surrogate's first-order cross term).
extension DMFTLaw: FitCaveatLaw {
    /// The theory times below which the surrogate is pre-asymptotic.
    static let asymptoticTime = 100.0
    /// The range of t^(1/b)/N where the surrogate approaches the crossover too low.
    static let crossoverBand = 0.01..<1.0

    public func fitWarnings(parameters: [Double], runs: [Run]) -> [String] {
        guard solver == .surrogate, parameters.count == parameterSpace.count else { return [] }
        let (b, tau, nu) = (parameters[1], parameters[4], parameters[5])
        var early = 0, crossover = 0, total = 0
        for observation in runs.flatMap(\.observations) {
            guard let x = time == .tokens ? observation.tokens : observation.step.map(Double.init) else { continue }
            total += 1
            let t = tau * x
            if t < Self.asymptoticTime {
                early += 1
            } else if let n = observation.parameters, Self.crossoverBand.contains(Foundation.pow(t, 1 / b) / (nu * n)) {
                crossover += 1
            }
        }
        var warnings: [String] = []
        if early > 0 {
            warnings.append(
                "\(early) of \(total) points sit at theory time tau x < 100, where dmft-surrogate is biased by -24 % to +56 % against the exact solver; refit with dmft")
        }
        if crossover > 0 {
            warnings.append(
                "\(crossover) of \(total) points sit before the crossover (0.01 <= t^(1/b)/N < 1 at t = tau x, N = nu params), where dmft-surrogate is biased by -32 % to +6 % against the exact solver; refit with dmft")
        }
        return warnings
    }
}
