import Foundation
import LawfitCore
import LossCurveSupport
import TestSupport
import Testing
@testable import ScheduleLaws

/// A short schedule with warmup, a plateau, a cosine-like decay and a sharp drop, for exactness tests.
private struct ShortSchedule: LearningRateSchedule {
    var totalSteps: Int { 300 }
    var spec: String { "short" }
    func rate(at step: Int) -> Double {
        if step < 20 { return 0.01 * Double(step) / 20 }
        if step < 120 { return 0.01 }
        if step < 250 { return 0.001 + 0.0045 * (1 + cos(Double.pi * Double(step - 120) / 130)) }
        return 0.0005
    }
}

private func shortRun(steps: [Int]) -> Run {
    Run(name: "short", observations: steps.map { Observation(step: $0) }, schedule: DenseSchedule(ShortSchedule()))
}

private let shortSteps = [1, 2, 19, 20, 21, 60, 119, 120, 121, 180, 249, 250, 251, 300]

@Suite("Multi-Power Law")
struct MultiPowerLawTests {
    @Test("the dense multipower schedules reproduce every lr of the CSVs")
    func schedulesMatchLrColumn() throws {
        guard let runs = try MultipowerCurves.runs(MultipowerCurves.fitNames + MultipowerCurves.testNames) else { return }
        for run in runs {
            let name = run.name
            #expect(run.observations.count >= 100, "\(name) has \(run.observations.count) rows")
            for observation in run.observations {
                let rate = run.schedule!.rates[observation.step!]
                #expect(abs(rate - observation.learningRate!) <= 1e-12 * observation.learningRate!, "\(name) step \(observation.step!)")
            }
        }
    }

    @Test("published 400M parameters reproduce all 9 curves (mean relative error <= 0.3 % each)")
    func publishedParametersReproduceCurves() throws {
        // Independent numpy implementation of the same convention: mean relative error per curve
        // 0.056 % (constant_24000) ... 0.278 % (wsdcon_3); Huber(1e-3) on log residuals over the
        // three fit curves 0.000579.
        let expectedMean = [
            "cosine_24000": 0.2483, "constant_24000": 0.0556, "wsdcon_9": 0.2289, "cosine_72000": 0.2021,
            "constant_72000": 0.1455, "wsd_20000_24000": 0.1654, "wsdld_20000_24000": 0.1343,
            "wsdcon_3": 0.2780, "wsdcon_18": 0.0843,
        ]
        var fitObjective = 0.0
        guard let runs = try MultipowerCurves.runs(MultipowerCurves.fitNames + MultipowerCurves.testNames) else { return }
        for run in runs {
            let name = run.name
            let predictions = try MultiPowerLaw().makeEvaluator(for: [run]).predict(MultipowerCurves.published)
            let losses = run.observations.map { $0.loss! }
            let relative = zip(predictions, losses).map { abs($0 / $1 - 1) }
            let mean = 100 * relative.reduce(0, +) / Double(relative.count)
            #expect(mean <= 0.3, "\(name): mean relative error \(mean) %")
            #expect(abs(mean - expectedMean[name]!) < 5e-4, "\(name): \(mean) % vs numpy \(expectedMean[name]!) %")
            if MultipowerCurves.fitNames.contains(name) {
                fitObjective += zip(predictions, losses).map { huber(log($0) - log($1)) }.reduce(0, +)
            }
        }
        #expect(abs(fitObjective - 0.000579) < 0.000002, "Huber objective on the fit curves: \(fitObjective)")
    }

    @Test("change-point evaluation equals the direct O(K^2) double sum to 1e-12")
    func fastMatchesDirectSum() throws {
        let p = [2.0, 0.7, 0.45, 400.0, 2.0, 0.6, 0.6]
        let fast = try MultiPowerLaw(compression: nil).makeEvaluator(for: [shortRun(steps: shortSteps)]).predict(p)
        let eta = DenseSchedule(ShortSchedule()).rates
        for (i, t) in shortSteps.enumerated() {
            var s1 = 0.0
            for k in 1...t { s1 += eta[k] }
            var ld = 0.0
            for k in 1...t {
                var sk = 0.0
                for tau in k...t { sk += eta[tau] }
                ld += (eta[k - 1] - eta[k]) * (1 - pow(p[4] * pow(eta[k], -p[6]) * sk + 1, -p[5]))
            }
            let direct = p[0] + p[1] * pow(s1, -p[2]) - p[3] * ld
            #expect(abs(fast[i] / direct - 1) < 1e-12, "step \(t): \(fast[i]) vs \(direct)")
        }
    }

    @Test("analytic Jacobian matches central differences")
    func gradient() throws {
        let evaluator = try MultiPowerLaw().makeEvaluator(for: [shortRun(steps: shortSteps)])
        #expect(jacobianError(evaluator, at: [2.0, 0.7, 0.45, 400.0, 2.0, 0.6, 0.6]) < 1e-6)
        #expect(jacobianError(evaluator, at: [2.4, 0.3, 0.9, 50.0, 0.3, 1.4, 0.2]) < 1e-6)
    }

