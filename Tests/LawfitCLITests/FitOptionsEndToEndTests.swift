import Foundation
import Testing
import TestSupport

/// The success paths of `lawfit fit`'s documented options, end to end on the bundled demo data
/// (always on: no ../shared needed). Each reported objective is recomputed here from the printed
/// parameters and the CSV with Hoffmann et al.'s formula (eq. 2) written out, so an option that is
/// parsed but ignored, or an objective that reports something else, fails.
@Suite("lawfit fit options, end to end")
struct FitOptionsEndToEndTests {
    /// (N, D, loss) of every row of Fixtures/demo/nd_runs.csv, read here without the project's reader.
    static func rows() throws -> [(n: Double, d: Double, loss: Double)] {
        let text = try String(contentsOf: SharedData.fixture("demo/nd_runs.csv"), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            let f = line.split(separator: ",").map { Double($0)! }
            return (f[0], f[1], f[2])
        }
    }

    static func chinchilla(_ p: [String: Double], _ n: Double, _ d: Double) -> Double {
        p["E"]! + p["A"]! / pow(n, p["alpha"]!) + p["B"]! / pow(d, p["beta"]!)
    }

    /// Runs `lawfit fit --law chinchilla` on the demo data with `options`; returns the JSON result.
    static func fit(_ options: [String]) throws -> [String: Any] {
        let outcome = try LawfitProcess.run(
            ["fit", "--law", "chinchilla", "--data", SharedData.fixture("demo/nd_runs.csv").path, "--params", "N",
             "--tokens", "D", "--format", "json", "--no-timing", "--workers", "1"] + options)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        return try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
    }

    /// In the deprecated spelling of `--objective squared --space linear`, which stays accepted.
    @Test("--penalty squared --loss-space linear: the objective is the sum of squared residuals")
    func squaredLinear() throws {
        let json = try Self.fit(["--penalty", "squared", "--loss-space", "linear", "--starts", "8"])
        let p = try #require(json["parameters"] as? [String: Double])
        let expected = try Self.rows().reduce(0.0) { sum, row in
            let r = Self.chinchilla(p, row.n, row.d) - row.loss
            return sum + r * r
        }
        let objective = try #require(json["objective"] as? Double)
        #expect(abs(objective - expected) <= 1e-9 * expected, "\(objective) vs \(expected)")
        #expect(json["points"] as? Int == 49)
    }

    @Test("--objective huber:0.05 --space log: the objective is the Huber sum on log residuals")
    func huberLog() throws {
        let json = try Self.fit(["--objective", "huber:0.05", "--space", "log", "--starts", "8"])
        let p = try #require(json["parameters"] as? [String: Double])
        var expected = 0.0, outside = 0
        for row in try Self.rows() {
            let r = log(Self.chinchilla(p, row.n, row.d)) - log(row.loss)
            if abs(r) > 0.05 { outside += 1 }
            expected += abs(r) <= 0.05 ? r * r / 2 : 0.05 * (abs(r) - 0.025)
        }
        let objective = try #require(json["objective"] as? Double)
        #expect(abs(objective - expected) <= 1e-9 * expected, "\(objective) vs \(expected) (\(outside) residuals beyond delta)")
    }

    @Test("--where keeps exactly the rows that satisfy it")
    func whereFilter() throws {
        let json = try Self.fit(["--where", "N>=1e8", "--where", "D<1e11", "--starts", "4"])
        let kept = try Self.rows().filter { $0.n >= 1e8 && $0.d < 1e11 }.count
        #expect(kept > 5 && kept < 49)
        #expect(json["points"] as? Int == kept)
    }

