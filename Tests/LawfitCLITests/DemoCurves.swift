import Foundation
import TestSupport

/// The bundled simulator curves (Fixtures/demo/curves: one-pass SGD's exact expected loss under four
/// schedules of 3000 steps, logged every 25 steps), with what the end-to-end tests recompute without
/// the project's code: the schedules' closed forms (Docs/Schedules.md's table) and the LR-annealing
/// law written out (Tissue et al. 2024, arXiv 2408.11029, Sec. 3, momentum form).
enum DemoCurves {
    /// The four curves' schedules, as `lawfit demo` reads them from Fixtures/demo/curves/schedules.csv.
    static let specs = [
        "constant": "constant(peak=0.1, total=3000)",
        "cosine": "cosine(peak=0.1, floor=0.001, total=3000)",
        "twostage": "twostage(peak=0.1, low=0.02, switch=1500, total=3000)",
        "wsd": "wsd(peak=0.1, decay_start=2400, total=3000, floor=0.001, shape=linear)",
    ]
    static let names = ["constant", "cosine", "twostage", "wsd"]

    /// The rate at step k of schedule `name`, written out from Docs/Schedules.md's table.
    static func rate(_ name: String, _ k: Int) -> Double {
        let (peak, floor, total) = (0.1, 0.001, 3000.0)
        switch name {
        case "constant": return peak
        case "cosine": return floor + (peak - floor) / 2 * (1 + cos(Double.pi * Double(k) / total))
        case "twostage": return k < 1500 ? peak : 0.02
        default: return k <= 2400 ? peak : peak - (peak - floor) * Double(k - 2400) / (total - 2400)
        }
    }

    /// The schedule a run follows: copies the tests make are named `<schedule>-<anything>`.
    static func schedule(of run: String) -> String { String(run.split(separator: "-").first!) }

    static func file(_ name: String) -> URL { SharedData.fixture("demo/curves/\(name).csv") }

    /// One logged point of a curve.
    struct Point: Hashable {
        var run: String
        var step: Int
        var lr, loss: Double
    }

    /// The points of curve `name` (run named `run`), read here without the project's reader.
    static func curve(_ name: String, run: String? = nil) throws -> [Point] {
        let text = try String(contentsOf: file(name), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            let f = line.split(separator: ",").map { Double($0)! }
            return Point(run: run ?? name, step: Int(f[0]), lr: f[1], loss: f[2])
        }
    }

    /// L(t) = L0 + A S1^-alpha - C S2 with S1 = sum_{i=1..t} eta_i, m_i = lambda m_{i-1} + (eta_{i-1} - eta_i),
    /// S2 = sum_{i=1..t} m_i (Tissue et al. 2024, Sec. 3; scripts/reference_points.py's convention), at
    /// each step of `steps` (ascending) under schedule `name`.
    static func lrAnnealing(_ p: [String: Double], schedule name: String, steps: [Int]) -> [Double] {
        var s1 = 0.0, s2 = 0.0, m = 0.0, k = 0
        var out: [Double] = []
        for t in steps {
            while k < t {
                k += 1
                m = p["lambda"]! * m + (rate(name, k - 1) - rate(name, k))
                s1 += rate(name, k)
                s2 += m
            }
            out.append(p["L0"]! + p["A"]! * pow(s1, -p["alpha"]!) - p["C"]! * s2)
        }
        return out
    }

    /// The law's predictions at `points` (each run under its schedule), keyed by point.
    static func predictions(_ p: [String: Double], _ points: [Point]) -> [Point: Double] {
        var out: [Point: Double] = [:]
        for run in Set(points.map(\.run)) {
            let mine = points.filter { $0.run == run }.sorted { $0.step < $1.step }
            for (point, value) in zip(mine, lrAnnealing(p, schedule: schedule(of: run), steps: mine.map(\.step))) { out[point] = value }
        }
        return out
    }

    /// Sum of Huber(delta) penalties on log residuals at `points` (delta 1e-3: the default objective):
    /// r^2 / 2 for |r| <= delta, delta (|r| - delta / 2) beyond.
    static func huberObjective(_ p: [String: Double], _ points: [Point], delta: Double = 1e-3) -> Double {
        let predicted = predictions(p, points)
        return points.reduce(0.0) { sum, point in
            let r = abs(log(predicted[point]!) - log(point.loss))
            return sum + (r <= delta ? r * r / 2 : delta * (r - delta / 2))
        }
    }

    static func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / abs(b) }

    /// The largest of `values`; NaN when any is NaN (so that `largest(...) <= tol` fails on a NaN).
    static func largest(_ values: [Double]) -> Double {
        values.reduce(-Double.infinity) { $0.isNaN || $1.isNaN ? .nan : ($0 > $1 ? $0 : $1) }
    }
}
