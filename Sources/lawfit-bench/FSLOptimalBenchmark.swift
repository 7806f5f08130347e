import BuiltinPlugins
import Foundation
import LawfitCore

/// `lawfit-bench fsl-optimal`: the compute-optimal allocation of `fsl-theory-scaling` (issue 17: at most
/// 1 s per budget), wall and CPU time per budget from C = 1e9 to 1e24 FLOP, for a constant rate at
/// batch 1 and for a WSD (decay over the last 20 %) at batch 8.
func runFSLOptimalBenchmark() throws {
    let registry = try BuiltinPlugins.makeRegistry()
    for spec in ["fsl-theory-scaling", "fsl-theory-scaling(batch=8, decay=0.2)"] {
        guard let law = try registry.law(named: spec).computeOptimal else {
            throw LawfitError.input("\(spec) is not a compute-optimal law")
        }
        try benchmarkAllocation(law)
    }
}

private func benchmarkAllocation(_ law: any ComputeOptimalLaw) throws {
    // capacity 1.5, source 0.5, amplitude 1, noise 0.1, lrScale 1000, modeScale 1e-6 (an LLM-like map).
    let parameters = [1.5, 0.5, 1, 0.1, 1000, 1e-6]
    print("\(law.name) allocation (target <= 1 s per budget)")
    print("C (FLOP)    wall (s)   CPU (s)    N*          D*          L*")
    for exponent in stride(from: 9, through: 24, by: 3) {
        let compute = pow(10, Double(exponent))
        var optimum: ComputeOptimum?
        let cpu = processorSeconds()
        let wall = try seconds { optimum = try law.computeOptimum(parameters: parameters, compute: compute) }
        let used = processorSeconds() - cpu
        guard let optimum else { continue }
        print(String(format: "%-11.0e %-10.4f %-10.4f %-11.4g %-11.4g %.6f", compute, wall, used, optimum.parameters, optimum.tokens, optimum.loss))
    }
}