    @Test("a step outside the schedule is an input error naming the run and step")
    func rejectsStepOutsideSchedule() {
        #expect {
            _ = try MultiPowerLaw().makeEvaluator(for: [shortRun(steps: [10, 301])])
        } throws: { error in
            guard let error = error as? LawfitError else { return false }
            return error.kind == .input && error.message.contains("301") && error.message.contains("short")
        }
        let noSchedule = Run(name: "bare", observations: [Observation(loss: 3, step: 5)])
        #expect(throws: LawfitError.self) { try MultiPowerLaw().makeEvaluator(for: [noSchedule]) }
    }
}

@Suite("LR-annealing law")
struct LRAnnealingLawTests {
    @Test("change-point form equals the momentum recursion of Tissue et al. to 1e-12")
    func fastMatchesMomentumRecursion() throws {
        let p = [2.0, 0.7, 0.45, 0.8, 0.99]
        let fast = try LRAnnealingLaw().makeEvaluator(for: [shortRun(steps: shortSteps)]).predict(p)
        let eta = DenseSchedule(ShortSchedule()).rates
        let direct = lrAnnealingByMomentumRecursion(p, rates: eta)
        for (i, t) in shortSteps.enumerated() {
            #expect(abs(fast[i] / direct[t] - 1) < 1e-12, "step \(t): \(fast[i]) vs \(direct[t])")
        }
    }

    @Test("analytic Jacobian matches central differences")
    func gradient() throws {
        let evaluator = try LRAnnealingLaw().makeEvaluator(for: [shortRun(steps: shortSteps)])
        #expect(jacobianError(evaluator, at: [2.0, 0.7, 0.45, 0.8, 0.99]) < 1e-6)
        #expect(jacobianError(evaluator, at: [2.5, 0.2, 1.1, 3.0, 0.9]) < 1e-6)
    }
}

@Suite("ScheduleLaws registration")
struct ScheduleLawsRegistrationTests {
    @Test("registers multi-power and lr-annealing needing step and schedule")
    func registration() throws {
        let registry = PluginRegistry()
        try ScheduleLawsPlugin.register(into: registry)
        for name in ["multi-power", "lr-annealing"] {
            let law = try registry.law(named: name)
            #expect(law.requiredInputs == [.step, .schedule])
        }
        #expect(try registry.law(named: "multi-power").parameterSpace.names == ["L0", "A", "alpha", "B", "C", "beta", "gamma"])
    }
}

@Suite("Change-point compression")
struct CompressionTests {
    /// The default rule's worst deviation (measured 2.4e-10 on the multipower-400m fit curves over five
    /// parameter sets, Docs/laws/multi-power.md; its error is of order V^8 with V <= 0.6 plus the shape
    /// fit's residual): 1e-9 relative, with at most 4 % of the exact terms.
    @Test("the compressed sum is within 1e-9 of the exact direct sum on warmup + cosine and a long linear decay")
    func multiPowerCompression() throws {
        for schedule in CompressionTestSchedule.allCases {
            let steps = CompressionTestSchedule.steps
            let run = Run(name: "\(schedule)", observations: steps.map { Observation(step: $0) }, schedule: DenseSchedule(schedule))
            let data = try ScheduledPoints(law: MultiPowerLaw(), runs: [run], compression: MultiPowerLaw.defaultCompression)
            let exactTerms = data.points.map(\.changePoints).reduce(0, +)
            let rates = (0...schedule.totalSteps).map(schedule.rate(at:))
            #expect(data.termCount < exactTerms / 25, "\(schedule): \(data.termCount) of \(exactTerms) terms")
            // (C, beta, gamma): the published 400M fit, a refit, and the box's steep corners.
            for (c, beta, gamma) in [(2.02462735, 0.59350493, 0.63472457), (0.496, 0.272, 0.656), (100.0, 5.0, 2.0), (1e-3, 0.01, 0.0), (10.0, 2.0, 1.5)] {
                // L0 = A = 0, B = 1: the prediction is -LD(t).
                let predicted = MultiPowerEvaluator(data: data).predict([0, 0, 0.5, 1, c, beta, gamma])
                let direct = steps.map { -directLossDrop(rates, step: $0, c: c, beta: beta, gamma: gamma) }
                // Before the decay of the second schedule there is no change point: both sums are exactly 0 there.
                let changing = direct.indices.filter { direct[$0] != 0 }
                #expect(direct.indices.allSatisfy { direct[$0] != 0 || predicted[$0] == 0 } && changing.count >= 40)
                let error = worstRelativeError(changing.map { predicted[$0] }, changing.map { direct[$0] })
                #expect(error <= 1e-9, "\(schedule) C \(c) beta \(beta) gamma \(gamma): \(error)")
            }
        }
    }
}

/// LD(t) / B = sum_{k=1}^{t} (eta_{k-1} - eta_k) G(eta_k^-gamma (tau_t - tau_{k-1})), summed over every
/// step in the paper's form (Luo et al. 2025, Sec. 3) from `rates` = eta_0...eta_T.
func directLossDrop(_ rates: [Double], step t: Int, c: Double, beta: Double, gamma: Double) -> Double {
    var tau = [0.0]
    for k in 1...t { tau.append(tau[k - 1] + rates[k]) }
    var sum = 0.0
    for k in 1...t where rates[k - 1] != rates[k] {
        let x = pow(rates[k], -gamma) * (tau[t] - tau[k - 1])
        sum += (rates[k - 1] - rates[k]) * (1 - pow(c * x + 1, -beta))
    }
    return sum
}
