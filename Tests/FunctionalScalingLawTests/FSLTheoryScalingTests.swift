import Foundation
import LawfitCore
import LawfitSimulation
import TestSupport
import Testing
@testable import FunctionalScalingLaw

/// sum_{j > m} j^-p by brute force to 2e6 terms plus the integral of the rest (midpoint rule), an
/// evaluation independent of ``FSLScaledKernel/powerTail(from:exponent:)``.
private func bruteTail(after m: Int, exponent p: Double) -> Double {
    var sum = 0.0
    for j in stride(from: 2_000_000, to: m, by: -1) { sum += pow(Double(j), -p) }
    return sum + pow(2_000_000.5, 1 - p) / (p - 1)
}

private func run(_ name: String, size: Double, batch: Double?, schedule: DenseSchedule, steps: [Int]) -> Run {
    let observations = steps.map { step -> Observation in
        var observation = Observation(step: step)
        observation.parameters = size
        if let batch { observation.extra["batch"] = batch }
        return observation
    }
    return Run(name: name, observations: observations, schedule: schedule)
}

@Suite("FSL theory with model size and batch")
struct FSLTheoryScalingTests {
    @Test("the power tail matches zeta(2), zeta(4) and a brute-force sum")
    func powerTail() {
        #expect(abs(FSLScaledKernel.powerTail(from: 1, exponent: 2) / (Double.pi * Double.pi / 6) - 1) < 1e-14)
        #expect(abs(FSLScaledKernel.powerTail(from: 1, exponent: 4) / pow(Double.pi, 4) * 90 - 1) < 1e-14)
        let p = 1.75  // 1 + s beta at s = 0.5, beta = 1.5
        #expect(abs(FSLScaledKernel.powerTail(from: 301, exponent: p) / bruteTail(after: 300, exponent: p) - 1) < 1e-9)
    }

    /// A model of M = 300 features on a target with infinitely many: with Gaussian features the unlearned
    /// ones act as label noise, so the law equals the exact SGD simulator on 300 modes with noise
    /// sigma^2 + sum_{j > 300} A j^-(1 + s beta) (the tail summed by brute force).
    @Test("fsl-theory-scaling-discrete with N, m and a batch column equals exact SGD on the truncated model")
    func discreteMatchesSimulator() throws {
        let law = FSLTheoryScalingLaw(form: .discrete)
        let steps = [0, 10, 100, 1000, 2400, 3000]
        let tail = bruteTail(after: 300, exponent: 1.75)
        let simulator = try SGDPowerLawSimulator(kernel: PowerLawKernel(capacity: 1.5, source: 0.5, modes: 300), noise: 0.09 + tail, batchSize: 4)
        for shape in SimulatorSchedule.shapes {
            let exact = simulator.expectedLoss(schedule: DenseSchedule(SimulatorSchedule(shape: shape, peak: 0.5)))
            // N = 3e8 parameters at m = 1e-6 features per parameter: M = 300; lrScale 2 on half the rates.
            let halved = DenseSchedule(SimulatorSchedule(shape: shape, peak: 0.25))
            let predicted = try law.makeEvaluator(for: [run(shape, size: 3e8, batch: 4, schedule: halved, steps: steps)])
                .predict([1.5, 0.5, 1, 0.09, 2, 1e-6])
            for (i, step) in steps.enumerated() {
                #expect(abs(predicted[i] / exact[step] - 1) < 1e-9, "\(shape) step \(step)")
            }
        }
    }

    @Test("the loss is continuous in the model size across whole mode counts, and a run without a batch column uses B = 1")
    func continuousInModes() throws {
        let law = FSLTheoryScalingLaw()
        let schedule = DenseSchedule(SimulatorSchedule(shape: "cosine", peak: 0.2))
        let runs = [299.999999, 300, 300.000001, 300.5].map { run("m\($0)", size: $0, batch: nil, schedule: schedule, steps: [3000]) }
        let loss = try law.makeEvaluator(for: runs).predict([1.5, 0.5, 1, 0.09, 1, 1])
        #expect(abs(loss[0] / loss[1] - 1) < 1e-8 && abs(loss[2] / loss[1] - 1) < 1e-8, "\(loss)")
        // The half mode lies between the neighbouring whole counts.
        let whole = try law.makeEvaluator(for: [run("301", size: 301, batch: nil, schedule: schedule, steps: [3000])]).predict([1.5, 0.5, 1, 0.09, 1, 1])
        #expect((loss[3] - loss[1]) * (loss[3] - whole[0]) < 0, "\(loss[3]) between \(loss[1]) and \(whole[0])")
        // B = 1 without a column: the fixed-M law at 300 modes with noise + tail.
        let fixed = try FSLTheoryLaw(modes: 300, batchSize: 1).makeEvaluator(for: [Run(name: "f", observations: [Observation(step: 3000)], schedule: schedule)])
            .predict([1.5, 0.5, 1, 0.09 + FSLScaledKernel.powerTail(from: 301, exponent: 1.75), 1])
        #expect(abs(loss[1] / fixed[0] - 1) < 1e-10)
    }

    @Test("a run whose batch or model size changes, or a batch below 1, is an input error naming the column")
    func rejectsBadBatch() throws {
        let schedule = DenseSchedule(SimulatorSchedule(shape: "constant", peak: 0.1))
        var changing = run("r", size: 1e8, batch: 4, schedule: schedule, steps: [10, 20])
        changing.observations[1].extra["batch"] = 8
        var resized = run("r", size: 1e8, batch: nil, schedule: schedule, steps: [10, 20])
        resized.observations[1].parameters = 2e8
        for bad in [changing, resized, run("r", size: 1e8, batch: 0.5, schedule: schedule, steps: [10])] {
            #expect(throws: LawfitError.self) { try FSLTheoryScalingLaw().makeEvaluator(for: [bad]) }
        }
        do {
            _ = try FSLTheoryScalingLaw().makeEvaluator(for: [changing])
        } catch let error as LawfitError {
            #expect("\(error)".contains("batch"), "\(error)")
        }
    }
}
