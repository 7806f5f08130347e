import ArgumentParser
import ChinchillaLaw

/// `lawfit-bench`: release-build benchmarks of Lawfit's numerics (`swift run -c release lawfit-bench <name>`).
@main
struct LawfitBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lawfit-bench",
        abstract: "Benchmarks of Lawfit's fitting and evaluation speed (run in release).",
        subcommands: [All.self, Chinchilla.self, Bootstrap.self, DMFT.self, ScheduleLaws.self])

    /// Every benchmark in turn.
    struct All: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "all", abstract: "Run every benchmark.")
        func run() async throws {
            try await runChinchillaBenchmark()
            runDMFTBenchmark()
            await runScheduleLawBenchmark()
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

    /// The DMFT solver: speed per point and curve, accuracy, and the check against simulation.
    struct DMFT: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dmft", abstract: "Time the exact DMFT solver; compare it with the reference values and with simulation.")
        func run() async throws {
            runDMFTBenchmark()
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
