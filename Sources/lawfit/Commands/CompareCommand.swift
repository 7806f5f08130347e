import ArgumentParser
import LawfitCore

/// `lawfit compare`: not built yet.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compare", abstract: "Fit several laws and write a model-selection report. (not built yet)")

    func run() async throws {
        throw LawfitError.input("'lawfit compare' is not built yet")
    }
}
