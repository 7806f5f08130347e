import LawfitCore

/// The checks of one kernel factory (see ``PluginConformance``).
public enum KernelConformance {
    /// Checks `factory` through its ``KernelFactory/example`` spec, parsed with `registry`.
    public static func check(_ factory: KernelFactory, registry: PluginRegistry) -> [ConformanceCheck] {
        let start = CheckList.parsingExample(of: factory, kind: "kernel", factoryType: "KernelFactory", entries: "kernels") {
            try KernelSpec.parse($0, registry: registry)
        }
        guard let kernel = start.entry else { return start.list.checks }
        var list = start.list
        list.check("spectrum finite, eigenvalues > 0, target powers >= 0") {
            guard kernel.modes >= 1 else { throw CheckFailure("\(kernel.spec) has \(kernel.modes) modes") }
            for j in ScheduleConformance.sampleSteps(kernel.modes - 1).map({ $0 + 1 }) where j <= kernel.modes {
                let lambda = kernel.eigenvalue(j), power = kernel.targetPower(j)
                guard lambda.isFinite, lambda > 0 else { throw CheckFailure("eigenvalue(\(j)) of \(kernel.spec) is \(lambda)") }
                guard power.isFinite, power >= 0 else { throw CheckFailure("targetPower(\(j)) of \(kernel.spec) is \(power)") }
            }
            return "modes 1 to \(kernel.modes) of \(kernel.spec)"
        }
        list.check("spec round-trips through the parser") {
            let again = try KernelSpec.parse(kernel.spec, registry: registry)
            guard again.spec == kernel.spec, again.modes == kernel.modes,
                (1...kernel.modes).allSatisfy({ again.eigenvalue($0) == kernel.eigenvalue($0) && again.targetPower($0) == kernel.targetPower($0) })
            else { throw CheckFailure("'\(kernel.spec)' parses back to '\(again.spec)' with a different spectrum") }
            return kernel.spec
        }
        return list.checks
    }
}
