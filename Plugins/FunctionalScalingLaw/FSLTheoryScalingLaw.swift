import Foundation
import LawfitCore

/// The Functional Scaling Law's theory functional with model size as an input (`fsl-theory-scaling`,
/// `fsl-theory-scaling-discrete`): the risk curve of ``FSLTheory`` for a model of M = m N features
/// (N the run's parameter count, m the fitted `modeScale`) on the power-law kernel
/// lambda_j = j^-beta, lambda_j theta*_j^2 = A j^-(1 + s beta), with the unlearned features' power
/// sum_{j > M} as extra noise (``FSLScaledKernel``; the M^-(s beta) term of Li et al., NeurIPS 2025,
/// arXiv 2509.19189, Theorem 4.2), batch B from the run's `batch` column (B = ``defaultBatchSize``
/// without one) and the run's learning rates times the LR scale c.
///
/// Parameters: those of ``FSLTheoryLaw`` (capacity beta, source s, amplitude A, noise sigma^2, lrScale
/// c) and `modeScale` m in (0, 1] (a model has at most one feature per parameter). M is real: the last
/// mode enters fractionally, so the loss is continuous in m. M is capped at ``maximumModes`` (the
/// functional costs O(M x steps) per run; the allocation's closed form has no cap). The Jacobian is by
/// central differences (13 evaluations). Divergence is handled as in ``FSLTheoryLaw`` (the loss
/// saturates at ``FSLTheoryLaw/divergedLoss``).
///
/// Settings (``ConfigurableLaw``, ``FSLTheorySettings``): `fsl-theory-scaling(batch=8, kernel=discrete,
/// decay=0.2)`. Compute-optimal allocation (``ComputeOptimalLaw``): ``FSLTheoryAllocation`` under
/// C = 6 N D with D = B x steps samples and the theory-optimal learning rate of a constant schedule
/// (or of a WSD with the `decay` setting).
public struct FSLTheoryScalingLaw: ConfigurableLaw, ComputeOptimalLaw {
    /// The most modes a run is evaluated with.
    public static let maximumModes = 10_000.0
    /// The name of the optional per-run batch-size column.
    public static let batchColumn = "batch"

    /// Kernel form of the functional.
    public let form: FSLTheory.KernelForm
    /// Batch size of runs without a `batch` column, and of the compute-optimal allocation.
    public let defaultBatchSize: Double
    /// The fraction of the steps the compute-optimal allocation's WSD decays over (0: a constant rate).
    public let allocationDecay: Double

    /// A law with kernel form `form` (continuum by default), batch B for runs without a batch column,
    /// and the allocation's decay fraction (default 0, a constant rate).
    public init(form: FSLTheory.KernelForm = .continuum, defaultBatchSize: Double = 1, allocationDecay: Double = 0) {
        precondition(defaultBatchSize >= 1, "fsl-theory-scaling needs a batch size >= 1")
        self.form = form
        self.defaultBatchSize = defaultBatchSize
        self.allocationDecay = allocationDecay
    }

    private var settings: FSLTheorySettings { FSLTheorySettings(batchSize: defaultBatchSize, form: form, decay: allocationDecay) }

    /// `fsl-theory-scaling` or `fsl-theory-scaling-discrete`, with the settings that differ from the
    /// defaults: `fsl-theory-scaling(batch=8, decay=0.2)`.
    public var name: String { settings.name("fsl-theory-scaling") }
    public var configurationParameters: [SpecParameter] { settings.parameters }

    public func configured(_ arguments: SpecArguments) throws -> any ScalingLaw {
        let new = try settings.applying(arguments)
        return FSLTheoryScalingLaw(form: new.form, defaultBatchSize: new.batchSize, allocationDecay: new.decay)
    }
    public var summary: String {
        "Functional Scaling Law theory functional with model size M = modeScale x N and batch B from a 'batch' column (default "
            + "\(SpecValue.format(defaultBatchSize))), \(form == .continuum ? "continuum kernel" : "discrete kernel: exact SGD"); "
            + "unlearned features as noise (Li et al., NeurIPS 2025, Thm 4.2)"
    }
    public var requiredInputs: Set<LawInput> { [.step, .schedule, .parameters] }

    public var parameterSpace: ParameterSpace {
        ParameterSpace(FSLTheoryLaw().parameterSpace.parameters + [
            Parameter("modeScale", "features per parameter m: M = m N", bounds: 1e-12...1, transform: .log, starts: [1e-6]),
        ])
    }

