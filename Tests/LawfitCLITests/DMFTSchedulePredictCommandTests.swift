import Foundation
import LawfitSimulation
import Testing
import TestSupport

/// `lawfit predict --law dmft-sgd` at a high learning rate with few features (issue 17), from the
/// command line: before the fix it computed -41256 at step 40 (refused as not positive, exit 1); now it
/// prints the typical loss of the simulated SGD, exit 0.
@Suite("dmft-sgd predict at high rate, few features")
struct DMFTSchedulePredictCommandTests {
    /// `lawfit predict --law LAW` at a = 2.2, b = 1.5, s = 1, E = 0, lrScale 1, N = 16, constant LR 0.3,
    /// step 40, and the median of 300 simulated draws (seeds 0..<300) at batch `batch`.
    static func predictedAndSimulated(law: String, batch: Int) throws -> (predicted: Double, median: Double) {
        let outcome = try LawfitProcess.run(
            ["predict", "--law", law, "--set", "a=2.2", "--set", "b=1.5", "--set", "s=1", "--set", "E=0",
             "--set", "lrScale=1", "--set", "features=16", "--at", "step=40", "--schedule", "constant(peak=0.3, total=100)"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let value = try #require(outcome.standardOutput.split(separator: "\n").last.flatMap { Double($0.split(separator: ",").last!) },
                                 "\(outcome.standardOutput)")
        let simulator = try RandomFeatureSGDSimulator(a: 2.2, b: 1.5, modes: 1000, features: 16, batchSize: batch)
        let rates = [0.0] + [Double](repeating: 0.3, count: 40)
        let sorted = try (0..<UInt64(300)).map { try simulator.expectedLosses(rates: rates, seed: $0)[40] }.sorted()
        let median = 0.5 * (sorted[149] + sorted[150])
        print("\(law) predict at LR 0.3, N = 16, step 40: \(value); median of 300 simulated draws \(median)")
        return (value, median)
    }

    /// a = 2.2, b = 1.5, M = 1000 modes, N = 16 features, B = 1, constant LR 0.3 (lrScale 1), step 40:
    /// the law prints 0.41258; the median of 300 simulated feature draws (`RandomFeatureSGDSimulator`,
    /// exact data expectation per draw, seeds 0..<300) is 0.411 (1000 draws: 0.4135), 0.4 % apart.
    /// The median of 300 draws carries about 2 % sampling error (interquartile range 40 % of the
    /// median), so the tolerance is 5 %. The mean over draws is not the target: 2 % of the draws
    /// diverge at this rate (DMFTScheduleSimulationTests).
    @Test("predict prints the typical simulated loss (exit 0)")
    func predictMatchesTheSimulatedMedian() throws {
        let (value, median) = try Self.predictedAndSimulated(law: "dmft-sgd(modes=1000)", batch: 1)
        #expect(abs(value / median - 1) <= 0.05, "\(value) vs \(median)")
    }

    /// The `batch` setting reaches the theory's B: the same point at batch 4 (SGD averages 4 samples
    /// per step, so less noise than at batch 1) against the median of 300 simulated draws at B = 4.
    @Test("dmft-sgd(batch=4) predicts the simulated batch-4 SGD")
    func batchSetting() throws {
        let (value, median) = try Self.predictedAndSimulated(law: "dmft-sgd(batch=4, modes=1000)", batch: 4)
        #expect(abs(value / median - 1) <= 0.05, "\(value) vs \(median)")
        // Batch 1 at the same point is 0.41258 (above): the batch must change the answer.
        #expect(abs(value - 0.41258) > 0.005)
    }
}
