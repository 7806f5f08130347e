import Foundation
import LawfitCore
import Testing
@testable import FunctionalScalingLaw

/// PowerLawKernel with an amplitude: lambda_j theta*_j^2 = A j^-(1 + s beta), as fsl-theory uses it.
private struct ScaledPowerLawKernel: SpectralKernel {
    var capacity: Double, source: Double, amplitude: Double, modes: Int
    func eigenvalue(_ j: Int) -> Double { pow(Double(j), -capacity) }
    func targetPower(_ j: Int) -> Double { amplitude * pow(Double(j), -(1 + source * capacity)) }
    var spec: String { "powerlaw(capacity=\(capacity), source=\(source), amplitude=\(amplitude), modes=\(modes))" }
}

@Suite("fsl-theory past the stability limit")
struct FSLDivergenceTests {
    /// The law-guard sample (Tests/LawfitCLITests/LawGuardTests.swift) that gave NaN: capacity,
    /// source, amplitude, noise, lrScale; on the guard's cosine run (peak 3e-4, warmup 20, 200 steps)
    /// the effective top-mode step c eta lambda_1 reaches 700.
    static let corner = [2.2531330030311327, 2.9302403557726846, 1.632919814854921, 3.5432453354588533, 2341227.8749699094]

    @Test("A diverging run saturates at divergedLoss with zero derivatives; before it the law equals the theory functional")
    func divergenceSaturates() throws {
        let schedule = DenseSchedule(try CosineSchedule(peak: 3e-4, floor: 3e-5, warmup: 20, total: 200))
        let steps = [0, 1, 2, 3, 5, 10, 50, 100, 150, 200]
        let run = Run(name: "corner", observations: steps.map { Observation(loss: 3, step: $0) }, schedule: schedule)
        let theta = Self.corner
        let evaluator = try FSLTheoryLaw().makeEvaluator(for: [run])
        let (predictions, jacobian) = evaluator.predictWithJacobian(theta)
        #expect(predictions.allSatisfy { $0.isFinite } && jacobian.allSatisfy { $0.isFinite })
        // Independent: FSLTheory's risk curve (theory mode, M = 200, B = 1) at the scaled rates.
        let theory = try FSLTheory(
            kernel: ScaledPowerLawKernel(capacity: theta[0], source: theta[1], amplitude: theta[2], modes: 200),
            noise: theta[3], batchSize: 1, form: .continuum)
        let risk = theory.risk(rates: schedule.rates.map { $0 * theta[4] })
        // The functional itself diverges: its risk passes every bound (inf or NaN by the last step).
        #expect(!(risk[200] <= FSLTheoryLaw.divergedLoss))
        var exact = 0, diverged = 0
        for (i, step) in steps.enumerated() {
            let row = jacobian[(i * 5)..<(i * 5 + 5)]
            if risk[0...step].allSatisfy({ $0 <= FSLTheoryLaw.divergedLoss }) {
                exact += 1
                #expect(abs(predictions[i] - risk[step]) <= 1e-12 * risk[step], "step \(step): \(predictions[i]) vs \(risk[step])")
                #expect(row.contains { $0 != 0 }, "step \(step)")
            } else {
                diverged += 1
                #expect(predictions[i] == FSLTheoryLaw.divergedLoss, "step \(step)")
                #expect(row.allSatisfy { $0 == 0 }, "step \(step)")
            }
        }
        #expect(exact >= 2 && diverged >= 2, "exact \(exact), diverged \(diverged)")
    }
}
