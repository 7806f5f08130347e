import Foundation
import LawfitCore
import TestSupport

/// The dense schedules of the multipower-400m runs (datasets/README.md): warmup 2160 steps linear
/// from 0 to 3e-4, then cosine to 3e-5 over T, constant, WSD (geometric or linear decay from 20000 to
/// 24000) or two-stage (X e-5 from step 8000 to 16000).
struct MultipowerSchedule: LearningRateSchedule {
    var name: String

    static let peak = 3e-4, warmup = 2160

    var totalSteps: Int {
        if name.hasPrefix("wsdcon") { return 16000 }
        return name.hasSuffix("72000") ? 72000 : 24000
    }
    var spec: String { name }

    func rate(at step: Int) -> Double {
        let s = Double(step), peak = Self.peak
        if step < Self.warmup { return peak * s / Double(Self.warmup) }
        if name.hasPrefix("cosine") {
            let total = Double(totalSteps), w = Double(Self.warmup)
            return 3e-5 + 0.5 * (peak - 3e-5) * (1 + cos(Double.pi * (s - w) / (total - w)))
        }
        if name.hasPrefix("wsdcon") {
            return step < 8000 ? peak : Double(name.split(separator: "_")[1])! * 1e-5
        }
        if name.hasPrefix("wsdld") { return step <= 20000 ? peak : peak - (peak - 3e-5) * (s - 20000) / 4000 }
        if name.hasPrefix("wsd") { return step <= 20000 ? peak : peak * pow(0.1, (s - 20000) / 4000) }
        return peak
    }
}

/// One multipower-400m curve: the run (observations with step, lr, loss and the dense schedule).
enum MultipowerCurves {
    static let fitNames = ["cosine_24000", "constant_24000", "wsdcon_9"]
    static let testNames = ["cosine_72000", "constant_72000", "wsd_20000_24000", "wsdld_20000_24000", "wsdcon_3", "wsdcon_18"]
    static let published = [2.37474466, 0.65421216, 0.42878731, 523.42464371, 2.02462735, 0.59350493, 0.63472457]

    /// The run named `name`, or nil when the shared data is absent (outside CI).
    static func run(_ name: String) throws -> Run? {
        guard let url = try SharedData.dataset("multipower-400m/\(name).csv") else { return nil }
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline)
        var observations: [Observation] = []
        for (n, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! }
            observations.append(Observation(loss: fields[2], step: Int(fields[0]), learningRate: fields[1], line: n + 2))
        }
        return Run(name: name, observations: observations, schedule: DenseSchedule(MultipowerSchedule(name: name)), source: url.path)
    }
}

/// Huber loss of a residual (Luo et al. and Hoffmann et al. use delta = 1e-3 on log residuals).
func huber(_ r: Double, delta: Double = 1e-3) -> Double {
    abs(r) < delta ? 0.5 * r * r : delta * abs(r) - 0.5 * delta * delta
}
