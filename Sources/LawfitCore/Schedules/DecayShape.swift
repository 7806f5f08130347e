import Foundation

/// The shape of a decay from `peak` to `floor` as progress x runs from 0 to 1 (WSD cooldowns).
///
/// - linear: peak - (peak - floor) x
/// - cosine: floor + (peak - floor) (1 + cos(pi x)) / 2
/// - geometric: peak (floor / peak)^x (needs floor > 0; Luo et al. 2025, `wsd_20000_24000`)
/// - 1-sqrt: floor + (peak - floor) (1 - sqrt(x)) (Hägele et al. 2024, "Scaling Laws and
///   Compute-Optimal Training Beyond Fixed Training Durations", Sec. 3)
public enum DecayShape: String, Sendable, Hashable, CaseIterable {
    case linear
    case cosine
    case geometric
    case oneMinusSqrt = "1-sqrt"

    /// The rate at progress `x` in [0, 1].
    public func rate(peak: Double, floor: Double, progress x: Double) -> Double {
        switch self {
        case .linear: peak - (peak - floor) * x
        case .cosine: floor + (peak - floor) / 2 * (1 + cos(Double.pi * x))
        case .geometric: peak * pow(floor / peak, x)
        case .oneMinusSqrt: floor + (peak - floor) * (1 - x.squareRoot())
        }
    }

    /// The shape named `name`. - Throws: ``LawfitError`` listing the known shapes.
    public static func named(_ name: String, in owner: String) throws -> DecayShape {
        guard let shape = DecayShape(rawValue: name) else {
            let known = allCases.map(\.rawValue).joined(separator: ", ")
            throw LawfitError.input("\(owner): unknown decay shape '\(name)'; known shapes: \(known)")
        }
        return shape
    }
}