    /// ``FSLTheoryLaw``'s adapted starts, and the mode scale that gives the median run 200 modes.
    public func parameterSpace(adaptedTo runs: [Run]) -> ParameterSpace {
        let adapted = FSLTheoryLaw().parameterSpace(adaptedTo: runs)
        let sizes = runs.compactMap { $0.observations.first?.parameters }.filter { $0 > 0 && $0.isFinite }.sorted()
        let space = ParameterSpace(adapted.parameters + [parameterSpace.parameters[5]])
        guard !sizes.isEmpty else { return space }
        return space.replacingStarts(of: "modeScale", with: [min(max(200 / sizes[sizes.count / 2], 1e-12), 1)])
    }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        try validate(runs)
        var plans: [FSLTheoryScalingEvaluator.RunPlan] = []
        var count = 0
        for run in runs {
            guard let schedule = run.schedule, let first = run.observations.first else { continue }
            let location = { (line: Int?, column: String) in SourceLocation(file: run.source ?? run.name, line: line, column: column) }
            let size = first.parameters ?? 0
            let batch = first.extra[Self.batchColumn] ?? defaultBatchSize
            var steps: [Int] = [], indices: [Int] = []
            for observation in run.observations {
                guard observation.parameters == size else {
                    throw LawfitError.input("law '\(name)': run '\(run.name)' changes N within the run (\(SpecValue.format(size)) and \(SpecValue.format(observation.parameters ?? 0))); a run has one model size",
                                            at: location(observation.line, "N"))
                }
                let pointBatch = observation.extra[Self.batchColumn] ?? defaultBatchSize
                guard pointBatch >= 1, pointBatch <= 1e9, pointBatch == batch else {
                    throw LawfitError.input("law '\(name)': run '\(run.name)' has batch \(SpecValue.format(pointBatch)); the batch column must be one value per run, in 1...1e9",
                                            at: location(observation.line, Self.batchColumn))
                }
                let step = observation.step ?? -1
                guard step >= 0, step <= schedule.totalSteps else {
                    throw LawfitError.input("law '\(name)': step \(step) of run '\(run.name)' is outside its schedule (0...\(schedule.totalSteps))",
                                            at: location(observation.line, "step"))
                }
                steps.append(step)
                indices.append(count)
                count += 1
            }
            let order = steps.indices.sorted { steps[$0] < steps[$1] }
            let last = steps.max() ?? 0
            plans.append(.init(rates: Array(schedule.rates[0...last]), parameters: size, batchSize: batch,
                               steps: order.map { steps[$0] }, indices: order.map { indices[$0] }))
        }
        return FSLTheoryScalingEvaluator(plans: plans, count: count, form: form)
    }

    /// N*, D* (D = B x steps samples) and L* at compute C = 6 N D, from the fitted parameters, with the
    /// theory-optimal learning rate of the allocation's schedule (``FSLTheoryAllocation``).
    public func computeOptimum(parameters: [Double], compute: Double) throws -> ComputeOptimum {
        let allocation = try FSLTheoryAllocation(law: name, parameters: parameters, batchSize: defaultBatchSize, form: form, decay: allocationDecay)
            .optimum(compute: compute)
        return ComputeOptimum(compute: compute, parameters: allocation.parameters, tokens: allocation.samples, loss: allocation.loss)
    }
}

/// ``FSLTheoryScalingLaw`` bound to fixed runs.
struct FSLTheoryScalingEvaluator: LawEvaluator {
    /// One run: its rates up to the last observed step, model size, batch and observed steps in order.
    struct RunPlan: Sendable {
        var rates: [Double]
        var parameters: Double
        var batchSize: Double
        var steps: [Int]
        /// Where each observed step goes in the predictions.
        var indices: [Int]
    }

    let plans: [RunPlan]
    let count: Int
    let form: FSLTheory.KernelForm

    var parameterCount: Int { 6 }
    var hasAnalyticGradient: Bool { false }

    func predict(_ parameters: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        let scale = parameters[4]
        predictions = [Double](repeating: 0, count: count)
        for plan in plans {
            let modes = min(max(parameters[5] * plan.parameters, 1), FSLTheoryScalingLaw.maximumModes)
            let kernel = FSLScaledKernel(capacity: parameters[0], source: parameters[1], amplitude: parameters[2], modes: modes)
            let risk = kernel.theory(noise: parameters[3], batchSize: plan.batchSize, form: form).risk(rates: plan.rates.map { scale * $0 })
            var diverged = false
            var next = 0
            for (t, loss) in risk.enumerated() where next < plan.steps.count {
                diverged = diverged || !(loss <= FSLTheoryLaw.divergedLoss)
                while next < plan.steps.count && plan.steps[next] == t {
                    predictions[plan.indices[next]] = diverged ? FSLTheoryLaw.divergedLoss : loss
                    next += 1
                }
            }
        }
    }
}
