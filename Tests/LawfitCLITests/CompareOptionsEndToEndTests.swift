import Foundation
import Testing
import TestSupport

/// The success paths of `lawfit compare`'s documented options, end to end on the bundled demo data
/// (always on: no ../shared needed). Every number checked is recomputed here, without the project's
/// code: the held-out sets from Docs/Evaluation.md's rules applied to the CSV read by hand, the metrics
/// and objectives from the printed parameters with the laws' formulas written out (Hoffmann et al.
/// 2022 eq. 2, Kaplan et al. 2020 eq. 1.5), bootstrap intervals as numpy's type-7 percentiles of the
/// printed resample parameters.
@Suite("lawfit compare options, end to end")
struct CompareOptionsEndToEndTests {
    /// One row of Fixtures/demo/nd_runs.csv, read here without the project's reader.
    struct Row {
        var n, d, loss: Double
        var compute: Double { 6 * n * d }
    }

    static func rows() throws -> [Row] {
        let text = try String(contentsOf: SharedData.fixture("demo/nd_runs.csv"), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            let f = line.split(separator: ",").map { Double($0)! }
            return Row(n: f[0], d: f[1], loss: f[2])
        }
    }

    /// L = E + A / N^alpha + B / D^beta (Hoffmann et al. 2022, eq. 2).
    static func chinchilla(_ p: [String: Double], _ row: Row) -> Double {
        p["E"]! + p["A"]! / pow(row.n, p["alpha"]!) + p["B"]! / pow(row.d, p["beta"]!)
    }

    /// L = [(N_c / N)^(alpha_N / alpha_D) + D_c / D]^alpha_D (Kaplan et al. 2020, eq. 1.5).
    static func kaplan(_ p: [String: Double], _ row: Row) -> Double {
        pow(pow(p["N_c"]! / row.n, p["alpha_N"]! / p["alpha_D"]!) + p["D_c"]! / row.d, p["alpha_D"]!)
    }

    static func predict(_ law: String, _ p: [String: Double], _ row: Row) -> Double {
        law == "kaplan" ? kaplan(p, row) : chinchilla(p, row)
    }

    /// The held-out rows of a `largest-*:F` split: the round(F n) largest values, plus ties with the
    /// smallest of them (Docs/Evaluation.md, "Splits").
    static func largest(_ rows: [Row], fraction: Double, by key: (Row) -> Double) -> Set<Int> {
        let count = max(1, Int((fraction * Double(rows.count)).rounded()))
        let threshold = rows.map(key).sorted(by: >)[count - 1]
        return Set(rows.indices.filter { key(rows[$0]) >= threshold })
    }

    /// Runs `lawfit compare` on the demo (N, D) data with `options` and `--format json` on standard
    /// output; returns the report.
    static func compare(_ options: [String]) throws -> [String: Any] {
        let outcome = try LawfitProcess.run(
            ["compare", "--data", SharedData.fixture("demo/nd_runs.csv").path, "--params", "N", "--tokens", "D",
             "--format", "json", "--quiet", "--workers", "2"] + options)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        return try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
    }

    /// The report's entry for `law`.
    static func entry(_ report: [String: Any], _ law: String) throws -> [String: Any] {
        let laws = try #require(report["laws"] as? [[String: Any]])
        return try #require(laws.first { $0["law"] as? String == law }, "no law \(law) in the report")
    }

    static func parameters(_ entry: [String: Any]) throws -> [String: Double] {
        let fit = try #require(entry["fit"] as? [String: Any])
        return try #require(fit["parameters"] as? [String: Double])
    }

    /// The indices of the points the report marks as held out.
    static func heldOut(_ report: [String: Any], law: String) throws -> Set<Int> {
        let points = try #require(try entry(report, law)["points"] as? [[String: Any]])
        return Set(points.filter { $0["held_out"] as? Bool == true }.map { $0["index"] as! Int })
    }

