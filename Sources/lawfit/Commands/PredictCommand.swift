import ArgumentParser
import LawfitCore

/// `lawfit predict`: not built yet.
struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "predict", abstract: "Predict losses from fitted parameters. (not built yet)")

    func run() async throws {
        throw LawfitError.input("'lawfit predict' is not built yet")
    }
}
