import Foundation
import LawfitCore

/// Schedules for the change-point compression tests (Multi-Power and FSL), 20,000 steps: a 2,000-step
/// warmup from 0 then cosine to 10 % of the peak; or 10,000 steps at the peak then a linear decay to
/// 10 % over the last 10,000 (no warmup). `steps` are where the tests observe them.
public enum CompressionTestSchedule: LearningRateSchedule, CaseIterable {
    case warmupCosine, longLinearDecay
    public var totalSteps: Int { 20_000 }
    public var spec: String { "\(self)" }
    public static let steps = Array(stride(from: 250, through: 20_000, by: 250)) + [19_999]
    public func rate(at step: Int) -> Double {
        let peak = 3e-4, k = Double(step)
        switch self {
        case .warmupCosine:
            if step < 2000 { return peak * k / 2000 }
            return 0.1 * peak + 0.45 * peak * (1 + cos(Double.pi * (k - 2000) / 18_000))
        case .longLinearDecay:
            return step <= 10_000 ? peak : peak - 0.9 * peak * (k - 10_000) / 10_000
        }
    }
}

