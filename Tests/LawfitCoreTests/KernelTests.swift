import Foundation
import LawfitCore
import Testing

/// The power-law kernel (Li et al. 2025, FSL, Sec. 4): lambda_j = j^-beta,
/// lambda_j theta*_j^2 = scale * j^-(1 + s beta).
@Suite struct KernelTests {
    static let registry: PluginRegistry = {
        let registry = PluginRegistry()
        try! BuiltinSchedules.register(into: registry)
        return registry
    }()

    @Test func defaultsAndHandComputedValues() throws {
        let k = try KernelSpec.parse("powerlaw()", registry: Self.registry)
        #expect(k.modes == 400)
        #expect(k.eigenvalue(1) == 1)
        #expect(k.eigenvalue(4) == 0.125)  // 4^-1.5
        #expect(abs(k.targetPower(4) - 0.08838834764831845) <= 1e-17)  // 4^-1.75 = 2^-3.5
        #expect(k.eigenvalues.count == 400)
        #expect(k.spec == "powerlaw(capacity=1.5, source=0.5, modes=400, scale=1)")
    }

    @Test func parametersAndScale() throws {
        let k = try KernelSpec.parse("powerlaw(capacity=2, source=0.25, modes=10, scale=3)", registry: Self.registry)
        #expect(k.eigenvalue(3) == 1.0 / 9)
        #expect(abs(k.targetPower(2) - 3 * pow(2, -1.5)) <= 1e-16)  // 3 * 2^-(1 + 0.5)
        // The initial risk sum_j lambda_j theta_j^2 for M = 10 modes, summed by hand.
        let risk = (1...10).reduce(0.0) { $0 + 3 * pow(Double($1), -1.5) }
        #expect(abs(k.targetPowers.reduce(0, +) - risk) <= 1e-14)
        let again = try KernelSpec.parse(k.spec, registry: Self.registry)
        #expect(again.eigenvalues == k.eigenvalues && again.targetPowers == k.targetPowers)
    }

    @Test func badKernelSpecs() throws {
        let cases: [(String, String)] = [
            ("powerlaw(capacity=0.5)", "powerlaw: parameter 'capacity' must be finite and > 1, got 0.5"),
            ("powerlaw(modes=0)", "powerlaw: parameter 'modes' must lie in 1...\(Int.max), got 0"),
            ("powerlaw(beta=2)", "powerlaw: unknown parameter 'beta' at character 10 of spec 'powerlaw(beta=2)'; it accepts capacity, source, modes, scale"),
            ("gaussian(width=1)", "unknown kernel 'gaussian'; known kernels: powerlaw"),
        ]
        for (spec, message) in cases {
            let error = try #require(throws: LawfitError.self, "\(spec)") { try KernelSpec.parse(spec, registry: Self.registry) }
            #expect(error.message == message)
        }
    }
}
