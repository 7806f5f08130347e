import Foundation
import Testing
import TestSupport

/// `lawfit compare --law all` end to end. Every registered law is tried; on data with a compute column
/// only, the laws of C alone (bnsl-1..3 and the six two-phase laws) are fitted and every other law is
/// skipped for its missing inputs: about 1 s of CPU in debug. That is the smallest honest input for
/// `--law all`: N, D data bring in dmft-surrogate (15 s of CPU in debug on 16 points) and dmft, loss
/// curves the fsl-theory family.
///
/// The data are the smooth two-phase law with gamma = 1/6 (Yang 2025, arXiv 2512.22088), written out
/// here and noise-free, so two-phase-smooth-gamma6 holds the truth. What is checked against code of
/// this file: the held-out set (the largest 20 % of C), every ranked law's held-out log-RMSE recomputed
/// from its printed held-out predictions, the ranking order by those scores, the true law's held-out
/// predictions equal to the formula at the truth, and the true law's fit equal to `lawfit fit` of that
/// law on the training rows alone.
@Suite("lawfit compare --law all, end to end")
struct CompareAllLawsEndToEndTests {
    /// E, A, C0, B of L = E + A exp(-C / C0) + B C^(-1/6).
    static let truth = (e: 1.7, a: 2.0, c0: 3e17, b: 400.0)

    static func loss(_ c: Double) -> Double {
        truth.e + truth.a * exp(-c / truth.c0) + truth.b * pow(c, -1.0 / 6)
    }

    /// Twelve compute values from 1e16 to 1e21, evenly spaced in log C.
    static let compute = (0..<12).map { pow(10, 16 + 5 * Double($0) / 11) }

    /// The laws `--law all` fits from C alone (Docs/laws: bnsl along compute, the two-phase family);
    /// bnsl-3 too, but its 12 parameters are more than the 10 training points, so it fails as input.
    static let computeLaws: Set<String> = [
        "bnsl-1", "bnsl-2", "two-phase", "two-phase-gamma6", "two-phase-gamma7",
        "two-phase-smooth", "two-phase-smooth-gamma6", "two-phase-smooth-gamma7",
    ]

    static func csv(_ rows: [Double]) -> String {
        "C,loss\n" + rows.map { "\($0),\(loss($0))\n" }.joined()
    }

    @Test("--law all on compute-only data: the C laws ranked by held-out log-RMSE (recomputed), the others skipped, the true law's fit equal to lawfit fit's")
    func allLaws() throws {
        let root = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("compute.csv")
        try Self.csv(Self.compute).write(to: data, atomically: true, encoding: .utf8)
        let outcome = try LawfitProcess.run([
            "compare", "--data", data.path, "--law", "all", "--split", "largest-compute:0.2", "--format", "json", "--quiet", "--workers", "2",
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let laws = try #require(report["laws"] as? [[String: Any]])

        // Every registered law is in the report: the C laws ranked, the others skipped for their inputs.
        let listing = try LawfitProcess.run(["plugins"])
        #expect(listing.status == 0)
        let names = laws.compactMap { $0["law"] as? String }
        for name in names { #expect(listing.standardOutput.contains(name), "\(name) is not listed by lawfit plugins") }
        #expect(names.count > Self.computeLaws.count + 10, "\(names)")
        #expect(Set(laws.filter { $0["status"] as? String == "ranked" }.compactMap { $0["law"] as? String }) == Self.computeLaws)
        let bnsl3 = try #require(laws.first { $0["law"] as? String == "bnsl-3" })
        #expect(bnsl3["status"] as? String == "failed" && bnsl3["failure"] as? String == "input")
        #expect((bnsl3["reason"] as? String)?.contains("12 parameters but only 10 points") == true, "\(bnsl3["reason"] ?? "")")
        for law in laws where !Self.computeLaws.contains(law["law"] as? String ?? "") && law["law"] as? String != "bnsl-3" {
            #expect(law["status"] as? String == "skipped", "\(law["law"] ?? "")")
            #expect((law["reason"] as? String)?.isEmpty == false, "\(law["law"] ?? "")")
        }

        // Held out: the two largest C (round(0.2 x 12) = 2, no ties).
        let heldOut: Set<Int> = [10, 11]
        var scores: [(law: String, rank: Int, score: Double)] = []
        for law in laws where law["status"] as? String == "ranked" {
            let name = try #require(law["law"] as? String)
            let points = try #require(law["points"] as? [[String: Any]])
            #expect(Set(points.filter { $0["held_out"] as? Bool == true }.compactMap { $0["index"] as? Int }) == heldOut, "\(name)")
            // log-RMSE over the held-out points, from the printed predictions and the data written here.
            let squares = try points.filter { $0["held_out"] as? Bool == true }.map { point -> Double in
                let index = try #require(point["index"] as? Int)
                let predicted = try #require(point["held_out_prediction"] as? Double)
                let r = log(predicted) - log(Self.loss(Self.compute[index]))
                return r * r
            }
            let recomputed = (squares.reduce(0, +) / Double(squares.count)).squareRoot()
            let score = try #require(law["score"] as? Double)
            #expect(abs(score - recomputed) <= 1e-12 + 1e-9 * recomputed, "\(name): \(score) vs \(recomputed)")
            scores.append((name, try #require(law["rank"] as? Int), recomputed))
        }
        // Ranked 1, 2, ... in the order of the recomputed scores (ties by name).
        let ordered = scores.sorted { ($0.score, $0.law) < ($1.score, $1.law) }
        #expect(ordered.map(\.rank) == Array(1...ordered.count), "\(ordered)")

        // The true law extrapolates the noise-free data: its held-out predictions are the formula's.
        let truthEntry = try #require(laws.first { $0["law"] as? String == "two-phase-smooth-gamma6" })
        let fitted = try #require((truthEntry["fit"] as? [String: Any])?["parameters"] as? [String: Double])
        let truthScore = try #require(scores.first { $0.law == "two-phase-smooth-gamma6" }?.score)
        #expect(truthScore <= 1e-6, "two-phase-smooth-gamma6 held-out log-RMSE \(truthScore); fit \(fitted)")
        for (name, value) in [("E", Self.truth.e), ("A", Self.truth.a), ("C0", Self.truth.c0), ("B", Self.truth.b)] {
            let got = try #require(fitted[name])
            #expect(abs(got - value) <= 1e-6 * value, "\(name): fitted \(got), truth \(value)")
        }

        // compare's fit of a law is `lawfit fit` of that law on the training rows.
        let training = root.appendingPathComponent("training.csv")
        try Self.csv(Array(Self.compute.prefix(10))).write(to: training, atomically: true, encoding: .utf8)
        let fit = try LawfitProcess.run([
            "fit", "--law", "two-phase-smooth-gamma6", "--data", training.path, "--format", "json", "--quiet", "--workers", "2", "--no-timing",
        ])
        #expect(fit.status == 0, "\(fit.standardError)")
        let alone = try #require(
            (JSONSerialization.jsonObject(with: Data(fit.standardOutput.utf8)) as? [String: Any])?["parameters"] as? [String: Double])
        #expect(Set(alone.keys) == ["E", "A", "C0", "B"])
        for (name, value) in alone {
            let other = try #require(fitted[name])
            #expect(abs(other - value) <= 1e-9 * abs(value), "\(name): compare \(other), fit \(value)")
        }
    }
}
