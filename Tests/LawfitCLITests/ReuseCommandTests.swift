import Foundation
import Testing
import TestSupport

/// `predict` and `optimal` read a compare report; `optimal` gives intervals from its bootstrap and
/// warns beyond the data; kaplan has a compute-optimal allocation.
@Suite("lawfit predict and optimal from a compare report")
struct ReuseCommandTests {
    @Test("A compare report.json feeds predict (--law picks the fit) and optimal (intervals, beyond-data warning)")
    func fromReport() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let compare = try LawfitProcess.run([
            "compare", "--data", "Fixtures/demo/nd_runs.csv", "--law", "chinchilla", "--law", "kaplan", "--starts", "6",
            "--bootstrap", "8", "--seed", "2", "--quiet", "--format", "json", "--report", folder.path,
        ])
        #expect(compare.status == 0, "\(compare.standardError)")
        let path = folder.appendingPathComponent("report.json").path
        let report = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let laws = try #require(report["laws"] as? [[String: Any]])
        let kaplan = try #require(laws.first { $0["law"] as? String == "kaplan" })
        let p = try #require((kaplan["fit"] as? [String: Any])?["parameters"] as? [String: Double])

        // predict: Kaplan's formula with the report's parameters.
        let predicted = try LawfitProcess.run(["predict", "--law", "kaplan", "--params-file", path, "--at", "N=1e9,D=2e10"])
        #expect(predicted.status == 0, "\(predicted.standardError)")
        let value = try #require(Double(predicted.standardOutput.split(separator: "\n")[1].split(separator: ",")[3]))
        let expected = pow(pow(p["N_c"]! / 1e9, p["alpha_N"]! / p["alpha_D"]!) + p["D_c"]! / 2e10, p["alpha_D"]!)
        #expect(abs(value / expected - 1) <= 1e-12)

        // Without --law the choice is the user's.
        let ambiguous = try LawfitProcess.run(["optimal", "--params-file", path, "--compute", "1e21"])
        #expect(ambiguous.status == 2)
        #expect(ambiguous.standardError.contains("\(path): the report holds fits of chinchilla, kaplan: choose one with --law"))

        // optimal: intervals over the 8 bootstrap fits; the warning names the ratio to the data's largest compute.
        let text = try String(contentsOfFile: "Fixtures/demo/nd_runs.csv", encoding: .utf8)
        let largest = text.split(separator: "\n").dropFirst().map { line -> Double in
            let cells = line.split(separator: ",").map { Double($0)! }
            return 6 * cells[0] * cells[1]
        }.max()!
        let optimal = try LawfitProcess.run(["optimal", "--params-file", path, "--law", "chinchilla", "--compute", "1e24", "--format", "json"])
        #expect(optimal.status == 0, "\(optimal.standardError)")
        #expect(optimal.standardError.contains("warning: the budget C = 1e+24 FLOP is \(String(format: "%.3g", 1e24 / largest)) times the largest compute in the data"))
        let json = try #require(JSONSerialization.jsonObject(with: Data(optimal.standardOutput.utf8)) as? [String: Any])
        let optimum = try #require((json["optima"] as? [[String: Any]])?.first)
        let beyond = try #require(optimum["beyond_data"] as? Double)
        #expect(abs(beyond / (1e24 / largest) - 1) <= 1e-12)
        // Inside the data's range there is no warning.
        let inside = try LawfitProcess.run(["optimal", "--params-file", path, "--law", "chinchilla", "--compute", "1e21"])
        #expect(inside.status == 0 && !inside.standardError.contains("warning"))
        let intervals = try #require(optimum["intervals"] as? [String: Any])
        #expect((intervals["draws"] as? Int ?? 0) + (intervals["failed"] as? Int ?? 0) == 8)
        for key in ["N", "D", "L"] {
            let i = try #require(intervals[key] as? [String: Double])
            #expect(i["lower"]! <= i["upper"]!)
            #expect(i["lower"]! > 0)
        }
        let n = try #require(optimum["N"] as? Double)
        let nInterval = try #require(intervals["N"] as? [String: Double])
        #expect(nInterval["estimate"] == n)
        let textOutput = try LawfitProcess.run(["optimal", "--params-file", path, "--law", "chinchilla", "--compute", "1e22"])
        #expect(textOutput.standardOutput.contains("95 % bootstrap intervals ("))
    }

    @Test("A fit's JSON records the largest compute of its data; optimal warns beyond it")
    func fitFileBeyondData() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("fit.json").path
        let fit = try LawfitProcess.run(["fit", "--law", "chinchilla", "--data", "Fixtures/demo/nd_runs.csv", "--starts", "4", "--format", "json", "--output", file])
        #expect(fit.status == 0, "\(fit.standardError)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        let text = try String(contentsOfFile: "Fixtures/demo/nd_runs.csv", encoding: .utf8)
        let largest = text.split(separator: "\n").dropFirst().map { line -> Double in
            let cells = line.split(separator: ",").map { Double($0)! }
            return 6 * cells[0] * cells[1]
        }.max()!
        let recorded = try #require(json["largest_compute"] as? Double)
        #expect(abs(recorded / largest - 1) <= 1e-15)
        let optimal = try LawfitProcess.run(["optimal", "--params-file", file, "--compute", "1e25"])
        #expect(optimal.status == 0)
        #expect(optimal.standardError.contains("warning: the budget C = 1e+25 FLOP is \(String(format: "%.3g", 1e25 / largest)) times the largest compute in the data"))
    }

    @Test("kaplan's compute-optimal N* matches a brute-force search over N")
    func kaplanOptimum() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("kaplan.json").path
        // Kaplan et al. 2020's published values.
        let (nc, dc, an, ad) = (6.4e13, 1.8e13, 0.076, 0.103)
        try #"{"law": "kaplan", "parameters": {"N_c": 6.4e13, "D_c": 1.8e13, "alpha_N": 0.076, "alpha_D": 0.103}}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        let outcome = try LawfitProcess.run(["optimal", "--params-file", file, "--compute", "1e21", "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let optimum = try #require((json["optima"] as? [[String: Double]])?.first)
        func loss(_ n: Double) -> Double { pow(pow(nc / n, an / ad) + dc * 6 * n / 1e21, ad) }
        // Golden-section search on log N over 1e3 ... 1e15.
        var (a, b) = (log(1e3), log(1e15))
        let g = (sqrt(5.0) - 1) / 2
        for _ in 0..<200 {
            let c = b - g * (b - a), d = a + g * (b - a)
            if loss(exp(c)) < loss(exp(d)) { b = d } else { a = c }
        }
        let brute = exp((a + b) / 2)
        #expect(abs(optimum["N"]! / brute - 1) <= 1e-6)
        #expect(abs(optimum["D"]! * 6 * optimum["N"]! / 1e21 - 1) <= 1e-12)
        #expect(abs(optimum["L"]! / loss(brute) - 1) <= 1e-12)
    }
}
