import Foundation
import LawfitCore

/// lambda_j = j^-capacity, lambda_j theta*_j^2 = j^-(1 + source capacity) (the FSL power-law kernel).
struct PowerLawKernel: SpectralKernel {
    var capacity: Double, source: Double, modes: Int
    func eigenvalue(_ j: Int) -> Double { pow(Double(j), -capacity) }
    func targetPower(_ j: Int) -> Double { pow(Double(j), -(1 + source * capacity)) }
    var spec: String { "powerlaw(capacity=\(capacity), source=\(source), modes=\(modes))" }
}

/// The simulator schedules of `reference/make_reference_values.py` at any peak (T = 3000; update k
/// uses the reference's etas[k - 1]): constant, cosine to peak/10, WSD with linear decay over the last
/// 20 %, exponential decay to peak/100.
struct SimulatorSchedule: LearningRateSchedule {
    var shape: String
    var peak: Double
    var totalSteps: Int { 3000 }
    var spec: String { "\(shape)(peak=\(peak))" }
    func rate(at step: Int) -> Double {
        let t = Double(max(step, 1) - 1), total = 3000.0
        switch shape {
        case "constant": return peak
        case "cosine": return 0.1 * peak + 0.5 * 0.9 * peak * (1 + cos(Double.pi * t / total))
        case "wsd": return t < 0.8 * total ? peak : peak * (total - t) / (0.2 * total)
        default: return peak * pow(0.01, t / total)
        }
    }
    static let shapes = ["constant", "cosine", "wsd", "exponential"]
}

/// A short schedule with warmup, a plateau, a cosine-like decay and a sharp drop.
struct ShortSchedule: LearningRateSchedule {
    var totalSteps: Int { 300 }
    var spec: String { "short" }
    func rate(at step: Int) -> Double {
        if step < 20 { return 0.01 * Double(step) / 20 }
        if step < 120 { return 0.01 }
        if step < 250 { return 0.001 + 0.0045 * (1 + cos(Double.pi * Double(step - 120) / 130)) }
        return 0.0005
    }
}

let shortSteps = [1, 2, 19, 20, 21, 60, 119, 120, 121, 180, 249, 250, 251, 300]

func shortRun(steps: [Int] = shortSteps) -> Run {
    Run(name: "short", observations: steps.map { Observation(step: $0) }, schedule: DenseSchedule(ShortSchedule()))
}

/// fsl's loss at step `k` by the direct O(k^2) double sum of LAWS.md Sec. 1 (Li et al. 2025, App. B.2),
/// written out as independent truth: L0 + c1 tau_k^-s - c2 sum_i (eta_(i-1) - eta_i)(c3 + tau_i^-s)
/// (1 - (1 + c4 (tau_k - tau_i))^-gamma), with p = [L0, c1, s, c2 c3, c2, c4, gamma] and tau_i the
/// sum of the rates up to step i (`eta[0]` is the rate before the first step).
func fslByDirectSum(_ p: [Double], rates eta: [Double], step k: Int) -> Double {
    let c2 = p[4], c3 = p[3] / p[4]
    var tauK = 0.0
    for i in 1...k { tauK += eta[i] }
    var sum = 0.0
    for i in 1...k {
        var tauI = 0.0
        for j in 1...i { tauI += eta[j] }
        sum += (eta[i - 1] - eta[i]) * (c3 + pow(tauI, -p[2])) * (1 - pow(1 + p[5] * (tauK - tauI), -p[6]))
    }
    return p[0] + p[1] * pow(tauK, -p[2]) - c2 * sum
}
