import Foundation
import LawfitCore
import TestSupport
import Testing
@testable import FunctionalScalingLaw

@Suite("FSL LLM surrogate")
struct FSLSurrogateTests {
    @Test("change-point evaluation equals the direct O(K^2) double sum of LAWS.md Sec. 1 to 1e-12")
    func fastMatchesDirectSum() throws {
        // L0, c1, s, c2 c3, c2, c4, gamma
        let p = [2.0, 0.6, 0.5, 500.0, 20.0, 3.0, 1.7]
        let fast = try FSLSurrogateLaw(compression: nil).makeEvaluator(for: [shortRun()]).predict(p)
        let eta = DenseSchedule(ShortSchedule()).rates
        let c2 = p[4], c3 = p[3] / p[4]
        for (n, k) in shortSteps.enumerated() {
            var tauK = 0.0
            for i in 1...k { tauK += eta[i] }
            var sum = 0.0
            for i in 1...k {
                var tauI = 0.0
                for j in 1...i { tauI += eta[j] }
                sum += (eta[i - 1] - eta[i]) * (c3 + pow(tauI, -p[2])) * (1 - pow(1 + p[5] * (tauK - tauI), -p[6]))
            }
            let direct = p[0] + p[1] * pow(tauK, -p[2]) - c2 * sum
            #expect(abs(fast[n] / direct - 1) < 1e-12, "step \(k): \(fast[n]) vs \(direct)")
        }
    }

    @Test("analytic Jacobian matches central differences")
    func gradient() throws {
        let evaluator = try FSLSurrogateLaw().makeEvaluator(for: [shortRun()])
        #expect(jacobianError(evaluator, at: [2.0, 0.6, 0.5, 500.0, 20.0, 3.0, 1.7]) < 1e-6)
        #expect(jacobianError(evaluator, at: [2.5, 0.2, 0.9, 50.0, 2.0, 0.4, 0.6]) < 1e-6)
    }

    @Test("default compression (rho 32) is within 1e-6 of the exact sum on the multipower curves")
    func compression() throws {
        let p = [2.3, 0.6, 0.5, 500.0, 10.0, 5.0, 1.5]
        var worst = 0.0
        guard let runs = try MultipowerCurves.runs(["cosine_24000", "wsd_20000_24000", "wsdcon_9"]) else { return }
        for run in runs {
            let exact = try FSLSurrogateLaw(compression: nil).makeEvaluator(for: [run]).predict(p)
            let fast = try FSLSurrogateLaw().makeEvaluator(for: [run]).predict(p)
            worst = max(worst, zip(fast, exact).map { abs($0 / $1 - 1) }.max()!)
        }
        #expect(worst < 1e-6 && worst > 0, "worst relative deviation \(worst)")  // measured 3.9e-7
    }

    @Test("c3 is recovered from (c2 c3, c2) unless c2 vanishes")
    func c3Recovery() {
        #expect(FSLSurrogateLaw.c3(from: [2, 0.5, 0.5, 600, 3, 1, 1.5]) == 200)
        #expect(FSLSurrogateLaw.c3(from: [2, 0.5, 0.5, 600, 0, 1, 1.5]) == nil)
    }

    @Test("registers fsl and fsl-theory, both needing step and schedule")
    func registration() throws {
        let registry = PluginRegistry()
        try FunctionalScalingLawPlugin.register(into: registry)
        #expect(try registry.law(named: "fsl").parameterSpace.names == ["L0", "c1", "s", "c23", "c2", "c4", "gamma"])
        #expect(try registry.law(named: "fsl-theory").parameterSpace.names == ["capacity", "source", "amplitude", "noise", "lrScale"])
        for name in ["fsl", "fsl-theory"] {
            #expect(try registry.law(named: name).requiredInputs == [.step, .schedule])
        }
    }
}
