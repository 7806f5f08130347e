import Foundation
import LawfitCore
import LawfitSimulation
import Testing
@testable import FunctionalScalingLaw

/// Law-spec settings of the FSL theory laws: `fsl-theory-scaling(batch=8, kernel=discrete)` through
/// the registry, names that read back, the limits, and the configured law against exact SGD.
@Suite("FSL theory law settings")
struct FSLTheorySettingsTests {
    func registry() throws -> PluginRegistry {
        let registry = PluginRegistry()
        try FunctionalScalingLawPlugin.register(into: registry)
        return registry
    }

    @Test("settings configure the law and its name reads back to the same law")
    func namesRoundTrip() throws {
        let registry = try registry()
        let scaling = try #require(try registry.law(named: "fsl-theory-scaling(batch=8, kernel=discrete, decay=0.2)") as? FSLTheoryScalingLaw)
        #expect(scaling.form == .discrete && scaling.defaultBatchSize == 8 && scaling.allocationDecay == 0.2)
        #expect(scaling.name == "fsl-theory-scaling-discrete(batch=8, decay=0.2)")
        let theory = try #require(try registry.law(named: "fsl-theory-discrete(kernel=continuum, modes=400)") as? FSLTheoryLaw)
        #expect(theory.form == .continuum && theory.modes == 400 && theory.name == "fsl-theory(modes=400)")
        #expect(try registry.law(named: "fsl-theory(kernel=continuum, batch=1)").name == "fsl-theory")
        #expect(try registry.law(named: "fsl-theorem(modes=5000, batch=4)").name == "fsl-theorem(modes=5000, batch=4)")
        for name in ["fsl-theory-scaling-discrete(batch=8, decay=0.2)", "fsl-theory(modes=400)", "fsl-theorem(modes=5000, batch=4)"] {
            #expect(try registry.law(named: name).name == name)
        }
        let spec = try registry.lawSpec("fsl-theory(batch=4, capacity=1.5, noise=0.1)")
        #expect(spec.law.name == "fsl-theory(batch=4)" && spec.values == ["capacity": 1.5, "noise": 0.1])
    }

    @Test("bad settings are input errors naming the setting")
    func badSettings() throws {
        let registry = try registry()
        let cases = [
            ("fsl-theory(batch=0)", "batch must be in 1 ... 1e9"), ("fsl-theory(kernel=exact)", "kernel must be continuum or discrete"),
            ("fsl-theory(modes=200001)", "modes must be in 1 ... 100000"), ("fsl-theory-scaling(decay=0.95)", "decay must be in 0 ... 0.9"),
            ("fsl-theory(width=3)", "unknown parameter 'width'"), ("fsl-theory(capacity=1.5)", "'capacity' is a fitted parameter"),
            ("fsl-theory(batch=4", "never closed"), ("fsl(batch=4)", "takes no settings"),
        ]
        for (spec, message) in cases {
            do {
                _ = try registry.law(named: spec)
                Issue.record("\(spec) was accepted")
            } catch let error as LawfitError {
                #expect(error.message.contains(message), "\(spec): \(error.message)")
            }
        }
    }

    @Test("fsl-theory-discrete(batch=4, modes=300) from its spec is exact SGD at B = 4")
    func configuredLawIsExactSGD() throws {
        let law = try registry().law(named: "fsl-theory-discrete(batch=4, modes=300)")
        let simulator = try SGDPowerLawSimulator(kernel: PowerLawKernel(capacity: 1.5, source: 0.5, modes: 300), noise: 0.09, batchSize: 4)
        let steps = [0, 1, 10, 300, 1500, 2999, 3000]
        for shape in SimulatorSchedule.shapes {
            let schedule = DenseSchedule(SimulatorSchedule(shape: shape, peak: 0.5))
            let exact = simulator.expectedLoss(schedule: schedule)
            let predicted = try law.makeEvaluator(for: [Run(name: shape, observations: steps.map { Observation(step: $0) }, schedule: schedule)])
                .predict([1.5, 0.5, 1, 0.09, 1])
            for (step, value) in zip(steps, predicted) {
                #expect(abs(value / exact[step] - 1) <= 1e-9, "\(shape) step \(step): \(value) vs \(exact[step])")
            }
        }
    }
}
