import Foundation
import LawfitCore
import Testing

/// A toy schedule law with a closed-form optimum: L = L0 + A / tau_t + B eta_t (progress against the
/// final rate's noise).
private struct ToyScheduleLaw: ScalingLaw {
    var name: String { "toy" }
    var summary: String { "L0 + A / tau + B eta (test law)" }
    var requiredInputs: Set<LawInput> { [.step, .schedule] }
    var parameterSpace: ParameterSpace {
        ParameterSpace([
            Parameter("L0", "floor", bounds: 0...10, starts: [1]),
            Parameter("A", "progress", bounds: 0...1e6, starts: [1]),
            Parameter("B", "noise", bounds: 0...1e6, starts: [1]),
        ])
    }
    func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        ToyEvaluator(points: runs.flatMap { run in
            run.observations.map { (run.schedule!.intrinsicTime[$0.step!], run.schedule!.rates[$0.step!]) }
        })
    }
}

private struct ToyEvaluator: LawEvaluator {
    let points: [(tau: Double, rate: Double)]
    var count: Int { points.count }
    var parameterCount: Int { 3 }
    var hasAnalyticGradient: Bool { false }
    func predict(_ p: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        predictions = points.map { p[0] + p[1] / $0.tau + p[2] * $0.rate }
    }
}

@Suite("Schedule optimiser")
struct ScheduleOptimizerTests {
    let registry: PluginRegistry = {
        let registry = PluginRegistry()
        try! BuiltinSchedules.register(into: registry)
        return registry
    }()

    @Test("cosine floor matches the closed-form optimum of the toy law")
    func cosineFloorClosedForm() throws {
        // Cosine without warmup: tau_T = F (T + 1) / 2 + P (T - 1) / 2 exactly, L = L0 + A / tau_T + B F,
        // so dL/dF = 0 at tau* = sqrt(A (T + 1) / (2 B)), F* = (2 tau* - P (T - 1)) / (T + 1).
        let (total, peak, a, b) = (1000, 0.1, 11.0, 1.0)
        let tauStar = (a * Double(total + 1) / (2 * b)).squareRoot()
        let floorStar = (2 * tauStar - peak * Double(total - 1)) / Double(total + 1)
        #expect(floorStar > 0.01 && floorStar < 0.09)
        let optimum = try ScheduleOptimizer.optimize(
            law: ToyScheduleLaw(), parameters: [1, a, b], family: .cosine, totalSteps: total, peak: peak, registry: registry)
        let floor = optimum.schedule.rate(at: total)
        #expect(abs(floor - floorStar) < 1e-4 * peak, "floor \(floor) vs closed form \(floorStar)")
        #expect(abs(optimum.predictedFinalLoss - (1 + a / tauStar + b * floorStar)) < 1e-9)
        #expect(optimum.evaluations > 2)
    }

    @Test("wsd and free-form results parse back, stay within [0, peak] and keep the warmup")
    func specsParseBack() throws {
        for family in [ScheduleFamily.wsd, .free] {
            let optimum = try ScheduleOptimizer.optimize(
                law: ToyScheduleLaw(), parameters: [1, 11, 1], family: family, totalSteps: 1000, peak: 0.1, warmup: 50,
                registry: registry)
            let parsed = try ScheduleSpec.parse(optimum.spec, registry: registry)
            #expect(parsed.totalSteps == 1000)
            #expect(abs(parsed.rate(at: 25) - 0.05) < 1e-12, "\(optimum.spec)")
            let rates = (50...1000).map { parsed.rate(at: $0) }
            #expect(rates.allSatisfy { $0 >= 0 && $0 <= 0.1 * (1 + 1e-12) })
            #expect(zip(rates, rates.dropFirst()).allSatisfy { $1 <= $0 + 1e-15 }, "\(optimum.spec) is not monotone")
            let run = Run(name: "check", observations: [Observation(step: 1000)], schedule: DenseSchedule(parsed))
            let predicted = try ToyScheduleLaw().makeEvaluator(for: [run]).predict([1, 11, 1])[0]
            #expect(abs(predicted - optimum.predictedFinalLoss) < 1e-12)
        }
    }

    @Test("rejects a wrong parameter count, a too short budget, a zero peak and an unknown family")
    func rejectsBadInput() throws {
        #expect(throws: LawfitError.self) {
            try ScheduleOptimizer.optimize(law: ToyScheduleLaw(), parameters: [1, 2], family: .wsd, totalSteps: 1000, peak: 0.1, registry: registry)
        }
        #expect(throws: LawfitError.self) {
            try ScheduleOptimizer.optimize(law: ToyScheduleLaw(), parameters: [1, 2, 3], family: .free, totalSteps: 20, peak: 0.1, registry: registry)
        }
        #expect(throws: LawfitError.self) {
            try ScheduleOptimizer.optimize(law: ToyScheduleLaw(), parameters: [1, 2, 3], family: .cosine, totalSteps: 1000, peak: 0, registry: registry)
        }
        #expect(throws: LawfitError.self) { try ScheduleFamily.named("triangle") }
    }
}
