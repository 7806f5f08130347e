import Foundation
import Testing
import TestSupport

/// `lawfit demo --starts 2 --bootstrap 3 --seed S` end to end on DemoCommandTests' small fixture folder
/// (`--fixtures`) thinned to every third N and D (9 rows): the same seed writes the same bytes, another
/// seed other bootstrap draws, and each interval is numpy's type-7 percentile of the resample fits the
/// report prints, around the fit. `--starts 2` (two Halton starts per fit instead of each law's grid)
/// and the 9 rows keep a demo run near 3 s of CPU in debug: with the grid it takes 23 s, with 16 rows
/// dmft-surrogate's refits alone take 10 s.
@Suite("lawfit demo --seed and --bootstrap, end to end")
struct DemoBootstrapCommandTests {
    static let resamples = 3

    /// Runs the demo on `fixtures` into `output` with `--seed seed`.
    static func demo(_ fixtures: URL, _ output: URL, seed: Int) throws {
        let outcome = try LawfitProcess.run([
            "demo", "--fixtures", fixtures.path, "--output", output.path, "--starts", "2", "--bootstrap", "\(resamples)", "--seed", "\(seed)",
            "--quiet", "--workers", "2",
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
    }

    /// numpy.percentile's default (type 7): linear between order statistics at q (n - 1).
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let h = q * Double(sorted.count - 1), k = Int(h)
        return k + 1 < sorted.count ? sorted[k] + (h - Double(k)) * (sorted[k + 1] - sorted[k]) : sorted[k]
    }

    /// Checks every ranked law's bootstrap in `report`: `resamples` draws with `seed`, intervals the
    /// 2.5/97.5 % percentiles of the printed draws, estimates the fitted values, point bands ordered.
    /// Returns the draws by law.
    static func expectBootstraps(_ report: [String: Any], seed: Int) throws -> [String: [[Double]]] {
        var draws: [String: [[Double]]] = [:]
        let laws = try DemoCommandTests.laws(report)
        #expect(report["seed"] as? Int == seed)
        for law in laws where law["status"] as? String == "ranked" {
            let name = try #require(law["law"] as? String)
            let bootstrap = try #require(law["bootstrap"] as? [String: Any], "\(name) has no bootstrap")
            #expect(bootstrap["resamples"] as? Int == resamples, "\(name)")
            #expect(bootstrap["seed"] as? Int == seed, "\(name)")
            let failed = try #require(bootstrap["failed"] as? Int)
            let samples = try #require(bootstrap["samples"] as? [[Double]])
            #expect(samples.count == resamples - failed && !samples.isEmpty, "\(name): \(failed) failed")
            let fit = try #require(law["fit"] as? [String: Any])
            let order = try #require(fit["parameter_order"] as? [String])
            let fitted = try #require(fit["parameters"] as? [String: Double])
            let intervals = try #require(bootstrap["parameters"] as? [[String: Any]])
            #expect(intervals.map { $0["name"] as? String } == order, "\(name)")
            for (j, entry) in intervals.enumerated() {
                let bounds = try #require(entry["interval"] as? [String: Double])
                let values = samples.map { $0[j] }.sorted()
                let (lower, upper) = (percentile(values, 0.025), percentile(values, 0.975))
                let (low, high) = (try #require(bounds["lower"]), try #require(bounds["upper"]))
                #expect(abs(low - lower) <= 1e-12 * abs(lower) && abs(high - upper) <= 1e-12 * abs(upper),
                        "\(name) \(order[j]): [\(low), \(high)] vs [\(lower), \(upper)]")
                #expect(bounds["estimate"] == fitted[order[j]], "\(name) \(order[j])")
            }
            draws[name] = samples
            // Every point's band is ordered.
            for point in try #require(law["points"] as? [[String: Any]]) {
                let (low, high) = (try #require(point["lower"] as? Double), try #require(point["upper"] as? Double))
                #expect(low <= high, "\(name) point \(point["index"] ?? "")")
            }
        }
        #expect(!draws.isEmpty)
        return draws
    }

    @Test("demo --starts 2 --bootstrap 3: the same --seed gives the same bytes, another seed other draws; intervals are the draws' percentiles")
    func seedAndBootstrap() throws {
        let root = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let fixtures = root.appendingPathComponent("fixtures")
        try DemoCommandTests.makeFixtures(fixtures, stride: 3)
        let first = root.appendingPathComponent("seed1"), again = root.appendingPathComponent("seed1-again"), other = root.appendingPathComponent("seed2")
        try Self.demo(fixtures, first, seed: 1)
        try Self.demo(fixtures, again, seed: 1)
        try Self.demo(fixtures, other, seed: 2)
        for name in ["scaling", "curves"] {
            for file in ["report.json", "report.md", "report.html"] {
                let a = try Data(contentsOf: first.appendingPathComponent("\(name)/\(file)"))
                let b = try Data(contentsOf: again.appendingPathComponent("\(name)/\(file)"))
                #expect(a == b, "\(name)/\(file) differs between two runs with --seed 1")
            }
            let draws1 = try Self.expectBootstraps(try DemoCommandTests.report(first, name), seed: 1)
            let draws2 = try Self.expectBootstraps(try DemoCommandTests.report(other, name), seed: 2)
            #expect(Set(draws1.keys) == Set(draws2.keys))
            for (law, samples) in draws1 {
                #expect(samples != draws2[law], "\(name) \(law): seeds 1 and 2 drew the same resamples")
            }
        }
    }
}
