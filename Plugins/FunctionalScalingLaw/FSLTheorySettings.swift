import LawfitCore
import LossCurveSupport

/// The settings of the FSL theory laws given in a law spec (``ConfigurableLaw``):
/// `fsl-theory(modes=400, batch=8, kernel=discrete, decay=0.2)`, `fsl-theory-scaling(batch=8)`.
///
/// - `batch` B (1 ... 1e9): the batch of every run (of runs without a `batch` column for
///   `fsl-theory-scaling`) and of the compute-optimal allocation.
/// - `kernel`: `continuum` (exp(-2 eta lambda), the paper's) or `discrete` (exact one-pass SGD); it
///   picks the registered name (`fsl-theory` or `fsl-theory-discrete`).
/// - `decay` (0 ... 0.9): the schedule the allocation assumes: a constant rate (0) or a WSD whose last
///   `decay` fraction of the steps decays linearly to 0 (``FSLTheoryAllocation``). Fits ignore it.
/// - `modes` M (1 ... ``maximumModes``, `fsl-theory` only): the kernel's mode count.
struct FSLTheorySettings: Sendable, Hashable {
    /// The most modes `fsl-theory` accepts (its fits cost O(M x steps) per run and evaluation).
    static let maximumModes = 100_000
    /// The largest decay fraction of the allocation's WSD.
    static let maximumDecay = 0.9

    var modes: Int? = nil
    var batchSize: Double = 1
    var form: FSLTheory.KernelForm = .continuum
    var decay: Double = 0

    /// The arguments a law with these settings accepts (its own values as defaults).
    var parameters: [SpecParameter] {
        var list = [
            BatchSetting.parameter(default: batchSize),
            SpecParameter("kernel", "continuum (exp(-2 eta lambda)) or discrete (exact one-pass SGD)", default: .text(form.rawValue)),
            SpecParameter("decay", "the compute-optimal allocation's schedule: 0 a constant rate, else a WSD decaying linearly to 0 over this fraction of the steps (<= 0.9)",
                          default: .number(decay)),
        ]
        if let modes { list.insert(SpecParameter("modes", "number of modes M in 1 ... \(Self.maximumModes)", default: .number(Double(modes))), at: 0) }
        return list
    }

    /// The settings `arguments` give (bound to ``parameters``).
    ///
    /// - Throws: ``LawfitError`` (input) naming the argument and its limit.
    func applying(_ arguments: SpecArguments) throws -> FSLTheorySettings {
        var settings = self
        let owner = arguments.owner
        if modes != nil {
            let value = try arguments.integer("modes")
            guard (1...Self.maximumModes).contains(value) else {
                throw LawfitError.input("\(owner): modes must be in 1 ... \(Self.maximumModes), got \(value)")
            }
            settings.modes = value
        }
        settings.batchSize = try BatchSetting.checked(try arguments.number("batch"), owner: owner)
        let kernel = try arguments.text("kernel")
        guard let form = FSLTheory.KernelForm(rawValue: kernel) else {
            throw LawfitError.input("\(owner): kernel must be continuum or discrete, got '\(kernel)'")
        }
        settings.form = form
        settings.decay = try arguments.number("decay")
        guard settings.decay >= 0, settings.decay <= Self.maximumDecay else {
            throw LawfitError.input("\(owner): decay must be in 0 ... \(Self.maximumDecay), got \(SpecValue.format(settings.decay))")
        }
        return settings
    }

    /// The law spec of these settings on the registered names `continuumName` / `continuumName-discrete`:
    /// the bare name when every other setting has its default (modes 200, batch 1, decay 0).
    func name(_ continuumName: String) -> String {
        let base = form == .continuum ? continuumName : continuumName + "-discrete"
        var arguments: [String] = []
        if let modes, modes != 200 { arguments.append("modes=\(modes)") }
        if batchSize != 1 { arguments.append("batch=\(SpecValue.format(batchSize))") }
        if decay != 0 { arguments.append("decay=\(SpecValue.format(decay))") }
        return arguments.isEmpty ? base : "\(base)(\(arguments.joined(separator: ", ")))"
    }
}
