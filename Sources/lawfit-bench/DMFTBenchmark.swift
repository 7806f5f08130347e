import DMFTLaw
import Foundation
import LawfitCore
import LawfitSimulation

/// The DMFT law's release benchmark (issue 6): speed of the exact solver per (t, N, P) point and
/// per 50-point curve, accuracy against reference_values.json, and the check against direct
/// simulation for N, P in 200..1600 (10 % away from the interpolation peak; reported, not asserted,
/// near N = P); and the schedule-aware law `dmft-sgd` per 24,000-step curve (issue 17, target 50 ms).
/// Prints one line per measurement.
func runDMFTBenchmark() {
    do {
        try benchmarkDMFTScheduleSpeed()
        try benchmarkDMFTSurrogateGrid()
        try benchmarkDMFTStaticSpeed()
        try benchmarkDMFTSpeed()
        try benchmarkDMFTReference()
        try benchmarkDMFTSurrogateSpeed()
        try benchmarkDMFTSimulation()
    } catch {
        print("dmft benchmark failed: \(error)")
    }
}

private func benchmarkDMFTSpeed() throws {
    let solver = try RandomFeatureDMFT(a: 2.5, b: 1.5)
    let times = (0..<50).map { Foundation.pow(10, 4 * Double($0) / 49) }
    let settings: [(String, Double?, Double?)] = [
        ("N=inf P=inf", nil, nil), ("N=400 P=1600", 400, 1600), ("N=1600 P=400", 1600, 400),
        ("N=1e9 P=inf", 1e9, nil), ("N=1e8 P=1e10", 1e8, 1e10),
    ]
    print("dmft speed (release, a=2.5 b=1.5, Talbot 16 nodes per contour half):")
    for (label, n, p) in settings {
        let largeTimes = n.map { _ in times.map { $0 * 1e4 } } ?? times  // LLM-scale settings at t up to 1e8
        let curveTimes = (n ?? 0) > 1e6 ? largeTimes : times
        var curve: [Double] = []
        let curveCPU = processorSeconds()
        let curveSeconds = try seconds { curve = try solver.lossCurve(times: curveTimes, features: n, samples: p) }
        let curveProcessor = processorSeconds() - curveCPU
        let pointCPU = processorSeconds()
        let pointSeconds = try seconds {
            for t in curveTimes.prefix(10) { _ = try solver.loss(time: t, features: n, samples: p) }
        } / 10
        let pointProcessor = (processorSeconds() - pointCPU) / 10
        let padded = label.padding(toLength: 14, withPad: " ", startingAt: 0)
        print("  \(padded)" + String(format: " curve of 50 points: %.4f s wall, %.4f s CPU (%.2f ms/point CPU); single point: %.2f ms wall, %.2f ms CPU; L(t=%.3g)=%.4g",
                                    curveSeconds, curveProcessor, 1e3 * curveProcessor / 50, 1e3 * pointSeconds, 1e3 * pointProcessor, curveTimes.last!, curve.last!))
    }
}

private func benchmarkDMFTReference() throws {
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: sharedFile("reference/reference_values.json"))) as? [String: Any] ?? [:]
    func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }
    var worstFlow = 0.0, worstStatic = 0.0, count = 0
    var solvers: [String: RandomFeatureDMFT] = [:]
    let elapsed = try seconds {
        for point in json["dmft_gradient_flow"] as? [[String: Any]] ?? [] {
            let a = number(point["a"])!, b = number(point["b"])!
            let solver = try solvers["\(a) \(b)"] ?? RandomFeatureDMFT(a: a, b: b)
            solvers["\(a) \(b)"] = solver
            let loss = try solver.loss(time: number(point["t"])!, features: number(point["N"]), samples: number(point["P"]))
            worstFlow = max(worstFlow, abs(loss / number(point["loss"])! - 1))
            count += 1
        }
    }
    for point in json["dmft_static"] as? [[String: Any]] ?? [] {
        let solver = try RandomFeatureDMFT(a: number(point["a"])!, b: number(point["b"])!)
        let loss = try solver.staticLoss(features: number(point["N"]), samples: number(point["P"]))
        worstStatic = max(worstStatic, abs(loss / number(point["loss"])! - 1))
    }
    print(String(format: "dmft reference: %d gradient-flow points in %.3f s (%.2f ms/point), max relative error %.2e; static max relative error %.2e",
                 count, elapsed, 1e3 * elapsed / Double(max(count, 1)), worstFlow, worstStatic))
}

