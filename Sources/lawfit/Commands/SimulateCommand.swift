import ArgumentParser
import LawfitCore

/// `lawfit simulate`: not built yet.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "simulate", abstract: "Generate ground-truth loss curves from the project's simulators. (not built yet)")

    func run() async throws {
        throw LawfitError.input("'lawfit simulate' is not built yet")
    }
}
