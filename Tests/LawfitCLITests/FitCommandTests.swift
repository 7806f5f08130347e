import Foundation
import Testing
import TestSupport

@Suite("lawfit fit and optimal")
struct FitCommandTests {
    /// Epoch AI's replication recipe on the command line (../shared/datasets/README.md): 240 rows after
    /// the outlier rule, Huber 1e-3 on log residuals. 30 low-discrepancy starts already reach Epoch's
    /// best objective 0.0010182740; the full 4500-point grid runs in `lawfit-bench chinchilla`.
    @Test("Fits Epoch's Chinchilla data to the published optimum and writes the JSON result")
    func epochFit() throws {
        guard let url = try SharedData.dataset("chinchilla-epoch/svg_extracted_data.csv") else { return }
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fit = folder.appendingPathComponent("fit.json").path
        let outcome = try LawfitProcess.run([
            "fit", "--law", "chinchilla", "--data", url.path, "--params", "Model Size", "--compute", "Training FLOP",
            "--drop-highest-loss", "5", "--starts", "30", "--format", "json", "--output", fit,
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fit))) as? [String: Any])
        for key in ["law", "parameters", "objective", "converged", "starts", "evaluations", "seconds", "warnings"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["points"] as? Int == 240)
        let objective = try #require(json["objective"] as? Double)
        #expect(objective <= 0.0010182741)
        let p = try #require(json["parameters"] as? [String: Double])
        #expect(abs(p["alpha"]! - 0.3473) <= 0.001)
        #expect(abs(p["beta"]! - 0.3672) <= 0.002)
        #expect(abs(p["E"]! - 1.8172) <= 0.002)

        // Compute-optimal allocation from the file, against the closed form of Hoffmann et al. (2022):
        // G = (alpha A / (beta B))^(1/(alpha+beta)), N* = G (C/6)^(beta/(alpha+beta)), D* = C / (6 N*).
        let optimal = try LawfitProcess.run(["optimal", "--params-file", fit, "--compute", "1e22", "--format", "json"])
        #expect(optimal.status == 0, "\(optimal.standardError)")
        let (a, b, alpha, beta) = (p["A"]!, p["B"]!, p["alpha"]!, p["beta"]!)
        let g = pow(alpha * a / (beta * b), 1 / (alpha + beta))
        let nStar = g * pow(1e22 / 6, beta / (alpha + beta))
        let report = try #require(JSONSerialization.jsonObject(with: Data(optimal.standardOutput.utf8)) as? [String: Any])
        let optimum = try #require((report["optima"] as? [[String: Double]])?.first)
        #expect(abs(optimum["N"]! / nStar - 1) < 1e-9)
        #expect(abs(optimum["D"]! / (1e22 / (6 * nStar)) - 1) < 1e-9)
    }

    @Test("An unknown law exits 2 and lists the known ones")
    func unknownLaw() throws {
        let outcome = try LawfitProcess.run(["fit", "--law", "chinchila", "--data", "x.csv"])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("unknown law 'chinchila'"))
        #expect(outcome.standardError.contains("chinchilla"))
    }

    @Test("Data without the law's inputs exits 2 naming the column and file")
    func missingColumn() throws {
        let file = SharedData.fixture("bad/missing_column.csv").path
        let outcome = try LawfitProcess.run(["fit", "--law", "chinchilla", "--data", file])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("missing_column.csv"))
    }
}