/// `dmft-surrogate` against the exact solver (P = infinity) on issue 17's grid: a in [1.5, 4.5],
/// b in [1.2, 2.5], N in [1e2, 1e6], t in [1, 1e6]; the worst relative error overall, from t >= 10 and
/// t >= 100 on, and in the regions where the surrogate's fit warns (t < 100; 0.01 <= t^(1/b)/N < 1).
private func benchmarkDMFTSurrogateGrid() throws {
    let exponentsA = [1.5, 2.25, 3.0, 3.75, 4.5], exponentsB = [1.2, 1.6, 2.0, 2.5]
    let sizes = [1e2, 1e3, 1e4, 1e5, 1e6], times = (0...6).map { Foundation.pow(10, Double($0)) }
    var rows: [(a: Double, b: Double, n: Double, t: Double, ratio: Double, error: Double)] = []
    let elapsed = try seconds {
        for a in exponentsA {
            for b in exponentsB {
                let exact = try RandomFeatureDMFT(a: a, b: b)
                // The registered surrogate law at unit scales (s = 1, E = 0, tau = nu = 1) is L_RF itself.
                let runs = sizes.map { n in Run(name: "N=\(n)", observations: times.map { Observation(parameters: n, tokens: $0) }) }
                let surrogate = try DMFTLaw(solver: .surrogate).makeEvaluator(for: runs).predict([a, b, 1, 0, 1, 1])
                for (k, n) in sizes.enumerated() {
                    let curve = try exact.lossCurve(times: times, features: n, samples: nil)
                    for (j, (t, value)) in zip(times, curve).enumerated() {
                        let error = surrogate[k * times.count + j] / value - 1
                        rows.append((a, b, n, t, Foundation.pow(t, 1 / b) / n, error))
                    }
                }
            }
        }
    }
    func worst(_ subset: [(a: Double, b: Double, n: Double, t: Double, ratio: Double, error: Double)]) -> String {
        guard let w = subset.max(by: { abs($0.error) < abs($1.error) }) else { return "none" }
        let low = subset.map(\.error).min()!, high = subset.map(\.error).max()!
        return String(format: "%+.1f%% .. %+.1f%% (worst %+.1f%% at a=%.2f b=%.1f N=%.0e t=%.0e)", 100 * low, 100 * high, 100 * w.error, w.a, w.b, w.n, w.t)
    }
    print(String(format: "dmft-surrogate vs exact on the grid (%d points, %.1f s):", rows.count, elapsed))
    print("  all points:        " + worst(rows))
    print("  t >= 10:           " + worst(rows.filter { $0.t >= 10 }))
    print("  t >= 100:          " + worst(rows.filter { $0.t >= 100 }))
    // The regions of the surrogate fit's warnings (DMFTSurrogateCaveats): t < 100, and 0.01 <= t^(1/b)/N < 1.
    print("  t < 100:           " + worst(rows.filter { $0.t < 100 }))
    for (low, high) in [(0.0, 1e-2), (1e-2, 1.0), (1.0, Double.infinity)] {
        let label = String(format: "  t^(1/b)/N in [%.0e, %.0e), t >= 100: ", low, high)
        print(label + worst(rows.filter { $0.t >= 100 && $0.ratio >= low && $0.ratio < high }))
    }
    print("  outside the warned regions: " + worst(rows.filter { $0.t >= 100 && ($0.ratio < 1e-2 || $0.ratio >= 1) }))
    print("  within 5 %: \(rows.filter { abs($0.error) <= 0.05 }.count) of \(rows.count) points")
}

/// Exact static (t -> infinity) loss per (N, P) point, across the peak.
private func benchmarkDMFTStaticSpeed() throws {
    let law = DMFTStaticLaw()
    let run = Run(name: "r", observations: (0..<100).map { Observation(parameters: 10 * Foundation.pow(1.08, Double($0)), uniqueTokens: 400) })
    let evaluator = try law.makeEvaluator(for: [run])
    let theta = [2.2, 1.6, 1, 0, 1, 1, 0.05]
    var largest = 0.0  // the loss at the largest N, printed so that the timed calls are kept
    let elapsed = seconds { for _ in 0..<10 { largest = evaluator.predict(theta)[99] } } / 10
    print(String(format: "dmft-static: 100 points (N = 10..2e4, P = 400) in %.2f ms (%.1f us/point; loss %.6g at N = 2e4)", 1e3 * elapsed, 1e6 * elapsed / 100, largest))
}

private func benchmarkDMFTSurrogateSpeed() throws {
    let law = DMFTLaw(solver: .surrogate)
    let runs = (0..<10).map { k in
        Run(name: "r\(k)", observations: (0..<100).map {
            Observation(parameters: 1e7 * Foundation.pow(2, Double(k)), tokens: 1e8 * Foundation.pow(1.1, Double($0)))
        })
    }
    let evaluator = try law.makeEvaluator(for: runs)
    let theta = [2.5, 1.5, 2, 1.7, 1e-6, 1e-4]
    var jacobian: [Double]? = []
    var predictions: [Double] = []
    let elapsed = seconds { for _ in 0..<10 { evaluator.predict(theta, into: &predictions, jacobian: &jacobian) } } / 10
    print(String(format: "dmft-surrogate: 1000 points with Jacobian in %.2f ms (%.2f us/point)", 1e3 * elapsed, 1e6 * elapsed / 1000))
}