    @Test("--method varpro reaches the squared-error optimum of the plain fit")
    func variableProjection() throws {
        let plain = try Self.fit(["--penalty", "squared", "--loss-space", "linear", "--starts", "16"])
        let varpro = try Self.fit(["--method", "varpro"])
        let a = try #require(plain["objective"] as? Double), b = try #require(varpro["objective"] as? Double)
        #expect(b <= a * (1 + 1e-6), "varpro \(b) vs L-BFGS \(a)")
        let p = try #require(varpro["parameters"] as? [String: Double])
        let recomputed = try Self.rows().reduce(0.0) { sum, row in
            let r = Self.chinchilla(p, row.n, row.d) - row.loss
            return sum + r * r
        }
        #expect(abs(b - recomputed) <= 1e-9 * recomputed, "\(b) vs \(recomputed)")
    }

    @Test("--bound narrows a box, and a global --method with --polish fits inside it")
    func boundsGlobalAndPolish() throws {
        let json = try Self.fit([
            "--bound", "A=1:1e6", "--bound", "B=1:1e8", "--bound", "E=0.5:5", "--bound", "alpha=0.2:0.6",
            "--method", "GN_CRS2_LM", "--polish", "LD_LBFGS", "--starts", "1", "--seed", "3",
        ])
        let p = try #require(json["parameters"] as? [String: Double])
        #expect(p["alpha"]! >= 0.2 && p["alpha"]! <= 0.6, "alpha \(p["alpha"]!)")
        #expect(p["A"]! >= 1 && p["A"]! <= 1e6)
        #expect(p["E"]! >= 0.5 && p["E"]! <= 5)
        let algorithm = try #require(json["algorithm"] as? String)
        #expect(algorithm.contains("GN_CRS2_LM") && algorithm.contains("LD_LBFGS"), "\(algorithm)")
        var expected = 0.0
        for row in try Self.rows() {
            let r = log(Self.chinchilla(p, row.n, row.d)) - log(row.loss)
            expected += abs(r) <= 1e-3 ? r * r / 2 : 1e-3 * (abs(r) - 5e-4)
        }
        let objective = try #require(json["objective"] as? Double)
        #expect(abs(objective - expected) <= 1e-9 * expected, "\(objective) vs \(expected)")
    }
}

/// `lawfit plugins` and `lawfit schedule show`, end to end.
@Suite("lawfit plugins and schedule show, end to end")
struct ListingCommandsEndToEndTests {
    @Test("plugins lists every law of README's table with its inputs")
    func plugins() throws {
        let outcome = try LawfitProcess.run(["plugins"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        for law in ["chinchilla", "kaplan", "data-constrained", "sparse-feature", "two-phase", "bnsl-1", "dmft",
                    "dmft-surrogate", "fsl", "fsl-theory", "multi-power", "lr-annealing"] {
            #expect(outcome.standardOutput.contains("\n  \(law)  "), "missing \(law)")
        }
        #expect(outcome.standardOutput.contains("inputs: step, schedule"))
    }

    @Test("schedule show prints the cosine closed form and tau as the running sum of rates")
    func scheduleShow() throws {
        let outcome = try LawfitProcess.run(
            ["schedule", "show", "cosine(peak=0.1, floor=0.001, total=3000)", "--steps", "0:3000:1000", "--format", "csv"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let rows = outcome.standardOutput.split(whereSeparator: \.isNewline).filter { $0.first?.isNumber == true }
        #expect(rows.count == 4)
        var tau = 0.0, previous = 0
        func rate(_ k: Int) -> Double { 0.001 + (0.1 - 0.001) / 2 * (1 + cos(Double.pi * Double(k) / 3000)) }
        for row in rows {
            let f = row.split(separator: ",").map { Double($0)! }
            let k = Int(f[0])
            for i in stride(from: previous + 1, through: k, by: 1) { tau += rate(i) }
            previous = k
            #expect(abs(f[1] - rate(k)) <= 1e-15, "lr at \(k): \(f[1]) vs \(rate(k))")
            #expect(abs(f[2] - tau) <= 1e-12 * max(tau, 1), "tau at \(k): \(f[2]) vs \(tau)")
        }
    }
}
