import BuiltinPlugins
import Foundation
import LawfitCore
import LawfitPluginTesting
import RexSchedule
import Testing

/// `lawfit plugins --check` and LawfitPluginTesting: good entries pass every check, and each kind
/// of mistake fails the check meant for it.
@Suite struct PluginConformanceTests {
    static func registry(_ register: (PluginRegistry) throws -> Void) throws -> PluginRegistry {
        let registry = PluginRegistry()
        try BuiltinSchedules.register(into: registry)
        try register(registry)
        return registry
    }

    static func failures(_ checks: [ConformanceCheck]) -> [String] { checks.filter { !$0.passed }.map(\.property) }

    @Test func rexPassesEveryCheck() throws {
        let registry = try Self.registry { try RexSchedulePlugin.register(into: $0) }
        let checks = PluginConformance.check(registry, origin: "built-in").filter { $0.subject == "schedule rex" }
        #expect(checks.map(\.property) == [
            "example spec parses", "rates finite and >= 0", "spec round-trips through the parser",
            "non-finite parameter values rejected", "accepted values give valid rates",
        ])
        #expect(checks.allSatisfy { $0.passed }, "\(checks)")
        #expect(checks[1].description == "ok   schedule rex: rates finite and >= 0 (68 steps of rex(peak=0.0003, total=24000), from 0 to 24001)")
    }

    /// A schedule whose rate goes negative past a point, and whose spec says one step more.
    struct Faulty: LearningRateSchedule {
        var peak: Double
        var totalSteps: Int
        func rate(at step: Int) -> Double { peak * (0.75 - Double(step) / Double(totalSteps)) }
        var spec: String { "faulty(peak=\(peak), total=\(totalSteps + 1))" }
    }

    static let faulty = ScheduleFactory(
        name: "faulty", summary: "", parameters: [SpecParameter("peak", ""), SpecParameter("total", "")],
        example: "faulty(peak=0.1, total=100)"
    ) { arguments in Faulty(peak: try arguments.number("peak"), totalSteps: try arguments.integer("total")) }

    @Test func faultyScheduleFailsTheChecksForItsFaults() throws {
        let checks = ScheduleConformance.check(Self.faulty, registry: try Self.registry { try $0.register(schedule: Self.faulty) })
        #expect(Self.failures(checks) == [
            "rates finite and >= 0", "spec round-trips through the parser", "non-finite parameter values rejected", "accepted values give valid rates",
        ])
        // 0.1 * (0.75 - 76/100) = -0.001 at step 76 = floor(100 * 49/64), the first sample past 3/4.
        #expect(checks[1].detail == "rate(at: 76) of faulty(peak=0.1, total=101) is -0.0010000000000000009")
        #expect(checks[2].detail == "'faulty(peak=0.1, total=101)' parses to a schedule whose spec is 'faulty(peak=0.1, total=102)'")
        #expect(checks[3].detail.hasPrefix("peak=nan is accepted"))
    }

    @Test func factoryWithoutExampleCannotBeChecked() throws {
        let bare = ScheduleFactory(name: "bare", summary: "", parameters: []) { _ in try ConstantSchedule(peak: 1, total: 1) }
        let checks = ScheduleConformance.check(bare, registry: PluginRegistry())
        #expect(checks.count == 1 && !checks[0].passed && checks[0].property == "example spec")
    }

    @Test func powerLawKernelPassesAndANegativeSpectrumFails() throws {
        let registry = try Self.registry { _ in }
        var powerlaw = try registry.kernel(named: "powerlaw")
        powerlaw.example = "powerlaw(capacity=1.5, source=0.5, modes=400)"
        let good = KernelConformance.check(powerlaw, registry: registry)
        #expect(good.map(\.property) == ["example spec parses", "spectrum finite, eigenvalues > 0, target powers >= 0", "spec round-trips through the parser"])
        #expect(good.allSatisfy { $0.passed }, "\(good)")

        struct Flipped: SpectralKernel {
            var modes: Int { 10 }
            func eigenvalue(_ j: Int) -> Double { j == 7 ? -1 : 1 / Double(j) }
            func targetPower(_ j: Int) -> Double { 1 / Double(j * j) }
            var spec: String { "flipped()" }
        }
        let flipped = KernelFactory(name: "flipped", summary: "", parameters: [], example: "flipped()") { _ in Flipped() }
        try registry.register(kernel: flipped)
        let bad = KernelConformance.check(flipped, registry: registry)
        #expect(Self.failures(bad) == ["spectrum finite, eigenvalues > 0, target powers >= 0"])
        #expect(bad[1].detail == "eigenvalue(7) of flipped() is -1.0")
    }

    /// L = E + A N^-alpha with an analytic Jacobian, optionally wrong by `jacobianError` in dL/dA.
    struct PowerLaw: ScalingLaw {
        var jacobianError = 0.0
        var name: String { "test-power" }
        var summary: String { "E + A N^-alpha" }
        var parameterSpace: ParameterSpace {
            ParameterSpace([
                Parameter("E", "floor", bounds: 0.1...5, transform: .log, starts: [1, 2]),
                Parameter("A", "scale", bounds: 1...1e4, transform: .log, starts: [100]),
                Parameter("alpha", "exponent", bounds: 0.05...1, starts: [0.3]),
            ])
        }
        var requiredInputs: Set<LawInput> { [.parameters] }
        func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
            Evaluator(logN: runs.flatMap(\.observations).map { log($0.parameters ?? .nan) }, jacobianError: jacobianError)
        }

        struct Evaluator: LawEvaluator {
            var logN: [Double]
            var jacobianError: Double
            var count: Int { logN.count }
            var parameterCount: Int { 3 }
            var hasAnalyticGradient: Bool { true }
            func predict(_ theta: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
                predictions = logN.map { theta[0] + theta[1] * exp(-theta[2] * $0) }
                if jacobian != nil {
                    jacobian = logN.flatMap { x -> [Double] in
                        let power = exp(-theta[2] * x)
                        return [1, power * (1 + jacobianError), -theta[1] * x * power]
                    }
                }
            }
        }
    }

    @Test func correctLawPassesEveryCheck() {
        let checks = LawConformance.check(PowerLaw())
        #expect(checks.map(\.property) == [
            "parameters: unique names, ordered bounds, starts inside", "declared inputs suffice",
            "predictions finite over the parameter box", "analytic Jacobian matches central differences",
        ])
        #expect(checks.allSatisfy { $0.passed }, "\(checks)")
    }

    @Test func wrongJacobianFailsItsCheckNamingTheParameter() {
        let checks = LawConformance.check(PowerLaw(jacobianError: 1e-3))
        #expect(Self.failures(checks) == ["analytic Jacobian matches central differences"])
        #expect(checks.last?.detail.hasPrefix("d prediction 0 / d A is ") == true)
    }

    /// Laws that ship with Lawfit pass (the fast ones; DMFT's exact solver takes seconds per point).
    @Test(arguments: ["chinchilla", "kaplan", "data-constrained", "multi-power", "lr-annealing", "bnsl-1", "fsl", "two-phase", "sparse-feature"])
    func builtinLawPasses(name: String) throws {
        let law = try BuiltinPlugins.makeRegistry().law(named: name)
        let checks = LawConformance.check(law)
        #expect(checks.count == 4 && checks.allSatisfy { $0.passed }, "\(checks.filter { !$0.passed })")
    }
}
