import Foundation
import LawfitCore
import LawfitSimulation
import Testing

/// A diverging simulation is a failure naming the step (issue 16, item 2), checked against the closed
/// form of a single mode: with lambda = 1, no noise and batch B, L(k) = g^k L(0) with
/// g = (1 - eta)^2 + 2 eta^2 / B, so L first exceeds 10^6 L(0) at k = ceil(6 / log10 g) and overflows
/// at k = ceil(log10(DBL_MAX / L(0)) / log10 g).
@Suite struct SGDDivergenceTests {
    private struct OneMode: SpectralKernel {
        var modes: Int { 1 }
        func eigenvalue(_ j: Int) -> Double { 1 }
        func targetPower(_ j: Int) -> Double { 1 }
        var spec: String { "one-mode" }
    }

    @Test("a rate too large for the kernel fails with the steps of blow-up and overflow")
    func diverges() throws {
        let eta = 100.0
        let g = (1 - eta) * (1 - eta) + 2 * eta * eta
        let blowUp = Int((6 / log10(g)).rounded(.up))
        let overflow = Int((log10(Double.greatestFiniteMagnitude) / log10(g)).rounded(.up))
        let schedule = DenseSchedule(try ConstantSchedule(peak: eta, warmup: 0, total: 300))
        let simulator = try SGDPowerLawSimulator(kernel: OneMode(), noise: 0, batchSize: 1)
        let error = try #require(throws: LawfitError.self) { try simulator.finiteExpectedLoss(schedule: schedule) }
        #expect(error.kind == .fit)
        #expect(error.message.contains("exceeds 10^6 times its initial 1.0 at step \(blowUp) (lr 100.0"))
        #expect(error.message.contains("and is inf from step \(overflow); lower the learning rate"))
        // A stable rate passes through unchanged.
        let stable = DenseSchedule(try ConstantSchedule(peak: 0.5, warmup: 0, total: 10))
        #expect(try simulator.finiteExpectedLoss(schedule: stable) == simulator.expectedLoss(schedule: stable))
    }
}
