import Foundation
import LawfitCore
import Testing

@testable import lawfit

/// `--params-file` reads what `lawfit fit --format json` writes, with the writer's convention for
/// the numbers JSON lacks (StableJSON: "inf", "-inf", "nan").
@Suite("Fit result file, in process")
struct FitResultFileTests {
    @Test("a fit result with non-finite numbers is written as strings and reads back as the same numbers")
    func nonFiniteRoundTrip() throws {
        var result = try StableJSON.decode(
            FitResult.self, from: Data(#"{"law": "chinchilla", "parameters": {"A": 1, "B": 2, "E": 3, "alpha": 0.3, "beta": 0.4}}"#.utf8))
        #expect(result.parameterNames == ["A", "B", "E", "alpha", "beta"])
        result.values = [.infinity, 2, .nan, 0.3, -.infinity]
        result.objective = .nan
        let runs = [Run(name: "r", observations: [
            Observation(loss: 3, parameters: 1e8, tokens: 2e9), Observation(loss: 2.5, parameters: 1e9, tokens: 2e10),
        ])]
        let data = try StableJSON.encode(FitFileOutput(fit: result.withoutTiming, runs: runs))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""A" : "inf""#) && text.contains(#""E" : "nan""#) && text.contains(#""beta" : "-inf""#), "\(text)")

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lawfit-fitfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("fit.json").path
        try data.write(to: URL(fileURLWithPath: path))
        let stored = try FitResultFile.read(path, law: "chinchilla")
        #expect(stored.law == "chinchilla")
        #expect(stored.parameters["A"] == .infinity && stored.parameters["beta"] == -.infinity)
        #expect(stored.parameters["E"]?.isNaN == true)
        #expect(stored.parameters["B"] == 2 && stored.parameters["alpha"] == 0.3)
        // C = 6 N D of the larger run, computed here independently.
        #expect(stored.largestCompute == 6 * 1e9 * 2e10)
    }
}
