import Foundation
import Testing
import TestSupport

/// `lawfit demo` end to end: the files it writes, the laws and splits of its two reports, and the
/// held-out sets counted by hand. The bundled fixtures take 80 s of CPU in debug (dmft-surrogate's
/// fit dominates), so the demo runs without bootstrap on a smaller fixture folder (`--fixtures`) made
/// here: every other N and D of Fixtures/demo/nd_runs.csv (16 rows) and the four schedules shortened
/// to 300 steps, simulated with `lawfit simulate` as scripts/make-demo-fixtures.sh does.
@Suite("lawfit demo, end to end")
struct DemoCommandTests {
    static let schedules = [
        ("constant", "constant(peak=0.1, total=300)"),
        ("cosine", "cosine(peak=0.1, floor=0.001, total=300)"),
        ("twostage", "twostage(peak=0.1, low=0.02, switch=150, total=300)"),
        ("wsd", "wsd(peak=0.1, decay_start=240, total=300, floor=0.001, shape=linear)"),
    ]

    /// Writes the small fixture folder into `root`: every `stride`-th N and D of the bundled grid.
    static func makeFixtures(_ root: URL, stride: Int = 2) throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let lines = try String(contentsOf: SharedData.fixture("demo/nd_runs.csv"), encoding: .utf8).split(whereSeparator: \.isNewline)
        // Rows run over D within N, 7 x 7: keep the indices of both divisible by `stride`.
        let kept = lines.dropFirst().enumerated().filter { $0.offset / 7 % stride == 0 && $0.offset % 7 % stride == 0 }.map { String($0.element) }
        try ([String(lines[0])] + kept).joined(separator: "\n").appending("\n").write(to: root.appendingPathComponent("nd_runs.csv"), atomically: true, encoding: .utf8)
        let curves = root.appendingPathComponent("curves")
        try FileManager.default.createDirectory(at: curves, withIntermediateDirectories: true)
        var manifest = "name,schedule\n"
        for (name, spec) in schedules {
            let outcome = try LawfitProcess.run([
                "simulate", "--kernel", "powerlaw(capacity=1.5, source=0.5, modes=400)", "--schedule", spec, "--batch", "4",
                "--noise", "0.09", "--every", "25", "--output", curves.appendingPathComponent("\(name).csv").path,
            ])
            #expect(outcome.status == 0, "\(outcome.standardError)")
            manifest += "\(name),\"\(spec)\"\n"
        }
        try manifest.write(to: curves.appendingPathComponent("schedules.csv"), atomically: true, encoding: .utf8)
    }

    /// Non-empty lines after the header of a CSV.
    static func dataLines(_ url: URL) throws -> [[Double]] {
        try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
    }

    static func report(_ folder: URL, _ name: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("\(name)/report.json"))) as? [String: Any])
    }

    static func laws(_ report: [String: Any]) throws -> [[String: Any]] {
        try #require(report["laws"] as? [[String: Any]])
    }

    @Test("demo --fixtures SMALL --bootstrap 0 writes both reports in three formats and an index linking them; laws, splits and held-out sets as documented")
    func demo() throws {
        let root = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let fixtures = root.appendingPathComponent("fixtures"), folder = root.appendingPathComponent("demo")
        try Self.makeFixtures(fixtures)
        let outcome = try LawfitProcess.run([
            "demo", "--fixtures", fixtures.path, "--output", folder.path, "--bootstrap", "0", "--quiet", "--workers", "2",
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        for name in ["scaling", "curves"] {
            for file in ["report.json", "report.md", "report.html"] {
                #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(name)/\(file)").path), "\(name)/\(file)")
            }
        }
        let index = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("href=\"scaling/report.html\"") && index.contains("href=\"curves/report.html\""))

        // Scaling in N and D: five laws, the largest 20 % of compute held out.
        let scaling = try Self.report(folder, "scaling")
        let scalingLaws = try Self.laws(scaling)
        #expect(Set(scalingLaws.compactMap { $0["law"] as? String }) == ["chinchilla", "kaplan", "dmft-surrogate", "sparse-feature", "bnsl-1"])
        #expect((scaling["split"] as? [String: Any])?["strategy"] as? String == "largest-compute:0.2")
        let rows = try Self.dataLines(fixtures.appendingPathComponent("nd_runs.csv"))
        #expect(rows.count == 16)
        let compute = rows.map { 6 * $0[0] * $0[1] }
        let threshold = compute.sorted(by: >)[Int((0.2 * Double(rows.count)).rounded()) - 1]
        let expectedHeldOut = compute.filter { $0 >= threshold }.count
        let ranked = scalingLaws.filter { $0["status"] as? String == "ranked" }
        #expect(ranked.map { $0["rank"] as? Int } == Array(1...ranked.count).map { Optional($0) })
        for law in ranked {
            #expect((law["test"] as? [String: Any])?["count"] as? Int == expectedHeldOut, "\(law["law"] ?? "")")
        }
        // Ranked best first: scores never decrease down the table.
        let scores = ranked.compactMap { $0["score"] as? Double }
        #expect(scores.count == ranked.count && zip(scores, scores.dropFirst()).allSatisfy { $0 <= $1 })

        // Loss curves: three laws fitted on constant, cosine and two-stage, predicting the WSD run.
        let curves = try Self.report(folder, "curves")
        let curveLaws = try Self.laws(curves)
        #expect(Set(curveLaws.compactMap { $0["law"] as? String }) == ["fsl", "multi-power", "lr-annealing"])
        #expect((curves["split"] as? [String: Any])?["strategy"] as? String == "runs:wsd")
        let wsdPoints = try Self.dataLines(fixtures.appendingPathComponent("curves/wsd.csv")).count
        #expect(wsdPoints == 12)
        for law in curveLaws where law["status"] as? String == "ranked" {
            #expect((law["test"] as? [String: Any])?["count"] as? Int == wsdPoints, "\(law["law"] ?? "")")
        }
        // The verdicts printed are the reports' own.
        for report in [scaling, curves] {
            let verdict = try #require(report["verdict"] as? String)
            #expect(outcome.standardOutput.contains(verdict))
        }
    }
}
