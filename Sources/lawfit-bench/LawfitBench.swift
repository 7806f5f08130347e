import ArgumentParser
import BuiltinPlugins
import ChinchillaLaw
import LawfitCore

/// `lawfit-bench`: release-build benchmarks of Lawfit's numerics (`swift run -c release lawfit-bench <name>`).
@main
struct LawfitBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lawfit-bench",
        abstract: "Benchmarks of Lawfit's fitting and evaluation speed (run in release).",
        subcommands: [All.self, DefaultPath.self, Compare.self, LongLog.self, Chinchilla.self, Bootstrap.self, Calibration.self, DMFT.self, ScheduleLaws.self, MultipowerEval.self, FSLOptimal.self, MeasureChild.self])

    /// Every benchmark in turn.
    struct All: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "all", abstract: "Run every benchmark.")
        func run() async throws {
            try await runChinchillaBenchmark()
            runDMFTBenchmark()
            await runScheduleLawBenchmark()
            try await runDefaultPathBenchmark()
            try await runLongLogBenchmark()
            try runFSLOptimalBenchmark()
        }
    }

    /// The Functional Scaling Law theory's compute-optimal allocation.
    struct FSLOptimal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fsl-optimal", abstract: "Time fsl-theory-scaling's compute-optimal allocation for budgets 1e9..1e24 FLOP.")
        func run() async throws {
            try runFSLOptimalBenchmark()
        }
    }

    /// The jobs users run, on the CLI's default path, side by side.
    struct DefaultPath: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "default-path",
            abstract: "Time lawfit fit / compare with default options on the shared loss curves and Chinchilla grid.")
        func run() async throws {
            try await runDefaultPathBenchmark()
            try await runLongLogBenchmark()
        }
    }

    /// The default-path benchmark's `compare` job alone.
    struct Compare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare",
            abstract: "Time lawfit compare of multi-power, fsl and lr-annealing on the nine multipower-400m curves with --bootstrap 200 --bootstrap-unit runs.")
        @Option(help: "Bootstrap resamples (a smaller proxy while iterating; the job is 200).") var resamples = 200
        @Option(help: "Comma-separated laws to compare.") var laws = "multi-power,fsl,lr-annealing"
        @Option(help: "Write the report's JSON (report.json's bytes) to this file, to compare intervals between versions.")
        var json: String?
        func run() async throws {
            guard (2...100_000).contains(resamples) else { throw ValidationError("--resamples must be in 2...100000, got \(resamples)") }
            try await runCompareBenchmark(
                try BuiltinPlugins.makeRegistry(), resamples: resamples,
                laws: laws.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }, json: json)
        }
    }

    /// The full 4500-start Epoch AI Chinchilla fit and its variable-projection counterpart.
    struct Chinchilla: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "chinchilla", abstract: "Time the 4500-start Chinchilla fit on Epoch AI's data, and variable projection.")
        func run() async throws {
            try await runChinchillaBenchmark()
        }
    }

    /// Epoch AI's bootstrap of the Chinchilla fit: percentile intervals next to Epoch's.
    struct Bootstrap: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bootstrap", abstract: "Bootstrap the Chinchilla fit on Epoch AI's data and compare the intervals with Epoch's.")
        @Option(help: "Bootstrap resamples (Epoch AI used 4000).") var resamples = 4000
        func run() async throws {
            try await runBootstrapBenchmark(law: ChinchillaLaw(), runs: try epochRuns(), resamples: resamples)
        }
    }

    /// Coverage of the bootstrap's 95 % intervals on synthetic Epoch-like datasets with known parameters.
    struct Calibration: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "calibration",
            abstract: "Coverage of bootstrap 95 % intervals for alpha, beta and E on synthetic Chinchilla datasets of Epoch AI's size and noise.")
        @Option(help: "Synthetic datasets.") var datasets = 200
        @Option(help: "Bootstrap resamples per dataset.") var resamples = 400
        @Option(help: "Starts of each dataset's fit: 'grid' (Epoch's 4500 points) or a number of Halton points.") var starts = "60"
        @Option(help: "Noise: 'residuals' (Epoch's own, resampled) or 'gaussian' (their standard deviation).") var noise = "residuals"
        @Option(help: "Seed of the datasets and the bootstraps.") var seed: UInt64 = 1
        func run() async throws {
            let plan: StartPlan
            if starts == "grid" {
                plan = .grid
            } else if let count = Int(starts), count > 0 {
                plan = .count(count)
            } else {
                throw ValidationError("--starts must be 'grid' or a positive number, got '\(starts)'")
            }
            guard let noiseModel = CalibrationNoise(rawValue: noise) else {
                throw ValidationError("--noise must be one of \(CalibrationNoise.allCases.map(\.rawValue).joined(separator: ", ")), got '\(noise)'")
            }
            try await runCalibrationBenchmark(
                law: ChinchillaLaw(), runs: try epochRuns(), datasets: datasets, resamples: resamples, starts: plan,
                noise: noiseModel, seed: seed)
        }
    }

    /// The DMFT solver: speed per point and curve, accuracy, and the check against simulation.
    struct DMFT: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dmft", abstract: "Time the exact DMFT solver; compare it with the reference values and with simulation.")
        func run() async throws {
            runDMFTBenchmark()
        }
    }

    /// One multi-power / fsl evaluation on the multipower-400m curves, compare's full fits, and a long log's fit.
    struct MultipowerEval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "multipower-eval",
            abstract: "Time one multi-power and fsl evaluation (value + Jacobian) on the multipower-400m fit curves, compare's full fits, and optionally lawfit fit --law multi-power on a long log.")
        @Option(help: "A step,lr,loss log to fit with multi-power as `lawfit fit` does (e.g. the 1e6-row log).") var longLog: String?
        @Option(help: "The long log's schedule spec.") var schedule = "wsd(peak=3e-4, decay_start=900000, total=1000000, floor=3e-5, shape=linear)"
        @Option(help: "Evaluations timed per law.") var repetitions = 300
        @Flag(help: "Also fit compare's full fits with the exact (uncompressed) sums.") var exact = false
        func run() async throws {
            try await runMultipowerEvalBenchmark(longLog: longLog, schedule: schedule, repetitions: repetitions, exactFits: exact)
        }
    }

    /// The loss-curve laws: evaluation time against steps, and joint fits on the multipower curves.
    struct ScheduleLaws: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schedule-laws",
            abstract: "Time schedule-law evaluation for 1e4..1e6 steps and the joint multipower-400m fits.")
        func run() async throws {
            await runScheduleLawBenchmark()
        }
    }
}