private func benchmarkDMFTSimulation() throws {
    let a = 2.5, b = 1.5, times = [1.0, 10, 100, 1000, 10000], seeds: Range<UInt64> = 0..<8
    let sizes = [(200, 800), (800, 200), (400, 1600), (1600, 400), (200, 1600), (1600, 200), (400, 400), (800, 1000)]
    print("dmft vs simulation (a=\(a) b=\(b), modes M = 3 max(N, P), \(seeds.count) seeds, t = \(times)):")
    var worstAway = 0.0
    for (n, p) in sizes {
        let modes = 3 * max(n, p)
        let theory = try RandomFeatureDMFT(a: a, b: b, modes: modes).lossCurve(times: times, features: Double(n), samples: Double(p))
        var simulated: [Double] = []
        let elapsed = try seconds {
            simulated = try RandomFeatureRegression(a: a, b: b, modes: modes, features: n, samples: p).meanLosses(times: times, seeds: seeds)
        }
        let deviations = zip(theory, simulated).map { $0 / $1 - 1 }
        let away = abs(n - p) >= max(n, p) / 4
        if away { worstAway = max(worstAway, deviations.map(abs).max()!) }
        let list = deviations.map { String(format: "%+.1f%%", 100 * $0) }.joined(separator: " ")
        print(String(format: "  N=%4d P=%4d ", n, p) + (away ? "      " : "(peak)") + " DMFT/sim - 1: \(list)"
            + String(format: "  (simulation %.1f s)", elapsed))
    }
    print(String(format: "dmft vs simulation: max |deviation| away from the peak %.1f%% ", 100 * worstAway)
        + (worstAway <= 0.1 ? "(within 10%)" : "(OUTSIDE 10%)"))
}

/// `dmft-sgd` (issue 17): one expected-loss curve of one-pass SGD on a 24,000-step schedule (every
/// step computed, the loss read at 240 of them), measure construction included, for the exact
/// discrete step and the continuum (Volterra) step; and one law evaluation with its Jacobian.
private func benchmarkDMFTScheduleSpeed() throws {
    let schedules = [
        "cosine(peak=3e-4, floor=3e-5, warmup=2160, total=24000)",
        "wsd(peak=3e-4, warmup=2160, decay_start=20000, total=24000, floor=3e-5, shape=geometric)",
    ]
    let registry = PluginRegistry()
    try BuiltinSchedules.register(into: registry)
    print("dmft-sgd speed (release, 24,000 steps, lr x 1000, batch 1; wall and CPU ms per curve, measure included):")
    for spec in schedules {
        let rates = DenseSchedule(try ScheduleSpec.parse(spec, registry: registry)).rates.map { 1000 * $0 }
        let steps = Array(stride(from: 100, through: 24000, by: 100))
        for (a, b, n) in [(2.2, 1.5, 1e3), (2.2, 1.5, 1e5), (3.0, 2.5, 1e7), (2.2, 1.5, Double.infinity)] {
            let theory = try RandomFeatureSGDTheory(a: a, b: b)
            let features: Double? = n.isFinite ? n : nil
            for form in RandomFeatureSGDTheory.Form.allCases {
                var curve: [Double] = []
                let cpu = processorSeconds()
                let wall = try seconds {
                    for _ in 0..<5 { curve = try theory.expectedLoss(rates: rates, features: features, batchSize: 1, noise: 0.1, form: form, steps: steps) }
                } / 5
                let cpuPer = (processorSeconds() - cpu) / 5
                print("  \(spec.prefix(6)) a=\(a) b=\(b) N=\(n) \(form.rawValue): " + String(format: "%.1f ms wall, %.1f ms CPU; L(24000)=%.6g", 1e3 * wall, 1e3 * cpuPer, curve.last!))
            }
        }
    }
    // One law evaluation (a run of 240 points) and one Jacobian (7 measures, 18 recursions).
    let schedule = DenseSchedule(try ScheduleSpec.parse(schedules[0], registry: registry))
    let run = Run(name: "cosine", observations: stride(from: 100, through: 24000, by: 100).map { Observation(step: $0) }, schedule: schedule)
    let evaluator = try DMFTScheduleLaw().makeEvaluator(for: [run])
    let theta = [2.2, 1.5, 1.0, 2.0, 1000.0, 1e4]
    let predict = seconds { _ = evaluator.predict(theta) }
    let jacobian = seconds { _ = evaluator.predictWithJacobian(theta) }
    print("  law dmft-sgd on that cosine run (N = 1e4): " + String(format: "predict %.1f ms, predict + Jacobian %.1f ms", 1e3 * predict, 1e3 * jacobian))
}
