import Foundation
import LawfitCore
import Testing
@testable import FunctionalScalingLaw

@Suite("FSL theory compute-optimal allocation")
struct FSLTheoryAllocationTests {
    /// Brute force on the functional (continuum kernel, per step): every M on a log grid of ratio
    /// 2^(1/4) from 4 to 2000 and every constant rate on a log grid of ratio 10^(1/10) from 0.01 to 1,
    /// with K = W / M steps for a budget of W mode-steps (C = 6 N D, N = M / m, D = B K, m = 1, B = 1).
    @Test("the allocation matches a brute-force minimisation of the functional at C = 6 N D")
    func matchesBruteForce() throws {
        let parameters = [1.5, 0.5, 1, 0.1, 1, 1.0]
        let budget = 20_000.0, compute = 6 * budget
        let allocation = try FSLTheoryAllocation(parameters: parameters, batchSize: 1)
        let optimum = try allocation.optimum(compute: compute)
        #expect(abs(6 * optimum.parameters * optimum.samples / compute - 1) < 1e-12)

        func functional(modes: Double, rate: Double) -> Double {
            let steps = Int((budget / modes).rounded())
            let theory = FSLScaledKernel(capacity: 1.5, source: 0.5, amplitude: 1, modes: modes).theory(noise: 0.1, batchSize: 1, form: .continuum)
            return theory.risk(rates: [Double](repeating: rate, count: steps + 1))[steps]
        }
        var best = (modes: 0.0, rate: 0.0, loss: Double.infinity)
        for i in 0...36 {
            let modes = (4 * pow(2, Double(i) / 4)).rounded()
            guard modes <= 2000 else { break }
            for k in 0...20 {
                let rate = 0.01 * pow(10, Double(k) / 10)
                let loss = functional(modes: modes, rate: rate)
                if loss < best.loss { best = (modes, rate, loss) }
            }
        }
        let atAllocation = functional(modes: optimum.modes.rounded(), rate: optimum.kernelRate)
        // Measured: M* 33.0, x* 0.111, closed-form L* 0.25311 (functional there 0.25405); brute force
        // M = 32, x = 0.1, L = 0.25428 (the grid's spacing costs it 0.09 %).
        #expect(abs(optimum.loss / best.loss - 1) < 0.01, "closed-form L* \(optimum.loss) vs brute force \(best.loss)")
        #expect(atAllocation <= best.loss * 1.001, "functional at the allocation \(atAllocation) vs brute force \(best.loss)")
        #expect(optimum.modes / best.modes < 1.25 && best.modes / optimum.modes < 1.25, "M* \(optimum.modes) vs \(best.modes)")
    }

    @Test("the optimum moves as the theory says: M* and D* grow with C and L* falls")
    func scalesWithCompute() throws {
        let allocation = try FSLTheoryAllocation(parameters: [1.5, 0.5, 1, 0.1, 1000, 1e-6], batchSize: 1)
        let small = try allocation.optimum(compute: 1e18), large = try allocation.optimum(compute: 1e21)
        #expect(large.parameters > small.parameters && large.samples > small.samples && large.loss < small.loss)
        #expect(throws: LawfitError.self) { try allocation.optimum(compute: 1) }
        #expect(throws: LawfitError.self) { try FSLTheoryAllocation(parameters: [1.5, 0.5, 1, 0.1, 1000], batchSize: 1) }
    }
}
