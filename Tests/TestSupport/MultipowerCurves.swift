import Foundation
import LawfitCore

/// The multipower-400m curves of Luo et al. 2025 (`../shared/datasets/multipower-400m`), each with
/// its dense schedule built from the spec string of Docs/Schedules.md.
public enum MultipowerCurves {
    /// The three curves the laws are fitted on.
    public static let fitNames = ["cosine_24000", "constant_24000", "wsdcon_9"]
    /// The six held-out curves.
    public static let testNames = ["cosine_72000", "constant_72000", "wsd_20000_24000", "wsdld_20000_24000", "wsdcon_3", "wsdcon_18"]
    /// The published 400M Multi-Power Law parameters (datasets/README.md): L0, A, alpha, B, C, beta, gamma.
    public static let published = [2.37474466, 0.65421216, 0.42878731, 523.42464371, 2.02462735, 0.59350493, 0.63472457]

    /// The schedule spec of curve `name` (Docs/Schedules.md, "The multipower-400m schedules").
    public static func spec(_ name: String) -> String {
        let parts = name.split(separator: "_").map(String.init)
        switch parts[0] {
        case "cosine": return "cosine(peak=3e-4, floor=3e-5, warmup=2160, total=\(parts[1]))"
        case "constant": return "constant(peak=3e-4, warmup=2160, total=\(parts[1]))"
        case "wsd": return "wsd(peak=3e-4, warmup=2160, decay_start=20000, total=24000, floor=3e-5, shape=geometric)"
        case "wsdld": return "wsd(peak=3e-4, warmup=2160, decay_start=20000, total=24000, floor=3e-5, shape=linear)"
        default: return "twostage(peak=3e-4, low=\(parts[1])e-5, switch=8000, warmup=2160, total=16000)"
        }
    }

    /// The runs named `names`, in order, or `nil` when any is absent outside CI (so a test over several
    /// curves skips as a whole instead of checking the ones present).
    public static func runs(_ names: [String]) throws -> [Run]? {
        guard try SharedData.urls(names.map { "datasets/multipower-400m/\($0).csv" }) != nil else { return nil }
        return try names.map { try run($0)! }
    }

    /// The run named `name` (observations with step, lr and loss, and the dense schedule), or `nil`
    /// when the shared data is absent outside CI.
    public static func run(_ name: String) throws -> Run? {
        guard let url = try SharedData.dataset("multipower-400m/\(name).csv") else { return nil }
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline)
        var observations: [Observation] = []
        for (n, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! }
            observations.append(Observation(loss: fields[2], step: Int(fields[0]), learningRate: fields[1], line: n + 2))
        }
        return Run(name: name, observations: observations, schedule: try denseSchedule(spec(name)), source: url.path)
    }
}

/// The dense form of a built-in schedule given by its spec string, e.g.
/// `cosine(peak=0.1, floor=0.01, warmup=100, total=3000)`.
public func denseSchedule(_ spec: String) throws -> DenseSchedule {
    let registry = PluginRegistry()
    try BuiltinSchedules.register(into: registry)
    return DenseSchedule(try ScheduleSpec.parse(spec, registry: registry))
}

/// Huber loss of a residual (Luo et al. and Hoffmann et al. use delta = 1e-3 on log residuals).
public func huber(_ r: Double, delta: Double = 1e-3) -> Double {
    abs(r) < delta ? 0.5 * r * r : delta * abs(r) - 0.5 * delta * delta
}
