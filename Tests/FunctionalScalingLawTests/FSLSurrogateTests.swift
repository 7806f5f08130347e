import Foundation
import LawfitCore
import LossCurveSupport
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
        for (n, k) in shortSteps.enumerated() {
            let direct = fslByDirectSum(p, rates: eta, step: k)
            #expect(abs(fast[n] / direct - 1) < 1e-12, "step \(k): \(fast[n]) vs \(direct)")
        }
    }

    @Test("analytic Jacobian matches central differences")
    func gradient() throws {
        let evaluator = try FSLSurrogateLaw().makeEvaluator(for: [shortRun()])
        #expect(jacobianError(evaluator, at: [2.0, 0.6, 0.5, 500.0, 20.0, 3.0, 1.7]) < 1e-6)
        #expect(jacobianError(evaluator, at: [2.5, 0.2, 0.9, 50.0, 2.0, 0.4, 0.6]) < 1e-6)
    }

    /// The default rule (4 Gauss nodes per merged block, V <= 0.6 with s <= 3) measured 9.4e-11 on
    /// the multipower-400m fit curves over four parameter sets and 1.4e-9 here at one of the box's steep
    /// corners (Docs/laws/fsl.md): 5e-9 relative.
    @Test("the compressed sums are within 5e-9 of the exact direct sum on warmup + cosine and a long linear decay")
    func compression() throws {
        for schedule in CompressionTestSchedule.allCases {
            let steps = CompressionTestSchedule.steps
            let run = Run(name: "\(schedule)", observations: steps.map { Observation(step: $0) }, schedule: DenseSchedule(schedule))
            let data = try ScheduledPoints(law: FSLSurrogateLaw(), runs: [run], compression: FSLSurrogateLaw.defaultCompression)
            let exactTerms = data.points.map(\.changePoints).reduce(0, +)
            #expect(data.termCount < exactTerms / 10, "\(schedule): \(data.termCount) of \(exactTerms) terms")
            let rates = (0...schedule.totalSteps).map(schedule.rate(at:))
            var tau = [0.0]
            for k in 1...schedule.totalSteps { tau.append(tau[k - 1] + rates[k]) }
            // (s, c23, c2, c4, gamma): a fitted-like point, c2 = 0, and the box's steep corners.
            for (s, c23, c2, c4, gamma) in [(0.5, 500.0, 10.0, 5.0, 1.5), (1e-3, 100.0, 0.0, 1.0, 0.5), (3.0, 1.0, 100.0, 1e3, 5.0), (2.0, 10.0, 10.0, 1e-4, 0.01)] {
                // L0 = c1 = 0: the prediction is minus the drops (Li et al. 2025, App. B.2), summed directly.
                let predicted = FSLSurrogateEvaluator(data: data).predict([0, 0, s, c23, c2, c4, gamma])
                let direct = steps.map { t in
                    -(1...t).reduce(0.0) { sum, i in
                        rates[i - 1] == rates[i] ? sum
                            : sum + (rates[i - 1] - rates[i]) * (c23 + c2 * pow(tau[i], -s)) * (1 - pow(1 + c4 * (tau[t] - tau[i]), -gamma))
                    }
                }
                // Before the decay of the second schedule there is no change point: both sums are exactly 0 there.
                let changing = direct.indices.filter { direct[$0] != 0 }
                #expect(direct.indices.allSatisfy { direct[$0] != 0 || predicted[$0] == 0 } && changing.count >= 40)
                let error = worstRelativeError(changing.map { predicted[$0] }, changing.map { direct[$0] })
                #expect(error <= 5e-9, "\(schedule) s \(s) c4 \(c4) gamma \(gamma): \(error)")
            }
        }
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
