import ArgumentParser
import Foundation
import LawfitCore

/// `lawfit schedule show SPEC`: a schedule's rates and intrinsic time.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "Show a learning-rate schedule's rates and intrinsic time.",
        subcommands: [Show.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print step, lr and intrinsic time tau for a schedule spec.",
            discussion: """
                Examples:
                  lawfit schedule show 'cosine(peak=3e-4, floor=3e-5, warmup=2160, total=24000)' --steps 0:24000:1000
                  lawfit schedule show 'table(path=lr.csv)' --format csv
                """)

        @Argument(help: "A schedule spec string (see Docs/Schedules.md).") var spec: String
        @Option(help: "Steps to print as FROM:TO:BY, within 0...total (default: every step).") var steps: String?
        @Option(help: "An aligned table or CSV.") var format: ScheduleTable.Format = .table
        @OptionGroup var plugins: PluginOptions

        func run() async throws {
            let registry = try plugins.makeRegistry()
            let schedule = try ScheduleSpec.parse(spec, registry: registry)
            let range = try steps.map(ScheduleTable.steps)
            // Streamed in 64 KiB blocks: a 10^8-step schedule prints without holding its table. The
            // first pass of `write` checks every rate, so an error comes before any output.
            var buffer = ""
            try ScheduleTable.write(schedule: schedule, steps: range, format: format) { line in
                buffer += line
                if buffer.utf8.count >= 1 << 16 {
                    FileHandle.standardOutput.write(Data(buffer.utf8))
                    buffer = ""
                }
            }
            FileHandle.standardOutput.write(Data(buffer.utf8))
        }
    }
}
