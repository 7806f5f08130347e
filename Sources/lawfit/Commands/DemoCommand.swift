import ArgumentParser
import LawfitCore

/// `lawfit demo`: not built yet.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Run the README's main job on bundled data. (not built yet)")

    func run() async throws {
        throw LawfitError.input("'lawfit demo' is not built yet")
    }
}
