import ArgumentParser
import Foundation
import LawfitCore

/// `--starts`, `--seed`, `--workers`: where a multi-start fit starts, the seed of every random
/// choice, and how many threads run it. Shared by every command that fits (fit, compare, demo).
struct StartOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "grid (each law's default start grid) or a number N of low-discrepancy (Halton) starts, which the seed picks.",
        valueName: "grid|N"))
    var starts: StartPlan = .grid
    @Option(help: "Seed for every random choice.")
    var seed: UInt64 = 0
    @Option(help: "Parallel workers (results do not depend on it).")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        try OptionChecks.starts(starts)
        try OptionChecks.workers(workers)
    }
}
