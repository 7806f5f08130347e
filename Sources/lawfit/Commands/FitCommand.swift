import ArgumentParser
import LawfitCore

/// `lawfit fit`: not built yet.
struct FitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fit", abstract: "Fit a law to training logs. (not built yet)")

    func run() async throws {
        throw LawfitError.input("'lawfit fit' is not built yet")
    }
}
