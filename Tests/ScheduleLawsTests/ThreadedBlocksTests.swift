import Foundation
import LawfitCore
import Testing
import TestSupport
@testable import ScheduleLaws

/// Prediction blocks filled on several threads (``LawEvaluator/predictBlocks(_:jacobian:threads:_:)``)
/// must give the same bits as on one: the objective's sums see the same blocks in the same order.
@Suite("Blocks filled on several threads")
struct ThreadedBlocksTests {
    /// 9000 points at every step of a cosine from 3e-4 to 3e-5 (three blocks of 4096 points, the
    /// last partial), losses from multi-power at its 400M-like parameters times a wiggle.
    private static func runs() throws -> [Run] {
        let schedule = DenseSchedule(try CosineSchedule(peak: 3e-4, floor: 3e-5, warmup: 100, total: 9000))
        let p = [2.8, 0.45, 0.5, 400.0, 2.0, 0.6, 0.6]
        var runs = [Run(name: "cosine", observations: (1...9000).map { Observation(step: $0) }, schedule: schedule)]
        let clean = try MultiPowerLaw().makeEvaluator(for: runs).predict(p)
        for i in runs[0].observations.indices { runs[0].observations[i].loss = clean[i] * (1 + 0.001 * sin(Double(i))) }
        return runs
    }

    @Test("multi-power's blocks, predictions and Jacobian on 2 and 3 threads equal one thread's bit for bit")
    func multiPowerBlocks() throws {
        let evaluator = try MultiPowerLaw().makeEvaluator(for: try Self.runs())
        let p = [2.7, 0.5, 0.45, 350.0, 1.5, 0.7, 0.5]
        func collect(_ threads: Int) -> (ranges: [Range<Int>], values: [Double], jacobian: [Double]) {
            var ranges: [Range<Int>] = [], values: [Double] = [], jacobian: [Double] = []
            evaluator.predictBlocks(p, jacobian: true, threads: BlockThreads(threads)) { block in
                ranges.append(block.points)
                values += block.predictions
                jacobian += block.jacobian!
            }
            return (ranges, values, jacobian)
        }
        let one = collect(1)
        #expect(one.ranges == [0..<4096, 4096..<8192, 8192..<9000])
        for threads in [2, 3] {
            let many = collect(threads)
            #expect(many.ranges == one.ranges)
            #expect(many.values.map(\.bitPattern) == one.values.map(\.bitPattern))
            #expect(many.jacobian.map(\.bitPattern) == one.jacobian.map(\.bitPattern))
        }
        // And against the law's whole-array prediction.
        #expect(one.values.map(\.bitPattern) == evaluator.predict(p).map(\.bitPattern))
    }

    @Test("the Levenberg-Marquardt objective on 2 threads: the same value, gradient and curvature bits as on one")
    func objectiveBits() throws {
        let runs = try Self.runs()
        let law = MultiPowerLaw()
        let objective = try BoundObjective(
            evaluator: try law.makeEvaluator(for: runs), space: law.parameterSpace, observed: try TrainingLog(runs: runs).requireLosses(),
            spec: ObjectiveSpec())
        let u = law.parameterSpace.toInternal([2.7, 0.5, 0.45, 350.0, 1.5, 0.7, 0.5])
        func evaluate(_ threads: Int) throws -> [Double] {
            var gradient = [Double](repeating: 0, count: 7), curvature = [Double](repeating: 0, count: 49)
            let model = objective.makeModelObjective(threads: threads)
            let value = try u.withUnsafeBufferPointer { x in
                try gradient.withUnsafeMutableBufferPointer { g in try curvature.withUnsafeMutableBufferPointer { try model(x, g, $0) } }
            }
            return [value] + gradient + curvature
        }
        let one = try evaluate(1), two = try evaluate(2)
        #expect(one[0] > 0 && one.allSatisfy(\.isFinite))
        #expect(two.map(\.bitPattern) == one.map(\.bitPattern))
    }
}
