import Foundation
import Testing
import TestSupport

/// The success paths of the options that choose a command's method or output (`fit --method`,
/// `--format text`, `--output`; `predict --every`; `simulate --output`; `schedule show`'s table;
/// `optimal --family cosine|free`), end to end and always on. Every number is checked against an
/// independent computation: the laws and schedules written out, closed forms, a brute-force search,
/// or the Python reference's value.
@Suite("lawfit method and output options, end to end")
struct CommandOutputsEndToEndTests {
    static func json(_ outcome: LawfitProcess.Outcome) throws -> [String: Any] {
        #expect(outcome.status == 0, "\(outcome.standardError)")
        return try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
    }

    /// Huber(1e-3) on log residuals of chinchilla (Hoffmann et al. 2022, eq. 2) over Fixtures/demo/nd_runs.csv.
    static func chinchillaObjective(_ p: [String: Double]) throws -> Double {
        let lines = try String(contentsOf: SharedData.fixture("demo/nd_runs.csv"), encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        return lines.map { $0.split(separator: ",").map { Double($0)! } }.reduce(0.0) { sum, f in
            let r = abs(log(p["E"]! + p["A"]! / pow(f[0], p["alpha"]!) + p["B"]! / pow(f[1], p["beta"]!)) - log(f[2]))
            return sum + (r <= 1e-3 ? r * r / 2 : 1e-3 * (r - 5e-4))
        }
    }

    static func fitChinchilla(_ options: [String]) throws -> [String: Any] {
        try Self.json(LawfitProcess.run(
            ["fit", "--law", "chinchilla", "--data", SharedData.fixture("demo/nd_runs.csv").path, "--starts", "4", "--format", "json", "--no-timing", "--quiet"]
                + options))
    }

    @Test("--method lm and --method lbfgs reach the same optimum, each objective the Huber sum recomputed; --method auto runs L-BFGS for chinchilla and Levenberg-Marquardt for lr-annealing")
    func methods() throws {
        var objectives: [String: Double] = [:]
        for (method, algorithm) in [("lm", "Levenberg-Marquardt"), ("lbfgs", "LD_LBFGS"), ("auto", "LD_LBFGS")] {
            let fit = try Self.fitChinchilla(["--method", method])
            #expect(fit["algorithm"] as? String == algorithm, "--method \(method)")
            let objective = try #require(fit["objective"] as? Double)
            let recomputed = try Self.chinchillaObjective(try #require(fit["parameters"] as? [String: Double]))
            #expect(DemoCurves.relativeError(objective, recomputed) <= 1e-9, "--method \(method): \(objective) vs \(recomputed)")
            objectives[method] = objective
        }
        #expect(DemoCurves.relativeError(objectives["lm"]!, objectives["lbfgs"]!) <= 1e-6, "\(objectives)")
        let curve = try Self.json(LawfitProcess.run([
            "fit", "--law", "lr-annealing", "--data", DemoCurves.file("cosine").path, "--schedule", DemoCurves.specs["cosine"]!,
            "--format", "json", "--no-timing", "--quiet",
        ]))
        #expect(curve["algorithm"] as? String == "Levenberg-Marquardt")
        let objective = try #require(curve["objective"] as? Double)
        let recomputed = DemoCurves.huberObjective(try #require(curve["parameters"] as? [String: Double]), try DemoCurves.curve("cosine"))
        #expect(DemoCurves.relativeError(objective, recomputed) <= 1e-8, "lr-annealing: \(objective) vs \(recomputed)")
    }

    @Test("fit --format text --output FILE writes the text report to the file (nothing on stdout) with the JSON fit's objective and parameters")
    func textReportToFile() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = try Self.fitChinchilla([])
        let file = folder.appendingPathComponent("fit.txt")
        let outcome = try LawfitProcess.run([
            "fit", "--law", "chinchilla", "--data", SharedData.fixture("demo/nd_runs.csv").path, "--starts", "4", "--format", "text",
            "--no-timing", "--quiet", "--output", file.path,
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
        let text = try String(contentsOf: file, encoding: .utf8)
        let p = try #require(json["parameters"] as? [String: Double])
        // "    alpha = 1.076485 +/- ...": seven significant digits of the JSON's value.
        for (name, value) in p {
            let line = try #require(text.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("\(name) ") && $0.contains("+/-") })
            let printed = try #require(Double(line.split(separator: "=")[1].split(separator: " ")[0]), "\(line)")
            #expect(DemoCurves.relativeError(printed, value) <= 1e-6, "\(name): printed \(printed) vs \(value)")
        }
        let objective = try #require(json["objective"] as? Double)
        let line = try #require(text.split(separator: "\n").first { $0.contains("best objective") })
        #expect(DemoCurves.relativeError(try #require(Double(line.split(separator: "=")[1].trimmingCharacters(in: .whitespaces))), objective) <= 1e-12, "\(line)")
        #expect(text.contains("summed over 49 points"))
    }

    @Test("predict --schedule --every 1000 --output FILE writes steps 1000, 2000, 3000 of the lr-annealing law written out")
    func predictEveryToFile() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("curve.csv")
        let p = ["L0": 0.08, "A": 0.85, "alpha": 0.5, "C": 0.02, "lambda": 0.9]
        let outcome = try LawfitProcess.run(
            ["predict", "--law", "lr-annealing", "--schedule", DemoCurves.specs["cosine"]!, "--every", "1000", "--output", file.path]
                + p.keys.sorted().flatMap { ["--set", "\($0)=\(p[$0]!)"] })
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
        let lines = try String(contentsOf: file, encoding: .utf8).split(whereSeparator: \.isNewline)
        #expect(lines.first == "run,step,predicted_loss")
        let rows = lines.dropFirst().map { $0.split(separator: ",") }
        #expect(rows.map { Int($0[1]) } == [1000, 2000, 3000])
        let expected = DemoCurves.lrAnnealing(p, schedule: "cosine", steps: [1000, 2000, 3000])
        for (row, value) in zip(rows, expected) {
            let predicted = try #require(Double(row[2]))
            #expect(DemoCurves.relativeError(predicted, value) <= 1e-9, "step \(row[1]): \(predicted) vs \(value)")
        }
    }

    @Test("simulate --output FILE writes the exact expected loss of the Python reference (L(3000) = 0.14427534980525053) and nothing on stdout")
    func simulateToFile() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("sgd.csv")
        // The reference of SimulateCommandTests: sgd_expected_loss of ../shared/reference/sgd_power_law_regression.py.
        let outcome = try LawfitProcess.run([
            "simulate", "--kernel", "powerlaw(capacity=1.5, source=0.5, modes=400)", "--schedule", "cosine(peak=0.1, floor=0, total=3000)",
            "--batch", "4", "--noise", "0.09", "--every", "1500", "--output", file.path,
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
        let rows = try String(contentsOf: file, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        #expect(rows.map { $0[0] } == [1500, 3000])
        #expect(abs(rows[0][1] - 0.05) <= 1e-15, "lr at 1500: \(rows[0][1])")
        #expect(DemoCurves.relativeError(rows[1][2], 0.14427534980525053) <= 1e-12, "L(3000) = \(rows[1][2])")
    }

    @Test("schedule show's default table prints the linear WSD's rates and tau = 240, 262.55025, 270.2505 (closed-form sums) at steps 2400, 2700, 3000")
    func scheduleTable() throws {
        let outcome = try LawfitProcess.run(["schedule", "show", DemoCurves.specs["wsd"]!, "--steps", "2400:3000:300"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let rows = outcome.standardOutput.split(whereSeparator: \.isNewline).map { $0.split(separator: " ") }.filter { Int($0.first ?? "") != nil }
        #expect(rows.map { Int($0[0])! } == [2400, 2700, 3000])
        // tau(t) = sum_{k=1..t} eta_k: 0.1 t up to 2400, then 0.1 j - 0.099 j (j + 1) / 1200 over the j = t - 2400 decay steps.
        func tau(_ t: Int) -> Double { let j = Double(t - 2400); return 240 + 0.1 * j - 0.099 * j * (j + 1) / 1200 }
        for row in rows {
            let t = Int(row[0])!, lr = Double(row[1])!, printed = Double(row[2])!
            #expect(abs(lr - DemoCurves.rate("wsd", t)) <= 1e-15, "lr at \(t): \(lr)")
            #expect(DemoCurves.relativeError(printed, tau(t)) <= 1e-12, "tau at \(t): \(printed) vs \(tau(t))")
        }
    }

    // MARK: optimal --family

    /// The published 400M Multi-Power Law (Luo et al. 2025; ../shared/datasets/README.md).
    static let multiPower = ["L0": 2.37474466, "A": 0.65421216, "alpha": 0.42878731, "B": 523.42464371, "C": 2.02462735, "beta": 0.59350493, "gamma": 0.63472457]

    /// The Multi-Power Law's loss at the last step T of rates eta_0 ... eta_T (Luo et al. 2025, Sec. 3,
    /// the authors' warmup convention as in scripts/reference_points.py), summed in O(T) with suffix sums:
    /// L0 + A S1^-alpha - B sum_{k=1..T} (eta_{k-1} - eta_k) (1 - (C eta_k^-gamma S_k + 1)^-beta).
    static func multiPowerFinalLoss(_ eta: [Double]) -> Double {
        let p = multiPower
        var suffix = 0.0, drop = 0.0
        for k in stride(from: eta.count - 1, through: 1, by: -1) {
            suffix += eta[k]
            let d = eta[k - 1] - eta[k]
            if d != 0 { drop += d * (1 - pow(p["C"]! * pow(eta[k], -p["gamma"]!) * suffix + 1, -p["beta"]!)) }
        }
        return p["L0"]! + p["A"]! * pow(suffix, -p["alpha"]!) - p["B"]! * drop
    }

    /// How far `lawfit` may be from the exact sum: the Multi-Power evaluator merges smooth stretches of
    /// change points far behind the observed step (midpoint rule, rho = 32; Docs/laws/multi-power.md
    /// measures up to 6.5e-8 relative). Measured here: 1.5e-9 (cosine optimum), 1.1e-7 (free table).
    static let compressionTolerance = 1e-6

    /// Cosine with linear warmup from 0 over W steps (Docs/Schedules.md): eta_0 ... eta_T.
    static func cosine(peak: Double, floor: Double, warmup: Int, total: Int) -> [Double] {
        (0...total).map { k in
            k < warmup ? peak * Double(k) / Double(warmup)
                : floor + (peak - floor) / 2 * (1 + cos(Double.pi * Double(k - warmup) / Double(total - warmup)))
        }
    }

    static func optimal(_ family: String, format: String, quiet: Bool = true) throws -> LawfitProcess.Outcome {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("mpl.json")
        let body = multiPower.keys.sorted().map { "\"\($0)\":\(multiPower[$0]!)" }.joined(separator: ",")
        try Data("{\"law\":\"multi-power\",\"parameters\":{\(body)}}".utf8).write(to: file)
        return try LawfitProcess.run([
            "optimal", "--params-file", file.path, "--family", family, "--total", "3000", "--peak", "3e-4", "--warmup", "100",
            "--format", format,
        ] + (quiet ? ["--quiet"] : []))
    }

    /// The best final loss of a cosine with peak 3e-4, warmup 100 and total 3000 over floors j/400 of the
    /// peak, j = 1 ... 400 (a zero floor makes the last term 0^-gamma x 0, which the law leaves undefined).
    static func bestCosineOnAGrid() -> Double {
        (1...400).map { multiPowerFinalLoss(cosine(peak: 3e-4, floor: 3e-4 * Double($0) / 400, warmup: 100, total: 3000)) }.min()!
    }

    @Test("optimal --family cosine --format text: the printed floor's final loss is the law written out, and no floor on a 401-point grid does better")
    func optimalCosine() throws {
        let outcome = try Self.optimal("cosine", format: "text", quiet: false)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        // Progress (stderr is a pipe: one line when the search ends) counts the evaluations printed.
        let evaluations = try #require(outcome.standardOutput.components(separatedBy: "(").last?.split(separator: " ").first)
        #expect(outcome.standardError.hasPrefix("multi-power: searching (cosine schedules): \(evaluations)/\(evaluations) evaluations, best predicted loss "))
        // "schedule: cosine(peak=0.0003, floor=..., warmup=100, total=3000)" then "predicted final loss: L (n evaluations)".
        let text = outcome.standardOutput
        let floorText = try #require(text.components(separatedBy: "floor=").dropFirst().first?.split(separator: ",").first)
        let floor = try #require(Double(floorText))
        let lossText = try #require(text.components(separatedBy: "predicted final loss: ").dropFirst().first?.split(separator: " ").first)
        let printed = try #require(Double(lossText))
        #expect(floor >= 0 && floor <= 3e-4)
        let expected = Self.multiPowerFinalLoss(Self.cosine(peak: 3e-4, floor: floor, warmup: 100, total: 3000))
        #expect(DemoCurves.relativeError(printed, expected) <= Self.compressionTolerance, "printed \(printed) vs the law at floor \(floor): \(expected)")
        let grid = Self.bestCosineOnAGrid()
        #expect(expected <= grid, "the optimum's final loss \(expected) vs the grid's best \(grid)")
    }

    /// eta_0 ... eta_T of `table(s0:r0, s1:r1, ..., end=T)`: linear between points (Docs/Schedules.md).
    static func table(_ spec: String) throws -> [Double] {
        let inner = try #require(spec.split(separator: "(").dropFirst().first?.split(separator: ")").first)
        var knots: [(Int, Double)] = [], end = 0
        for item in inner.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if item.hasPrefix("end=") { end = Int(item.dropFirst(4))!; continue }
            let pair = item.split(separator: ":")
            knots.append((Int(pair[0])!, Double(pair[1])!))
        }
        return (0...end).map { k in
            guard let j = knots.lastIndex(where: { $0.0 <= k }) else { return knots[0].1 }
            guard j + 1 < knots.count else { return knots[j].1 }
            let (s0, r0) = knots[j], (s1, r1) = knots[j + 1]
            return r0 + (r1 - r0) * Double(k - s0) / Double(s1 - s0)
        }
    }

    @Test("optimal --family free --format json: the printed table's final loss is the law written out; it keeps the warmup, stays within [0, peak] and beats the best cosine")
    func optimalFree() throws {
        let json = try Self.json(try Self.optimal("free", format: "json"))
        let spec = try #require(json["schedule"] as? String)
        #expect(spec.hasPrefix("table("), "\(spec)")
        let eta = try Self.table(spec)
        #expect(eta.count == 3001)
        #expect(eta[0] == 0 && abs(eta[100] - 3e-4) <= 1e-18 && abs(eta[50] - 1.5e-4) <= 1e-18, "warmup \(eta[0]), \(eta[50]), \(eta[100])")
        #expect(eta.allSatisfy { $0 >= 0 && $0 <= 3e-4 * (1 + 1e-12) })
        let printed = try #require(json["predictedFinalLoss"] as? Double)
        let expected = Self.multiPowerFinalLoss(eta)
        #expect(DemoCurves.relativeError(printed, expected) <= Self.compressionTolerance, "printed \(printed) vs the law on the table: \(expected)")
        let cosine = Self.bestCosineOnAGrid()
        #expect(expected < cosine, "free \(printed) vs best cosine \(cosine)")
    }
}