    static func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / abs(b) }

    @Test("--split largest-compute:0.2: the held-out set is the 10 largest C = 6ND plus ties; held-out log-RMSE and the Huber objective recomputed")
    func largestComputeSplit() throws {
        let rows = try Self.rows()
        let report = try Self.compare(["--law", "chinchilla", "--split", "largest-compute:0.2", "--starts", "8"])
        let expected = Self.largest(rows, fraction: 0.2, by: \.compute)
        #expect(expected.count >= 10 && expected.count < 20)
        #expect(try Self.heldOut(report, law: "chinchilla") == expected)
        let law = try Self.entry(report, "chinchilla")
        let p = try Self.parameters(law)
        // Held-out log-RMSE of the fit to the training points.
        let test = try #require(law["test"] as? [String: Any])
        #expect(test["count"] as? Int == expected.count)
        let logErrors = expected.map { log(Self.chinchilla(p, rows[$0])) - log(rows[$0].loss) }
        let logRMSE = (logErrors.map { $0 * $0 }.reduce(0, +) / Double(logErrors.count)).squareRoot()
        let reported = try #require(test["log_rmse"] as? Double)
        #expect(Self.relativeError(reported, logRMSE) <= 1e-9, "\(reported) vs \(logRMSE)")
        #expect(law["score"] as? Double == reported)
        // The default objective: Huber, delta 1e-3, on log residuals of the training points.
        let delta = 1e-3
        let huber = rows.indices.filter { !expected.contains($0) }.reduce(0.0) { sum, i in
            let r = abs(log(Self.chinchilla(p, rows[i])) - log(rows[i].loss))
            return sum + (r <= delta ? r * r / 2 : delta * (r - delta / 2))
        }
        let objective = try #require((law["fit"] as? [String: Any])?["objective"] as? Double)
        #expect(Self.relativeError(objective, huber) <= 1e-9, "\(objective) vs \(huber)")
        // BIC - AIC = k log n - 2k with k = 5 parameters + the noise scale, n the training points.
        let criteria = try #require(law["criteria"] as? [String: Any])
        let (aic, bic) = (try #require(criteria["aic"] as? Double), try #require(criteria["bic"] as? Double))
        let n = Double(rows.count - expected.count)
        #expect(criteria["parameters"] as? Int == 6 && criteria["points"] as? Int == Int(n))
        #expect(abs((bic - aic) - (6 * log(n) - 12)) <= 1e-9 * abs(aic), "BIC \(bic) - AIC \(aic)")
    }

    /// Checks that both laws hold out `expected` and that each score is `metric` over the held-out
    /// rows, recomputed from the law's printed parameters; returns the scores by law.
    static func expectScores(
        _ report: [String: Any], rows: [Row], heldOut expected: Set<Int>, metric: ([(predicted: Double, observed: Double)]) -> Double
    ) throws -> [String: Double] {
        var scores: [String: Double] = [:]
        for name in ["chinchilla", "kaplan"] {
            #expect(try Self.heldOut(report, law: name) == expected)
            let law = try Self.entry(report, name)
            let p = try Self.parameters(law)
            let recomputed = metric(expected.map { (Self.predict(name, p, rows[$0]), rows[$0].loss) })
            let score = try #require(law["score"] as? Double)
            #expect(Self.relativeError(score, recomputed) <= 1e-9, "\(name): \(score) vs \(recomputed)")
            scores[name] = recomputed
        }
        return scores
    }

    @Test("--split largest-N:0.3 holds out whole model sizes (ties); --metric mae ranks by the held-out MAE, recomputed")
    func largestNWithMAE() throws {
        let rows = try Self.rows()
        let report = try Self.compare(["--law", "chinchilla", "--law", "kaplan", "--split", "largest-N:0.3", "--metric", "mae", "--starts", "6"])
        // round(0.3 x 49) = 15 points; the 15th largest N is the third size, whose 7 points all go.
        let expected = Self.largest(rows, fraction: 0.3, by: \.n)
        #expect(expected.count == 21)
        #expect(report["ranked_by"] as? String == "mae")
        let scores = try Self.expectScores(report, rows: rows, heldOut: expected) { pairs in
            pairs.map { abs($0.predicted - $0.observed) }.reduce(0, +) / Double(pairs.count)
        }
        let best = scores["chinchilla"]! <= scores["kaplan"]! ? "chinchilla" : "kaplan"
        #expect(try Self.entry(report, best)["rank"] as? Int == 1)
    }

    @Test("--split largest-D:0.2 --metric mean-relative-error: scores are the held-out mean |e| / L, recomputed for both laws")
    func largestDWithRelativeError() throws {
        let rows = try Self.rows()
        let report = try Self.compare(["--law", "chinchilla", "--law", "kaplan", "--split", "largest-D:0.2", "--metric", "mean-relative-error", "--starts", "6"])
        let expected = Self.largest(rows, fraction: 0.2, by: \.d)
        #expect(expected.count == 14)
        #expect(report["ranked_by"] as? String == "mean-relative-error")
        _ = try Self.expectScores(report, rows: rows, heldOut: expected) { pairs in
            pairs.map { abs($0.predicted - $0.observed) / $0.observed }.reduce(0, +) / Double(pairs.count)
        }
    }

    @Test("--objective squared --space linear --metric rmse: the objective is the sum of squared residuals, the likelihood Gaussian, the score the held-out RMSE")
    func squaredLinearObjective() throws {
        let rows = try Self.rows()
        let report = try Self.compare([
            "--law", "chinchilla", "--split", "largest-compute:0.2", "--objective", "squared", "--space", "linear", "--metric", "rmse", "--starts", "8",
        ])
        let held = Self.largest(rows, fraction: 0.2, by: \.compute)
        let law = try Self.entry(report, "chinchilla")
        let p = try Self.parameters(law)
        let residuals = rows.indices.filter { !held.contains($0) }.map { Self.chinchilla(p, rows[$0]) - rows[$0].loss }
        let sum = residuals.map { $0 * $0 }.reduce(0, +)
        let objective = try #require((law["fit"] as? [String: Any])?["objective"] as? Double)
        #expect(Self.relativeError(objective, sum) <= 1e-9, "\(objective) vs \(sum)")
        // Gaussian log-likelihood with the maximum-likelihood variance: -(n/2)(log(2 pi s^2) + 1).
        let criteria = try #require(law["criteria"] as? [String: Any])
        #expect(criteria["likelihood"] as? String == "gaussian")
        let n = Double(residuals.count)
        let logLikelihood = -n / 2 * (log(2 * Double.pi * sum / n) + 1)
        let reported = try #require(criteria["gaussian_log_likelihood"] as? Double)
        #expect(abs(reported - logLikelihood) <= 1e-9 * abs(logLikelihood), "\(reported) vs \(logLikelihood)")
        let rmse = (held.map { pow(Self.chinchilla(p, rows[$0]) - rows[$0].loss, 2) }.reduce(0, +) / Double(held.count)).squareRoot()
        let score = try #require(law["score"] as? Double)
        #expect(Self.relativeError(score, rmse) <= 1e-9, "\(score) vs \(rmse)")
    }

    @Test("--split kfold:5:seed=3: five folds that hold out every point exactly once, in sizes 10, 10, 10, 10, 9")
    func kfoldSplit() throws {
        let report = try Self.compare(["--law", "chinchilla", "--split", "kfold:5:seed=3", "--starts", "4"])
        let split = try #require(report["split"] as? [String: Any])
        let folds = try #require(split["folds"] as? [[String: Any]])
        #expect(folds.count == 5)
        var seen: [Int] = []
        for fold in folds {
            let test = try #require(fold["test"] as? [[String: Int]]).map { $0["index"]! }
            let train = try #require(fold["train"] as? [[String: Int]]).map { $0["index"]! }
            #expect(Set(test).isDisjoint(with: train) && test.count + train.count == 49)
            seen += test
        }
        #expect(seen.sorted() == Array(0..<49))
        #expect(folds.map { ($0["test"] as! [Any]).count }.sorted() == [9, 10, 10, 10, 10])
        // Every point is predicted once, out of fold: the pooled held-out count is all 49.
        #expect((try Self.entry(report, "chinchilla")["test"] as? [String: Any])?["count"] as? Int == 49)
    }

    @Test("--bootstrap 12 --bootstrap-unit points --seed 4: each interval is the type-7 2.5/97.5 % percentile of the printed resample fits")
    func bootstrapPercentiles() throws {
        let report = try Self.compare(["--law", "chinchilla", "--split", "none", "--starts", "4", "--bootstrap", "12", "--bootstrap-unit", "points", "--seed", "4"])
        #expect(report["seed"] as? Int == 4)
        let law = try Self.entry(report, "chinchilla")
        let bootstrap = try #require(law["bootstrap"] as? [String: Any])
        #expect(bootstrap["unit"] as? String == "points")
        #expect(bootstrap["resamples"] as? Int == 12)
        let failed = try #require(bootstrap["failed"] as? Int)
        let samples = try #require(bootstrap["samples"] as? [[Double]])
        #expect(samples.count == 12 - failed && samples.count >= 10)
        let order = try #require((law["fit"] as? [String: Any])?["parameter_order"] as? [String])
        let intervals = try #require(bootstrap["parameters"] as? [[String: Any]])
        #expect(intervals.map { $0["name"] as? String } == order)
        for (j, interval) in intervals.enumerated() {
            let values = samples.map { $0[j] }.sorted()
            /// numpy.percentile's default (type 7): linear between order statistics at q (n - 1).
            func percentile(_ q: Double) -> Double {
                let h = q * Double(values.count - 1), k = Int(h)
                return k + 1 < values.count ? values[k] + (h - Double(k)) * (values[k + 1] - values[k]) : values[k]
            }
            let bounds = try #require(interval["interval"] as? [String: Double])
            let (lower, upper) = (percentile(0.025), percentile(0.975))
            #expect(abs(bounds["lower"]! - lower) <= 1e-12 * abs(lower) && abs(bounds["upper"]! - upper) <= 1e-12 * abs(upper),
                    "\(order[j]): [\(bounds["lower"]!), \(bounds["upper"]!)] vs [\(lower), \(upper)]")
            // The distinct resamples really differ: an ignored seed or weight would give one value.
            #expect(values.last! > values.first!)
        }
    }

    @Test("--fit-where and --score-where: the fit sees only the kept training points, the score only the kept held-out points")
    func fitAndScoreFilters() throws {
        let rows = try Self.rows()
        let report = try Self.compare([
            "--law", "chinchilla", "--split", "largest-compute:0.2", "--fit-where", "D>=3e9", "--score-where", "N>=1e9", "--starts", "6",
        ])
        let law = try Self.entry(report, "chinchilla")
        let fit = try #require(law["fit"] as? [String: Any])
        let p = try Self.parameters(law)
        let scored = rows.filter { $0.d >= 3e9 }
        let heldRows = Self.largest(scored, fraction: 0.2, by: \.compute).map { scored[$0] }
        let kept = heldRows.filter { $0.n >= 1e9 }
        let test = try #require(law["test"] as? [String: Any])
        #expect(test["count"] as? Int == kept.count)
        #expect(fit["points"] as? Int == scored.count - heldRows.count)
        let logErrors = kept.map { log(Self.chinchilla(p, $0)) - log($0.loss) }
        let logRMSE = (logErrors.map { $0 * $0 }.reduce(0, +) / Double(logErrors.count)).squareRoot()
        let reported = try #require(test["log_rmse"] as? Double)
        #expect(Self.relativeError(reported, logRMSE) <= 1e-9, "\(reported) vs \(logRMSE)")
    }

    @Test("--report with --format json --format markdown writes exactly those two files; the Markdown carries the JSON's verdict")
    func reportFormats() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LawfitProcess.run([
            "compare", "--data", "Fixtures/demo/nd_runs.csv", "--law", "chinchilla", "--law", "kaplan", "--starts", "4", "--quiet",
            "--format", "json", "--format", "markdown", "--report", folder.path,
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(files == ["report.json", "report.md"])
        let report = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("report.json"))) as? [String: Any])
        let verdict = try #require(report["verdict"] as? String)
        #expect(outcome.standardOutput.contains(verdict))
        let markdown = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        // Markdown escapes the interval's brackets: compare the verdict's first clause ("X ranks first by M").
        let clause = try #require(verdict.split(separator: ";").first.map(String.init))
        #expect(clause.contains("ranks first by log-rmse") && markdown.contains("**Verdict.** \(clause);"), "\(clause)")
    }
}
