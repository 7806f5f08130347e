import Foundation
import Testing
import TestSupport

/// Reproducibility (issue 9): the same command with the same seed writes the same bytes, ten times
/// over and whether it runs on 1 or 2 workers. `fit` needs `--no-timing` (its `seconds` changes from
/// run to run); compare reports and predictions never hold timings.
@Suite("Reproducible output")
struct ReproducibilityTests {
    static let data = "Fixtures/demo/nd_runs.csv"
    static let runs = 10

    /// Runs `arguments(k, workers)` ten times, workers alternating 1 and 2, and returns the bytes of
    /// `files(k)` after each run.
    static func outputs(
        _ arguments: (Int, Int) -> [String], files: (Int) -> [URL]
    ) throws -> [[Data]] {
        try (0..<runs).map { k in
            let outcome = try LawfitProcess.run(arguments(k, 1 + k % 2))
            #expect(outcome.status == 0, "\(outcome.standardError)")
            return try files(k).map { try Data(contentsOf: $0) }
        }
    }

    @Test("fit --no-timing: byte-identical JSON and text over 10 runs on 1 and 2 workers")
    func fit() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for format in ["json", "text"] {
            let results = try Self.outputs({ k, workers in
                ["fit", "--law", "chinchilla", "--data", Self.data, "--starts", "8", "--seed", "3", "--no-timing",
                 "--workers", "\(workers)", "--format", format, "--output", folder.appendingPathComponent("fit-\(k).\(format)").path]
            }, files: { k in [folder.appendingPathComponent("fit-\(k).\(format)")] })
            #expect(results.allSatisfy { $0 == results[0] }, "\(format) output differs between runs")
            let text = String(decoding: results[0][0], as: UTF8.self)
            #expect(text.contains("\"alpha\"") || text.contains("alpha ="))
            #expect(!text.contains("seconds"))
        }
        // Without the flag the timing is there, so the flag is what makes the bytes stable.
        let timed = try LawfitProcess.run(["fit", "--law", "chinchilla", "--data", Self.data, "--starts", "2", "--format", "json"])
        #expect(timed.standardOutput.contains("\"seconds\" : "))
    }

    @Test("fit of a loss-curve law under schedules: byte-identical JSON over 10 runs on 1 and 2 workers")
    func fitLossCurves() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let curves = [
            ("constant", "constant(peak=0.1, total=3000)"), ("cosine", "cosine(peak=0.1, floor=0.001, total=3000)"),
            ("twostage", "twostage(peak=0.1, low=0.02, switch=1500, total=3000)"),
        ].flatMap { ["--data", "Fixtures/demo/curves/\($0.0).csv", "--schedule", $0.1] }
        let results = try Self.outputs({ k, workers in
            ["fit", "--law", "lr-annealing"] + curves + ["--seed", "3", "--no-timing", "--workers", "\(workers)",
             "--format", "json", "--output", folder.appendingPathComponent("curves-\(k).json").path]
        }, files: { k in [folder.appendingPathComponent("curves-\(k).json")] })
        #expect(results.allSatisfy { $0 == results[0] }, "output differs between runs")
        #expect(String(decoding: results[0][0], as: UTF8.self).contains("\"lambda\""))
    }

    @Test("compare: byte-identical JSON, Markdown and HTML reports over 10 runs on 1 and 2 workers")
    func compare() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = ["report.json", "report.md", "report.html"]
        let reports = try Self.outputs({ k, workers in
            ["compare", "--data", Self.data, "--law", "chinchilla", "--law", "kaplan", "--starts", "4", "--bootstrap", "8",
             "--seed", "5", "--workers", "\(workers)", "--quiet", "--report", folder.appendingPathComponent("r\(k)").path]
        }, files: { k in names.map { folder.appendingPathComponent("r\(k)").appendingPathComponent($0) } })
        for (index, name) in names.enumerated() {
            #expect(reports.allSatisfy { $0[index] == reports[0][index] }, "\(name) differs between runs")
        }
        // The bootstrap ran: the JSON holds its intervals, so the comparison covers seeded resampling.
        let json = try #require(JSONSerialization.jsonObject(with: reports[0][0]) as? [String: Any])
        let laws = try #require(json["laws"] as? [[String: Any]])
        #expect(laws.count == 2 && laws.allSatisfy { $0["bootstrap"] != nil })
    }

    @Test("predict from a fit: byte-identical CSV over 10 runs")
    func predict() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fit = folder.appendingPathComponent("fit.json").path
        let fitted = try LawfitProcess.run([
            "fit", "--law", "chinchilla", "--data", Self.data, "--starts", "4", "--no-timing", "--format", "json", "--output", fit,
        ])
        #expect(fitted.status == 0, "\(fitted.standardError)")
        let tables = try Self.outputs({ k, _ in
            ["predict", "--law", "chinchilla", "--params-file", fit, "--data", Self.data, "--output", folder.appendingPathComponent("p\(k).csv").path]
        }, files: { k in [folder.appendingPathComponent("p\(k).csv")] })
        #expect(tables.allSatisfy { $0 == tables[0] })
        #expect(String(decoding: tables[0][0], as: UTF8.self).hasPrefix("run,N,D,loss,predicted_loss\n"))
    }
}
