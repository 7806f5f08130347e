import Foundation
import LawfitCore
import LossCurveSupport
import TestSupport
import Testing
@testable import FunctionalScalingLaw

/// fsl predicts in blocks (so a long log's fit never holds its whole Jacobian). Here blocks of 5
/// points cross the boundary between two runs of different schedules.
@Suite("FSL blocks")
struct FSLBlockTests {
    @Test("fsl in blocks of 5 over two runs (their boundary inside a block) equals the direct O(K^2) double sum of LAWS.md Sec. 1 to 1e-12, on one thread or three")
    func blocksMatchDirectSum() throws {
        // L0, c1, s, c2 c3, c2, c4, gamma
        let p = [2.0, 0.6, 0.5, 500.0, 20.0, 3.0, 1.7]
        let every = Array(stride(from: 1, through: 300, by: 7))
        let runs = [shortRun(), Run(name: "every7", observations: every.map { Observation(step: $0) }, schedule: DenseSchedule(ShortSchedule()))]
        let evaluator = FSLSurrogateEvaluator(data: try ScheduledPoints(law: FSLSurrogateLaw(compression: nil), runs: runs), blockSize: 5)
        var ranges: [Range<Int>] = [], values: [Double] = []
        evaluator.predictBlocks(p, jacobian: false) { block in
            ranges.append(block.points)
            values += block.predictions
        }
        let total = shortSteps.count + every.count
        #expect(ranges.count == (total + 4) / 5 && ranges.last?.upperBound == total)
        let eta = DenseSchedule(ShortSchedule()).rates
        var worst = 0.0
        for (n, k) in (shortSteps + every).enumerated() {
            let error = abs(values[n] / fslByDirectSum(p, rates: eta, step: k) - 1)
            if !(error <= worst) { worst = error }
        }
        #expect(worst <= 1e-12, "worst relative deviation \(worst)")
        // The Jacobian rows handed over block by block: against central differences.
        #expect(jacobianError(evaluator, at: p) < 1e-6)
        // Blocks filled on 3 threads: the same blocks, in order, with the same bits.
        var threadedRanges: [Range<Int>] = [], threaded: [Double] = []
        evaluator.predictBlocks(p, jacobian: true, threads: 3) { block in
            threadedRanges.append(block.points)
            threaded += Array(block.predictions) + Array(block.jacobian!)
        }
        var single: [Double] = []
        evaluator.predictBlocks(p, jacobian: true) { single += Array($0.predictions) + Array($0.jacobian!) }
        #expect(threadedRanges == ranges && threaded.map(\.bitPattern) == single.map(\.bitPattern))
    }
}
