import ArgumentParser
import LawfitCore

/// `--objective huber:DELTA|squared` and `--space log|linear`: what a fit minimises (Docs/Fitting.md).
/// Shared by every command that fits with a chosen objective (fit, compare).
///
/// `fit`'s earlier spellings stay accepted, hidden from `--help` and deprecated: `--penalty huber|squared`
/// with `--huber-delta DELTA` (= `--objective huber:DELTA`, or `squared`) and `--loss-space` (= `--space`).
struct ObjectiveOptions: ParsableArguments {
    /// Huber's threshold when none is given: 1e-3 (Hoffmann et al. 2022; Epoch AI 2024).
    static let defaultHuberDelta = 1e-3

    @Option(help: ArgumentHelp(
        "huber:DELTA (Huber penalty with threshold DELTA > 0) or squared (default huber:0.001; squared for fit --method varpro).",
        valueName: "huber:DELTA|squared"))
    var objective: ResidualLoss?
    @Option(help: "Residuals in log (log Lhat - log L) or linear space (default log; linear for fit --method varpro).")
    var space: LossSpace?

    @Option(name: .customLong("penalty"), help: ArgumentHelp("Deprecated: --objective huber:DELTA or squared.", visibility: .hidden))
    var penalty: Penalty?
    @Option(name: .customLong("huber-delta"), help: ArgumentHelp("Deprecated: --objective huber:DELTA.", visibility: .hidden))
    var huberDelta: Double?
    @Option(name: .customLong("loss-space"), help: ArgumentHelp("Deprecated: --space.", visibility: .hidden))
    var lossSpace: LossSpace?

    func validate() throws {
        if objective != nil, penalty != nil || huberDelta != nil {
            throw ValidationError("give the objective once: --objective, or the deprecated --penalty and --huber-delta, not both")
        }
        if space != nil, lossSpace != nil {
            throw ValidationError("give --space or the deprecated --loss-space, not both")
        }
        if case .huber(let delta) = objective, !(delta.isFinite && delta > 0) {
            throw ValidationError("--objective huber:DELTA needs a finite DELTA > 0, got \(delta)")
        }
        if let huberDelta {
            guard huberDelta.isFinite, huberDelta > 0 else { throw ValidationError("--huber-delta must be positive, got \(huberDelta)") }
            if penalty == .squared { throw ValidationError("--huber-delta applies to --penalty huber, not squared") }
        }
    }

    /// The objective the options ask for. Unset parts default to Huber(1e-3) on log residuals, or
    /// for `squaredLinearByDefault` (variable projection) to squared error on linear residuals.
    func spec(squaredLinearByDefault: Bool = false) -> ObjectiveSpec {
        let loss: ResidualLoss
        if let objective {
            loss = objective
        } else {
            switch penalty ?? (squaredLinearByDefault && huberDelta == nil ? .squared : .huber) {
            case .huber: loss = .huber(delta: huberDelta ?? Self.defaultHuberDelta)
            case .squared: loss = .squared
            }
        }
        return ObjectiveSpec(loss: loss, space: space ?? lossSpace ?? (squaredLinearByDefault ? .linear : .log))
    }
}
