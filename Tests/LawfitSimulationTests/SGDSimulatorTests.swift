import Foundation
import LawfitCore
import LawfitSimulation
import TestSupport
import Testing

/// lambda_j = j^-capacity, lambda_j theta*_j^2 = j^-(1 + source capacity) (FSL power-law kernel).
struct PowerLawKernel: SpectralKernel {
    var capacity: Double, source: Double, modes: Int
    func eigenvalue(_ j: Int) -> Double { pow(Double(j), -capacity) }
    func targetPower(_ j: Int) -> Double { pow(Double(j), -(1 + source * capacity)) }
    var spec: String { "powerlaw(capacity=\(capacity), source=\(source), modes=\(modes))" }
}

/// The four schedules of `reference/make_reference_values.py` (update k uses the reference's
/// etas[k - 1]; T = 3000, peak 0.5).
struct ReferenceSchedule: LearningRateSchedule {
    var name: String
    var totalSteps: Int { 3000 }
    var spec: String { name }
    func rate(at step: Int) -> Double {
        let t = Double(max(step, 1) - 1), total = 3000.0
        switch name {
        case "constant": return 0.5
        case "cosine": return 0.05 + 0.5 * (0.5 - 0.05) * (1 + cos(Double.pi * t / total))
        case "wsd_linear_20pct": return t < 0.8 * total ? 0.5 : 0.5 * (total - t) / (0.2 * total)
        default: return 0.5 * pow(0.01, t / total)
        }
    }
}

@Suite("SGD power-law simulator")
struct SGDSimulatorTests {
    @Test("matches every sgd_power_law value of reference_values.json to 1e-9 relative")
    func referenceValues() throws {
        guard let reference = try SharedData.referenceValues() else { return }
        let cases = try #require(reference["sgd_power_law"] as? [[String: Any]])
        #expect(cases.count == 8)
        var checked = 0
        for entry in cases {
            let kernel = PowerLawKernel(
                capacity: try #require(entry["capacity_beta"] as? Double),
                source: try #require(entry["source_s"] as? Double),
                modes: try #require(entry["M"] as? Int))
            let simulator = try SGDPowerLawSimulator(
                kernel: kernel, noise: try #require(entry["sigma2"] as? Double),
                batchSize: try #require(entry["batch"] as? Int))
            let schedule = ReferenceSchedule(name: try #require(entry["schedule"] as? String))
            let losses = simulator.expectedLoss(schedule: DenseSchedule(schedule))
            #expect(losses.count == 3001)
            let expected = try #require(entry["loss_at"] as? [String: Double])
            for (step, value) in expected {
                let got = losses[try #require(Int(step))]
                #expect(abs(got / value - 1) < 1e-9, "\(schedule.name) s=\(kernel.source) step \(step): \(got) vs \(value)")
                checked += 1
            }
        }
        #expect(checked == 64)
    }

    @Test("one mode, constant rate: closed form of the scalar recursion")
    func singleModeClosedForm() throws {
        // M = 1, lambda = 1, u0 = 1: u(k) = r u(k-1) + g (u(k-1) + sigma^2) with r = (1-eta)^2 + eta^2/B,
        // g = eta^2/B, so L - L* = (r + g)^k (L0 - L*) with fixed point L* = sigma^2 (1 - r) / (1 - r - g).
        struct One: SpectralKernel {
            var modes: Int { 1 }
            func eigenvalue(_ j: Int) -> Double { 1 }
            func targetPower(_ j: Int) -> Double { 1 }
            var spec: String { "one" }
        }
        let eta = 0.3, batch = 2.0, sigma2 = 0.25
        let simulator = try SGDPowerLawSimulator(kernel: One(), noise: sigma2, batchSize: 2)
        let losses = simulator.expectedLoss(rates: [0] + Array(repeating: eta, count: 40))
        let r = (1 - eta) * (1 - eta) + eta * eta / batch, g = eta * eta / batch
        let fixed = sigma2 * (1 - r) / (1 - r - g)
        for k in [0, 1, 5, 40] {
            let exact = fixed + pow(r + g, Double(k)) * (1 + sigma2 - fixed)
            #expect(abs(losses[k] - exact) < 1e-13 * exact)
        }
    }

    @Test("bad inputs are rejected with the parameter named")
    func rejectsBadInput() {
        let kernel = PowerLawKernel(capacity: 1.5, source: 0.5, modes: 10)
        #expect(throws: LawfitError.self) { try SGDPowerLawSimulator(kernel: kernel, noise: -1, batchSize: 1) }
        #expect(throws: LawfitError.self) { try SGDPowerLawSimulator(kernel: kernel, noise: 0.1, batchSize: 0) }
        #expect(throws: LawfitError.self) {
            try SGDPowerLawSimulator(kernel: PowerLawKernel(capacity: 1.5, source: 0.5, modes: 0), noise: 0.1, batchSize: 1)
        }
    }
}
