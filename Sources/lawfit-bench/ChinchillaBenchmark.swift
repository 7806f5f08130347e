import ChinchillaLaw
import Foundation
import LawfitCore

/// Times Chinchilla fits on Epoch AI's digitised data (240 rows after dropping the 5 highest-loss
/// rows, Besiroglu et al. 2024): the full 4500-start grid with LD_LBFGS on the Huber(1e-3) sum of
/// log residuals, and variable projection (squared error, linear space) from the 25-point grid of
/// the exponents. Prints starts, seconds, objective, evaluations and evaluations per second.
func runChinchillaBenchmark() async throws {
    let runs = try epochRuns()
    let law = ChinchillaLaw()
    print("Chinchilla on Epoch AI's data: \(TrainingLog(runs: runs).count) rows, \(ProcessInfo.processInfo.activeProcessorCount) workers, \(ChinchillaLaw.kernelBuild) kernel")

    let kernelSeconds = try timeOneEvaluation(law, runs)
    var cpu = processorSeconds()
    let grid = try await LawFitter(law: law, options: FitOptions()).fit(runs)
    printFigures("4500-start grid, LD_LBFGS, huber(1e-3) on log residuals", grid, cpu: processorSeconds() - cpu)
    let workers = FitOptions().workers
    print("  the kernel alone over these \(grid.evaluations) evaluations on \(workers) workers: "
        + "\(String(format: "%.3f", kernelSeconds * Double(grid.evaluations) / Double(workers))) s wall at the least (issue 14's goal: 0.2 s)")
    let failures = Dictionary(grouping: grid.starts.filter { $0.objective == nil }, by: \.status).mapValues(\.count)
    for (status, count) in failures.sorted(by: { $0.value > $1.value }).prefix(5) { print("  failed starts: \(count) x \(status)") }

    cpu = processorSeconds()
    let projected = try await VariableProjectionFitter(law: law).fit(runs)
    printFigures("variable projection, 25 starts of (alpha, beta), squared error in linear space", projected, cpu: processorSeconds() - cpu)
    cpu = processorSeconds()
    let plainSquared = try await LawFitter(
        law: law, options: FitOptions(objective: ObjectiveSpec(loss: .squared, space: .linear))).fit(runs)
    printFigures("the same squared linear objective by the plain 4500-start grid (for comparison)", plainSquared, cpu: processorSeconds() - cpu)
}

/// Single-thread cost of one objective + gradient evaluation (the fit's inner loop) at Hoffmann et
/// al.'s parameters, and of the law's kernel alone within it, which it returns (CPU seconds a call).
private func timeOneEvaluation(_ law: ChinchillaLaw, _ runs: [Run]) throws -> Double {
    let objective = try BoundObjective(
        evaluator: try law.makeEvaluator(for: runs), space: law.parameterSpace,
        observed: try TrainingLog(runs: runs).requireLosses(), spec: ObjectiveSpec())
    let evaluate = objective.makeNLoptObjective()
    let u = law.parameterSpace.toInternal([406.40, 410.72, 1.6934, 0.33917, 0.28491])
    var gradient = [Double](repeating: 0, count: 5)
    let repetitions = 50_000
    let start = processorSeconds()
    var sink = 0.0
    for _ in 0..<repetitions {
        sink += try u.withUnsafeBufferPointer { ub in try gradient.withUnsafeMutableBufferPointer { try evaluate(ub, $0) } }
    }
    let perEvaluation = (processorSeconds() - start) / Double(repetitions)
    print("one objective + gradient evaluation (240 points, one thread): \(String(format: "%.2f", perEvaluation * 1e6)) µs CPU, \(String(format: "%.1f", perEvaluation * 1e9 / 240)) ns per point (objective \(sink / Double(repetitions)))")

    // The law's kernel alone (log Lhat and its Jacobian: two exp and one log a point), the part no
    // optimiser can skip: times the grid's evaluations, it is the floor of the 4500-start fit.
    let kernel = try law.makeEvaluator(for: runs).logLossEvaluator!
    var logLoss = [Double](repeating: 0, count: kernel.count)
    var jacobian = [Double](repeating: 0, count: kernel.count * 5)
    let kernelStart = processorSeconds()
    for _ in 0..<repetitions {
        u.withUnsafeBufferPointer { ub in
            logLoss.withUnsafeMutableBufferPointer { l in jacobian.withUnsafeMutableBufferPointer { kernel.predictLogLoss(internal: ub, into: l, jacobian: $0) } }
        }
    }
    let perKernel = (processorSeconds() - kernelStart) / Double(repetitions)
    print("the kernel alone (log Lhat and Jacobian, one thread): \(String(format: "%.2f", perKernel * 1e6)) µs CPU")
    return perKernel
}

private func printFigures(_ title: String, _ result: FitResult, cpu: Double) {
    let parameters = zip(result.parameterNames, result.values).map { "\($0)=\(String(format: "%.6g", $1))" }
    print("""
        \(title)
          starts \(result.starts.count) (\(result.startsInBestBasin) in the best basin), seconds \(String(format: "%.3f", result.seconds)), \
        objective \(String(format: "%.10g", result.objective)), evaluations \(result.evaluations), \
        evaluations/s \(String(format: "%.0f", Double(result.evaluations) / result.seconds)), \
        CPU seconds \(String(format: "%.3f", cpu))
          \(parameters.joined(separator: " "))
        """)
}

/// Epoch AI's 240 Chinchilla points: the digitised data less the 5 highest losses, D = C / (6N).
func epochRuns() throws -> [Run] {
    let url = try sharedFile("datasets/chinchilla-epoch/svg_extracted_data.csv")
    let reader = TrainingLogReader(
        mapping: ColumnMapping(parameters: "Model Size", compute: "Training FLOP"),
        required: [.loss, .parameters, .tokens], filters: [.dropHighestLoss(5)])
    return try reader.read(url).runs
}
