import Foundation
import Testing
import TestSupport

/// A run bootstrap over identical runs: every resample is the same data, so every refit is the full
/// fit's optimum again and the intervals have no sampling width. The refits still stop a little away
/// from the full fit (multi-power's C lands 6e-7 relative above it on the data below), which is not a
/// bootstrap interval "excluding its fitted value": the flag must not be raised.
@Suite("Bootstrap over identical runs, end to end")
struct BootstrapIdenticalRunsTests {
    @Test("compare --bootstrap-unit runs on two copies of one curve: the intervals sit on the fit, no exclusion flag")
    func identicalRunsRaiseNoExclusion() throws {
        let root = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        // Every fourth point of the bundled cosine curve (30 points), twice, as runs a and b.
        let lines = try String(contentsOf: DemoCurves.file("cosine"), encoding: .utf8).split(whereSeparator: \.isNewline)
        let points = lines.dropFirst().enumerated().filter { $0.offset % 4 == 0 }.map { String($0.element) }
        let csv = "run," + lines[0] + "\n" + ["a", "b"].flatMap { run in points.map { "\(run),\($0)\n" } }.joined()
        let data = root.appendingPathComponent("twice.csv")
        try csv.write(to: data, atomically: true, encoding: .utf8)
        let outcome = try LawfitProcess.run([
            "compare", "--data", data.path, "--run", "run", "--schedule", DemoCurves.specs["cosine"]!, "--law", "multi-power",
            "--split", "none", "--bootstrap", "3", "--seed", "4", "--format", "json", "--quiet", "--workers", "2",
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let law = try #require((report["laws"] as? [[String: Any]])?.first)
        let intervals = try #require((law["bootstrap"] as? [String: Any])?["parameters"] as? [[String: Any]])
        var largest = 0.0
        for entry in intervals {
            let i = try #require(entry["interval"] as? [String: Double])
            let (estimate, lower, upper) = (try #require(i["estimate"]), try #require(i["lower"]), try #require(i["upper"]))
            #expect(estimate.isFinite && lower.isFinite && upper.isFinite, "\(entry["name"] ?? "")")
            let scale = Swift.max(abs(estimate), abs(lower), abs(upper))
            // No sampling width: the refits agree with each other to 1e-6 and with the fit to 1e-5 relative.
            #expect(upper - lower <= 1e-6 * scale, "\(entry["name"] ?? ""): [\(lower), \(upper)]")
            let outside = Swift.max(lower - estimate, estimate - upper, 0)
            #expect(outside <= 1e-5 * scale, "\(entry["name"] ?? ""): \(estimate) outside [\(lower), \(upper)]")
            largest = Swift.max(largest, outside / scale)
        }
        // The case is real: some interval leaves the estimate out by far more than rounding.
        #expect(largest > 1e-9, "largest relative exclusion \(largest)")
        let flags = try #require(law["flags"] as? [String])
        #expect(!flags.contains { $0.contains("excludes its fitted value") }, "\(flags)")
    }
}
