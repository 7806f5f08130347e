import Foundation
@testable import LawfitCore
import TestSupport
import Testing
@testable import ScheduleLaws

/// A bootstrap resample of a fit with its own point weights w_i: the resample's objective is
/// sum_i m_i w_i rho(r_i), m_i the point's multiplicity in the draw (Docs/Evaluation.md, "A resample is
/// expressed as integer weights"). Checked for every resampling unit against that sum written out
/// from the law's predictions, and its gradient against the objective with the product weights.
@Suite("Bootstrap resamples keep the fit's own point weights")
struct ResampleWeightsTests {
    /// Three lr-annealing curves of 40 points (constant, cosine and WSD), noise-free at
    /// (L0, A, alpha, C, lambda) = (2.4, 0.6, 0.45, 50, 0.99) times a ripple of +-0.3 %.
    static func curves() throws -> [Run] {
        let specs = [
            "constant(peak=1e-3, warmup=50, total=1000)", "cosine(peak=1e-3, floor=1e-4, warmup=50, total=1000)",
            "wsd(peak=1e-3, warmup=50, decay_start=700, total=1000, floor=1e-5, shape=linear)",
        ]
        return try specs.enumerated().map { k, spec in
            var run = Run(name: "curve\(k)", observations: stride(from: 25, through: 1000, by: 25).map { Observation(step: $0) }, schedule: try denseSchedule(spec))
            let losses = try LRAnnealingLaw().makeEvaluator(for: [run]).predict([2.4, 0.6, 0.45, 50, 0.99])
            for i in run.observations.indices { run.observations[i].loss = losses[i] * (1 + 3e-3 * sin(Double(7 * i + k))) }
            return run
        }
    }

    @Test("runs, points and blocks: value sum_i m_i w_i Huber(r_i) written out; gradient that of the product weights", arguments: BootstrapUnit.allCases)
    func resampleObjectiveKeepsFitWeights(unit: BootstrapUnit) throws {
        let runs = try Self.curves()
        let law = LRAnnealingLaw()
        let n = runs.map(\.observations.count).reduce(0, +)
        let base = (0..<n).map { 0.5 + Double($0 % 4) }  // 0.5, 1.5, 2.5, 3.5, ...
        var options = FitOptions(workers: 1)
        options.weights = base
        let theta = [2.35, 0.65, 0.43, 40.0, 0.985]
        let data = try ResampleData(law: law, runs: runs, unit: unit, fitOptions: options, full: theta)
        let observed = try TrainingLog(runs: runs).requireLosses()
        let predicted = try law.makeEvaluator(for: runs).predict(theta)
        for b in 0..<3 {
            let draw = Bootstrap.draw(unit: unit, runSizes: runs.map(\.observations.count), seed: SplitMix64.derive(11, b))
            let product = zip(draw, base).map { $0 * $1 }
            let expected = (0..<n).reduce(0.0) { sum, i in
                let r = abs(log(predicted[i]) - log(observed[i]))
                return sum + product[i] * (r <= 1e-3 ? r * r / 2 : 1e-3 * (r - 5e-4))
            }
            let resample = try data.objective(weights: draw)
            let reference = try BoundObjective(
                evaluator: try law.makeEvaluator(for: runs), space: data.space, observed: observed, weights: product, spec: options.objective)
            let u = data.space.toInternal(theta)
            var g1 = [Double](repeating: 0, count: theta.count), g2 = g1
            let f1 = try u.withUnsafeBufferPointer { x in try g1.withUnsafeMutableBufferPointer { try resample.makeNLoptObjective()(x, $0) } }
            _ = try u.withUnsafeBufferPointer { x in try g2.withUnsafeMutableBufferPointer { try reference.makeNLoptObjective()(x, $0) } }
            #expect(abs(f1 - expected) <= 1e-10 * expected, "\(unit) resample \(b): \(f1) vs sum m_i w_i rho(r_i) = \(expected)")
            for j in theta.indices {
                #expect(abs(g1[j] - g2[j]) <= 1e-9 * abs(g2[j]) + 1e-14, "\(unit) resample \(b), gradient \(j): \(g1[j]) vs \(g2[j])")
            }
        }
    }
}
