import Foundation
import LawfitCore
import Testing

/// Size limits of parsed specs (issue 9): a schedule or kernel too large to densify is an input error
/// at parse time, not an allocation failure that aborts the process later.
@Suite("Spec size limits")
struct GuardSpecLimitTests {
    static func registry() throws -> PluginRegistry {
        let registry = PluginRegistry()
        try BuiltinSchedules.register(into: registry)
        return registry
    }

    @Test("a schedule of more than 10^8 steps is refused, also when nested")
    func tooManySteps() throws {
        let registry = try Self.registry()
        let huge = "cosine(peak=3e-4, total=1e14)"
        let error = try #require(throws: LawfitError.self) { try ScheduleSpec.parse(huge, registry: registry) }
        #expect(error.kind == .input)
        #expect(error.message == "cosine: 100000000000000 steps is more than the 100000000 a schedule may have (spec '\(huge)')")
        let nested = "warmup(steps=10, schedule=linear(peak=1e-3, total=100000001))"
        let inner = try #require(throws: LawfitError.self) { try ScheduleSpec.parse(nested, registry: registry) }
        #expect(inner.message.hasPrefix("linear: 100000001 steps is more than the 100000000"))
    }

    @Test("a schedule of exactly 10^8 steps is accepted and evaluated analytically")
    func limitIsInclusive() throws {
        let schedule = try ScheduleSpec.parse("linear(peak=1e-3, floor=0, total=1e8)", registry: try Self.registry())
        #expect(schedule.totalSteps == ScheduleSpec.maximumSteps)
        #expect(schedule.rate(at: 50_000_000) == 5e-4)
    }

    @Test("a kernel of more than 10^7 modes is refused")
    func tooManyModes() throws {
        let registry = try Self.registry()
        let error = try #require(throws: LawfitError.self) { try KernelSpec.parse("powerlaw(modes=1e14)", registry: registry) }
        #expect(error.kind == .input)
        #expect(error.message == "powerlaw: 100000000000000 modes is more than the 10000000 a kernel may have (spec 'powerlaw(modes=1e14)')")
        #expect(try KernelSpec.parse("powerlaw(modes=1e7)", registry: registry).modes == 10_000_000)
    }
}
