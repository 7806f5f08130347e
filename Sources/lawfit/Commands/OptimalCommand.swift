import ArgumentParser
import LawfitCore

/// `lawfit optimal`: not built yet.
struct OptimalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "optimal", abstract: "Compute-optimal allocation or best schedule for a budget. (not built yet)")

    func run() async throws {
        throw LawfitError.input("'lawfit optimal' is not built yet")
    }
}
