import Foundation
import Testing
import TestSupport

/// The success paths of the data options every command shares (column names, derived tokens, row
/// rules, runs in one file, schedules read from the log, forks), end to end and always on: the inputs
/// are the bundled simulator data (Fixtures/demo) rewritten here under other column names, and every
/// number checked is recomputed from the rows with the law written out (Hoffmann et al. 2022 eq. 2;
/// Muennighoff et al. 2023 eqs. 5-7; Tissue et al. 2024 Sec. 3 through ``DemoCurves``).
@Suite("lawfit data options, end to end")
struct DataOptionsEndToEndTests {
    static func json(_ outcome: LawfitProcess.Outcome) throws -> [String: Any] {
        #expect(outcome.status == 0, "\(outcome.standardError)")
        return try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
    }

    /// The rows of `predict`'s CSV output, by column name.
    static func table(_ outcome: LawfitProcess.Outcome) throws -> [[String: String]] {
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let lines = outcome.standardOutput.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(lines.first)
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    @Test("--params, --compute and --loss name the columns, D is derived as C / (6N), and --drop-highest-loss 3 drops the three highest losses")
    func columnNamesDerivedTokensAndDroppedRows() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Fixtures/demo/nd_runs.csv as (model size, FLOP = 6ND, val loss) with an unused column between.
        let lines = try String(contentsOf: SharedData.fixture("demo/nd_runs.csv"), encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        let rows = lines.map { $0.split(separator: ",").map { Double($0)! } }.map { (n: $0[0], c: 6 * $0[0] * $0[1], loss: $0[2]) }
        let text = "model size,note,FLOP,val loss\n" + rows.map { "\($0.n),x,\($0.c),\($0.loss)\n" }.joined()
        let file = folder.appendingPathComponent("renamed.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let fit = try Self.json(LawfitProcess.run([
            "fit", "--law", "chinchilla", "--data", file.path, "--params", "model size", "--compute", "FLOP", "--loss", "val loss",
            "--drop-highest-loss", "3", "--starts", "4", "--format", "json", "--no-timing", "--quiet",
        ]))
        let cut = rows.map(\.loss).sorted(by: >)[2]
        let kept = rows.filter { $0.loss < cut }
        #expect(kept.count == 46)
        #expect(fit["points"] as? Int == 46)
        let p = try #require(fit["parameters"] as? [String: Double])
        let huber = kept.reduce(0.0) { sum, row in
            let d = row.c / (6 * row.n)
            let r = abs(log(p["E"]! + p["A"]! / pow(row.n, p["alpha"]!) + p["B"]! / pow(d, p["beta"]!)) - log(row.loss))
            return sum + (r <= 1e-3 ? r * r / 2 : 1e-3 * (r - 5e-4))
        }
        let objective = try #require(fit["objective"] as? Double)
        #expect(DemoCurves.relativeError(objective, huber) <= 1e-9, "objective \(objective) vs \(huber) over the 46 lowest losses")
    }

    /// L = E + A / N'^alpha + B / D'^beta with D' = U_D + U_D R_D* (1 - exp(-R_D / R_D*)), U_D = min(D, U)
    /// (the unique tokens a run of D tokens can see), R_D = D / U_D - 1, N' = U_N + U_N R_N* (1 - exp(-R_N / R_N*)),
    /// U_N = min(N, N_opt(U)), R_N = N / U_N - 1, N_opt(U) = (U G)^(beta/alpha) G,
    /// G = (alpha A / (beta B))^(1/(alpha + beta)) (Muennighoff et al. 2023, eqs. 5-7 and appendix A).
    static func dataConstrained(_ p: [String: Double], n: Double, d: Double, u: Double) -> Double {
        let (a, b, e, alpha, beta, rd, rn) = (p["A"]!, p["B"]!, p["E"]!, p["alpha"]!, p["beta"]!, p["R_D_star"]!, p["R_N_star"]!)
        let g = pow(alpha * a / (beta * b), 1 / (alpha + beta))
        let nOpt = pow(u * g, beta / alpha) * g
        let ud = min(d, u)
        let repeats = d / ud - 1
        let dPrime = ud + ud * rd * (1 - exp(-repeats / rd))
        let un = min(n, nOpt)
        let excess = n / un - 1
        let nPrime = un + un * rn * (1 - exp(-excess / rn))
        return e + a / pow(nPrime, alpha) + b / pow(dPrime, beta)
    }

    @Test("--unique-tokens, --params, --tokens and --loss name the columns of predict --law data-constrained; the published fit gives 2.2256440889984477 at N = 6.34e9, D = 242e9, U = 25e9")
    func uniqueTokens() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rows: [(n: Double, d: Double, u: Double, loss: Double)] = [(6.34e9, 242e9, 25e9, 2.3), (1e8, 1e9, 5e8, 3.1), (1e9, 1e11, 1e10, 2.5), (3e10, 1e10, 2e10, 2.2)]
        let file = folder.appendingPathComponent("repeated.csv")
        try ("size,tokens seen,unique,val\n" + rows.map { "\($0.n),\($0.d),\($0.u),\($0.loss)\n" }.joined()).write(to: file, atomically: true, encoding: .utf8)
        // The published fit (Docs/laws/data-constrained.md): A = e^6.255414, B = e^7.3049974, E = e^0.6254804.
        let p = ["A": exp(6.255414), "B": exp(7.3049974), "E": exp(0.6254804), "alpha": 0.3526596, "beta": 0.3526596, "R_D_star": 15.387756, "R_N_star": 5.309743]
        let sets = p.keys.sorted().flatMap { ["--set", "\($0)=\(p[$0]!)"] }
        let table = try Self.table(LawfitProcess.run(
            ["predict", "--law", "data-constrained", "--data", file.path, "--params", "size", "--tokens", "tokens seen", "--unique-tokens", "unique", "--loss", "val"] + sets))
        #expect(table.count == rows.count)
        for (row, printed) in zip(rows, table) {
            #expect(Double(printed["U"] ?? "") == row.u && Double(printed["loss"] ?? "") == row.loss, "\(printed)")
            let predicted = try #require(Double(printed["predicted_loss"] ?? ""))
            let expected = Self.dataConstrained(p, n: row.n, d: row.d, u: row.u)
            #expect(DemoCurves.relativeError(predicted, expected) <= 1e-12, "N=\(row.n) D=\(row.d) U=\(row.u): \(predicted) vs \(expected)")
        }
        #expect(DemoCurves.relativeError(try #require(Double(table[0]["predicted_loss"] ?? "")), 2.2256440889984477) <= 1e-14)
    }

    @Test("--run splits one file into runs, --step, --lr and --loss name its columns, and --schedule-from lr gives the fit of the exact --schedule specs (the logged rates are piecewise linear between logged steps)")
    func runColumnAndScheduleFromLog() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // constant and wsd in one file, the runs interleaved row by row; both rates are linear between
        // the logged steps (every 25), so the tabulated schedule is the spec's at every step.
        let constant = try DemoCurves.curve("constant"), wsd = try DemoCurves.curve("wsd")
        var text = "iteration,name,learning_rate,val_loss\n"
        for (a, b) in zip(constant, wsd) { text += "\(a.step),constant,\(a.lr),\(a.loss)\n\(b.step),wsd,\(b.lr),\(b.loss)\n" }
        let file = folder.appendingPathComponent("both.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let fromLog = try Self.json(LawfitProcess.run([
            "fit", "--law", "lr-annealing", "--data", file.path, "--run", "name", "--step", "iteration", "--lr", "learning_rate",
            "--loss", "val_loss", "--schedule-from", "lr", "--format", "json", "--no-timing", "--quiet",
        ]))
        let fromSpecs = try Self.json(LawfitProcess.run([
            "fit", "--law", "lr-annealing", "--data", DemoCurves.file("constant").path, "--schedule", DemoCurves.specs["constant"]!,
            "--data", DemoCurves.file("wsd").path, "--schedule", DemoCurves.specs["wsd"]!, "--format", "json", "--no-timing", "--quiet",
        ]))
        #expect(fromLog["points"] as? Int == 240)
        let p = try #require(fromLog["parameters"] as? [String: Double])
        let q = try #require(fromSpecs["parameters"] as? [String: Double])
        for name in ["L0", "A", "alpha", "C", "lambda"] {
            #expect(DemoCurves.relativeError(p[name]!, q[name]!) <= 1e-6, "\(name): \(p[name]!) from the log vs \(q[name]!) from the specs")
        }
        let objective = try #require(fromLog["objective"] as? Double)
        let huber = DemoCurves.huberObjective(p, constant + wsd)
        #expect(DemoCurves.relativeError(objective, huber) <= 1e-8, "objective \(objective) vs \(huber)")
    }

    /// lr-annealing parameters for the prediction checks (any positive values do; lambda < 1 so that the
    /// momentum matters).
    static let parameters = ["L0": 0.08, "A": 0.85, "alpha": 0.5, "C": 0.02, "lambda": 0.9]
    static var sets: [String] { parameters.keys.sorted().flatMap { ["--set", "\($0)=\(parameters[$0]!)"] } }

    @Test("--fork BRANCH=SPEC@2400 joins a branch that logs only steps 2400-3000 to its parent's schedule: predictions are the wsd curve's, the law written out")
    func forkJoinsTheParentSchedule() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let branch = try DemoCurves.curve("wsd").filter { $0.step >= 2400 }
        let file = folder.appendingPathComponent("branch.csv")
        try ("step,lr,loss\n" + branch.map { "\($0.step),\($0.lr),\($0.loss)\n" }.joined()).write(to: file, atomically: true, encoding: .utf8)
        let table = try Self.table(LawfitProcess.run(
            ["predict", "--law", "lr-annealing", "--data", file.path, "--schedule-from", "lr", "--fork", "branch=\(DemoCurves.specs["constant"]!)@2400"]
                + Self.sets))
        let expected = DemoCurves.lrAnnealing(Self.parameters, schedule: "wsd", steps: branch.map(\.step))
        #expect(table.count == branch.count)
        for (row, (point, value)) in zip(table, zip(branch, expected)) {
            #expect(row["run"] == "branch" && Int(row["step"] ?? "") == point.step && Double(row["loss"] ?? "") == point.loss, "\(row)")
            let predicted = try #require(Double(row["predicted_loss"] ?? ""))
            #expect(DemoCurves.relativeError(predicted, value) <= 1e-9, "step \(point.step): \(predicted) vs \(value)")
        }
    }

    @Test("--repeated-steps first and last keep the earlier and the later loss of a step logged twice; the prediction is L0 + A (0.1 t)^-alpha")
    func repeatedSteps() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("resumed.csv")
        try "step,lr,loss\n1,0.1,0.9\n2,0.1,0.8\n2,0.1,0.7\n3,0.1,0.6\n".write(to: file, atomically: true, encoding: .utf8)
        for (rule, kept) in [("first", 0.8), ("last", 0.7)] {
            let table = try Self.table(LawfitProcess.run(
                ["predict", "--law", "lr-annealing", "--data", file.path, "--schedule", "constant(peak=0.1, total=3)", "--repeated-steps", rule] + Self.sets))
            #expect(table.compactMap { Int($0["step"] ?? "") } == [1, 2, 3], "\(rule)")
            #expect(table.compactMap { Double($0["loss"] ?? "") } == [0.9, kept, 0.6], "\(rule)")
            for row in table {
                // A constant rate has no drops: S2 = 0 and S1 = 0.1 t.
                let t = Double(row["step"]!)!, p = Self.parameters
                let expected = p["L0"]! + p["A"]! * pow(0.1 * t, -p["alpha"]!)
                #expect(DemoCurves.relativeError(Double(row["predicted_loss"]!)!, expected) <= 1e-12, "\(rule) at step \(t)")
            }
        }
    }
}
