import Foundation
import LawfitCore
import LawfitSimulation
import Testing

/// Always-on reference points (no ../shared needed): the exact SGD recursion against values of
/// `reference/sgd_power_law_regression.py` (reference_values.json, `sgd_power_law`), copied here so a
/// wrong recursion fails without the shared folder. M = 400, capacity 1.5, batch 4, sigma^2 = 0.09.
@Suite("SGD simulator against independent reference points")
struct SGDIndependentReferenceTests {
    @Test(
        "expected loss at steps 1000 and 3000",
        arguments: [
            ("constant", 0.5, 0.13900684214354922, 0.12119349407057141),
            ("cosine", 0.5, 0.13324849106432252, 0.10778579531235989),
            ("wsd_linear_20pct", 0.5, 0.13900684214354922, 0.1029007972490633),
            ("exponential", 0.5, 0.13322621368781856, 0.12326794929641705),
            ("constant", 1.0, 0.11113293656602574, 0.11099466959328312),
            ("cosine", 1.0, 0.10520696491510646, 0.0924833319493617),
            ("wsd_linear_20pct", 1.0, 0.11113293656602574, 0.09330015558663561),
            ("exponential", 1.0, 0.0950102107180427, 0.09175070326752797),
        ])
    func expectedLoss(schedule: String, source: Double, at1000: Double, at3000: Double) throws {
        let simulator = try SGDPowerLawSimulator(
            kernel: PowerLawKernel(capacity: 1.5, source: source, modes: 400), noise: 0.09, batchSize: 4)
        let losses = simulator.expectedLoss(schedule: DenseSchedule(ReferenceSchedule(name: schedule)))
        #expect(abs(losses[1000] / at1000 - 1) <= 1e-9, "step 1000: \(losses[1000]) vs \(at1000)")
        #expect(abs(losses[3000] / at3000 - 1) <= 1e-9, "step 3000: \(losses[3000]) vs \(at3000)")
    }
}
