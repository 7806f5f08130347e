import ArgumentParser
import Foundation
import LawfitCore
import LawfitSimulation

/// `lawfit simulate`: exact expected loss curves of SGD on power-law kernel regression.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Generate a ground-truth loss curve: exact expected loss of one-pass SGD on kernel regression.",
        discussion: """
            Writes CSV with columns step,lr,loss: the exact expectation of the loss after each update
            (the per-mode recursion of Li et al. 2025, arXiv 2509.19189, Sec. 4), so fitted laws can be
            checked against a known truth. Cost: O(modes x steps).

            Examples:
              lawfit simulate --kernel 'powerlaw(capacity=1.5, source=0.5, modes=400)' \\
                  --schedule 'cosine(peak=0.1, floor=0, total=3000)' --batch 4 --noise 0.09 --every 50
              lawfit simulate --kernel 'powerlaw(capacity=2, source=0.3, modes=1000)' \\
                  --schedule 'wsd(peak=0.2, warmup=0, decay_start=2400, total=3000, floor=0.002, shape=geometric)' \\
                  --output wsd.csv
            """)

    @Option(help: "Spectral kernel spec, e.g. 'powerlaw(capacity=1.5, source=0.5, modes=400)'.")
    var kernel: String
    @Option(help: "Learning-rate schedule spec (see Docs/Schedules.md).")
    var schedule: String
    @Option(help: "Minibatch size B.")
    var batch: Int = 1
    @Option(help: "Label noise variance sigma^2 (the irreducible loss).")
    var noise: Double = 0
    @Option(help: "Write every k-th step (and always the last); k >= 1.")
    var every: Int = 1
    @Option(help: ArgumentHelp(
        "Output CSV file (default: standard output). Written atomically; never a folder or special file.",
        discussion: "The rows are streamed in 1 MiB blocks: to a temporary file beside the output, renamed into place when the run succeeds and removed when it fails; on standard output a failing run (exit 1) may already have printed the blocks before the failure."))
    var output: String?
    @OptionGroup var plugins: PluginOptions

    func validate() throws {
        try OptionChecks.atLeast(every, 1, "--every")
        try OptionChecks.atLeast(batch, 1, "--batch")
        guard noise.isFinite, noise >= 0 else { throw ValidationError("--noise must be a finite number >= 0, got \(noise)") }
    }

    func run() async throws {
        if let output { try AtomicFile.checkDestination(output) }
        let registry = try plugins.makeRegistry()
        let kernel = try KernelSpec.parse(self.kernel, registry: registry)
        let simulator = try SGDPowerLawSimulator(kernel: kernel, noise: noise, batchSize: batch)
        let unchecked = DenseSchedule(try ScheduleSpec.parse(schedule, registry: registry))
        // The size limit first: checking the rates walks every step.
        try simulator.requireWithinWorkLimit(steps: unchecked.totalSteps)
        let dense = try unchecked.requireFiniteRates()
        try StreamedOutput.write(to: output) { try writeCurve(simulator, dense, to: $0) }
    }

    /// The CSV rows of steps every, 2 every, ..., and the last step, streamed as the simulation
    /// reaches them: memory stays O(modes + one block) for any number of steps.
    private func writeCurve(_ simulator: SGDPowerLawSimulator, _ schedule: DenseSchedule, to writer: BlockWriter) throws {
        let last = schedule.totalSteps
        try writer.append("step,lr,loss\n")
        try simulator.forEachFiniteExpectedLoss(schedule: schedule) { k, rate, loss in
            guard k >= 1, k % every == 0 || k == last else { return }
            try writer.append("\(k),\(rate),\(loss)\n")
        }
    }
}
