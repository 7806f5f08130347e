import Foundation
@testable import LawfitCore
import TestSupport
import Testing
@testable import ScheduleLaws

/// The objective of a log longer than one prediction block (``predictionBlockSize`` points) is summed
/// block by block. Its truth is additivity: a sum over points split into pieces is the sum of the
/// pieces' sums. The pieces here are runs with the same schedule holding a third of the steps each
/// (an lr-annealing prediction depends on the step and the schedule only), each under one block.
@Suite("Objectives summed over several prediction blocks")
struct BlockwiseObjectiveTests {
    /// 10,240 observed steps of one WSD run (three blocks: 4,096, 4,096 and 2,048 points), losses
    /// from the law at `truth` times a deterministic ripple of +-0.3 %, so that residuals fall both
    /// inside and beyond the Huber threshold 1e-3.
    static let spec = "wsd(peak=1e-3, warmup=100, decay_start=7000, total=10240, floor=1e-5, shape=linear)"
    static let truth = [2.4, 0.6, 0.45, 50.0, 0.999]

    static func run(_ name: String, steps: [Int]) throws -> Run {
        var run = Run(name: name, observations: steps.map { Observation(step: $0) }, schedule: try denseSchedule(spec))
        let losses = try LRAnnealingLaw().makeEvaluator(for: [run]).predict(truth)
        for (i, step) in steps.enumerated() { run.observations[i].loss = losses[i] * (1 + 3e-3 * sin(Double(step) / 7)) }
        return run
    }

    /// Value and gradient of the default objective (Huber 1e-3 on log residuals) of lr-annealing on
    /// `runs` at natural parameters `theta`, in the law's optimiser coordinates.
    static func objective(_ runs: [Run], at theta: [Double]) throws -> (value: Double, gradient: [Double]) {
        let law = LRAnnealingLaw()
        let space = law.parameterSpace(adaptedTo: runs)
        let bound = try BoundObjective(
            evaluator: try law.makeEvaluator(for: runs), space: space, observed: try TrainingLog(runs: runs).requireLosses(), spec: ObjectiveSpec())
        let u = space.toInternal(theta)
        var gradient = [Double](repeating: 0, count: theta.count)
        let value = try u.withUnsafeBufferPointer { x in try gradient.withUnsafeMutableBufferPointer { try bound.makeNLoptObjective()(x, $0) } }
        return (value, gradient)
    }

    @Test("10,240 points in three blocks: value and gradient equal the sums over three runs of a third of the steps each (one block each)")
    func additivityAcrossBlocks() throws {
        let steps = Array(1...10_240)
        #expect(steps.count > 2 * predictionBlockSize)
        let whole = try Self.run("whole", steps: steps)
        // Every third step to each piece: each piece spans the whole log, under one block.
        let pieces = try (0..<3).map { r in try Self.run("piece\(r)", steps: steps.filter { $0 % 3 == r }) }
        #expect(pieces.allSatisfy { $0.observations.count < predictionBlockSize })
        let theta = [2.35, 0.65, 0.43, 40.0, 0.998]
        let all = try Self.objective([whole], at: theta)
        let parts = try pieces.map { try Self.objective([$0], at: theta) }
        let sum = parts.map(\.value).reduce(0, +)
        #expect(abs(all.value - sum) <= 1e-10 * abs(sum), "value \(all.value) vs the pieces' \(sum)")
        #expect(sum > 0)
        for j in theta.indices {
            let expected = parts.map { $0.gradient[j] }.reduce(0, +)
            // Rounding scales with the summed magnitudes, not with a sum that may cancel.
            let scale = parts.map { abs($0.gradient[j]) }.reduce(0, +)
            #expect(abs(all.gradient[j] - expected) <= 1e-10 * scale, "gradient \(j): \(all.gradient[j]) vs the pieces' \(expected)")
        }
    }
}
