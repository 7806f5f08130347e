import ArgumentParser

/// `lawfit-bench`: release-build benchmarks of Lawfit's numerics (`swift run -c release lawfit-bench <name>`).
@main
struct LawfitBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lawfit-bench",
        abstract: "Benchmarks of Lawfit's fitting and evaluation speed (run in release).",
        subcommands: [All.self, Chinchilla.self])

    /// Every benchmark in turn.
    struct All: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "all", abstract: "Run every benchmark.")
        func run() async throws {
            try await runChinchillaBenchmark()
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
}
