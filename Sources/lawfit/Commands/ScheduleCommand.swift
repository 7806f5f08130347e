import ArgumentParser
import LawfitCore

/// `lawfit schedule`: not built yet.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schedule", abstract: "Show a learning-rate schedule's rates and intrinsic time. (not built yet)")

    func run() async throws {
        throw LawfitError.input("'lawfit schedule' is not built yet")
    }
}
