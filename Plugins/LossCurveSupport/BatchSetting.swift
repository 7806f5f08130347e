import LawfitCore

/// The `batch` setting of the SGD theories' laws (``ConfigurableLaw``: `dmft-sgd(batch=8)`,
/// `fsl-theory(batch=8)`, `fsl-theorem(batch=8)`): the runs' batch size B, 1 ... 1e9.
public enum BatchSetting {
    /// The largest batch size the setting accepts.
    public static let maximum = 1e9

    /// The setting's spec parameter, with `current` as its default.
    public static func parameter(default current: Double) -> SpecParameter {
        SpecParameter("batch", "batch size B in 1 ... 1e9", default: .number(current))
    }

    /// `batch` once checked.
    ///
    /// - Throws: ``LawfitError`` (input) naming `owner` when B is not in 1 ... 1e9.
    public static func checked(_ batch: Double, owner: String) throws -> Double {
        guard batch >= 1, batch <= maximum else {
            throw LawfitError.input("\(owner): batch must be in 1 ... 1e9, got \(SpecValue.format(batch))")
        }
        return batch
    }
}
