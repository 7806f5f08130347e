import Foundation
@testable import LawfitCore
import Testing
import TestSupport
@testable import ScheduleLaws

/// A long log's fit runs its starts on a subsample, then refines the best on every point
/// (``SubsampleStage``): the answer must be the minimum the unstaged fit finds.
@Suite("Staged fits of long logs")
struct SubsampleStageTests {
    /// Warmup-stable-decay: 3e-4 for 2400 steps after a 100-step warmup, then linear to 3e-5 at 3000.
    private struct WSD: LearningRateSchedule {
        var totalSteps: Int { 3000 }
        var spec: String { "wsd-test" }
        func rate(at step: Int) -> Double {
            if step < 100 { return 3e-4 * Double(step + 1) / 100 }
            if step < 2400 { return 3e-4 }
            return 3e-4 - 2.7e-4 * Double(step - 2400) / 600
        }
    }

    private static let truth = [2.5, 1.0, 0.3, 2.0, 0.999]

    /// One run logged at every step, its loss the momentum recursion of Tissue et al. (independent of
    /// the law's code) at `truth` times exp(0.003 z).
    private static func run() -> Run {
        let schedule = DenseSchedule(WSD())
        let clean = lrAnnealingByMomentumRecursion(truth, rates: schedule.rates)
        var random = SeededUniform(seed: 14)
        let observations = (1...3000).map { step in
            var observation = Observation(step: step)
            observation.loss = clean[step] * exp(0.003 * random.normal())
            return observation
        }
        return Run(name: "wsd", observations: observations, schedule: schedule)
    }

    @Test("the stride is ceil(points / target) above the threshold, nil at or below it")
    func strideRule() {
        let standard = SubsampleStage.standard
        #expect(standard.stride(points: 100_000) == nil)
        #expect(standard.stride(points: 100_001) == 11)
        #expect(standard.stride(points: 1_000_000) == 100)
    }

    @Test("thinning keeps each run's k-th, 2k-th, ... points and its last, with their weights")
    func thinning() {
        let runs = [25, 7, 3].enumerated().map { r, count in
            Run(name: "run\(r)", observations: (1...count).map { Observation(step: $0) })
        }
        let weights = (0..<35).map(Double.init)
        let (thinned, thinnedWeights) = SubsampleStage.thin(runs, stride: 5, weights: weights)
        #expect(thinned.map { $0.observations.map { $0.step! } } == [[5, 10, 15, 20, 25], [5, 7], [3]])
        #expect(thinnedWeights == [4, 9, 14, 19, 24, 29, 31, 34])
    }

    @Test("lr-annealing staged on 300 of 3000 points reaches the unstaged minimum (objective within 1e-9) and reports its subsample")
    func stagedFitReachesTheUnstagedMinimum() async throws {
        let runs = [Self.run()]
        var staged = FitOptions(workers: 2)
        staged.subsample = SubsampleStage(threshold: 2000, target: 300)
        var unstaged = staged
        unstaged.subsample = nil
        let stagedFit = try await LawFitter(law: LRAnnealingLaw(), options: staged).fit(runs)
        let unstagedFit = try await LawFitter(law: LRAnnealingLaw(), options: unstaged).fit(runs)
        #expect(stagedFit.subsample == SubsampleSummary(points: 300, stride: 10, evaluations: stagedFit.subsample?.evaluations ?? -1))
        #expect((stagedFit.subsample?.evaluations ?? 0) > 0 && unstagedFit.subsample == nil)
        #expect(stagedFit.points == 3000 && stagedFit.starts.count == unstagedFit.starts.count)
        #expect(stagedFit.objective <= unstagedFit.objective * (1 + 1e-9), "staged \(stagedFit.objective), unstaged \(unstagedFit.objective)")
        for (name, (a, b)) in zip(stagedFit.parameterNames, zip(stagedFit.values, unstagedFit.values)) {
            #expect(abs(a / b - 1) < 1e-4, "\(name): staged \(a), unstaged \(b)")
        }
        // The simulated truth, within a few percent (the noise is 0.3 % a point).
        for (name, (value, truth)) in zip(stagedFit.parameterNames, zip(stagedFit.values, Self.truth)) where name != "C" {
            #expect(abs(value / truth - 1) < 0.05, "\(name) = \(value), truth \(truth)")
        }
        #expect(stagedFit.report.contains("subsample      = the starts ran on 300 of the 3000 points (1 in 10 of each run, and its last;"))
    }
}
