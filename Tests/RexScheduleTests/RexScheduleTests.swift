import Foundation
import LawfitCore
import RexSchedule
import Testing

/// The compiled plugin: REX registered into a registry and used through a spec string.
@Suite struct RexScheduleTests {
    /// REX by hand (Chen et al. 2022, Eq. 1): z = 1 - t/T, eta = eta0 z / (1/2 + z/2).
    @Test func handComputedRates() throws {
        let rex = try RexSchedule(peak: 3e-4, total: 1000)
        #expect(rex.rate(at: 0) == 3e-4)
        #expect(abs(rex.rate(at: 250) - 3e-4 * 0.75 / 0.875) <= 1e-19)  // 2.571428...e-4
        #expect(abs(rex.rate(at: 500) - 2e-4) <= 1e-19)  // 3e-4 * 0.5 / 0.75
        #expect(rex.rate(at: 1000) == 0)
        #expect(rex.rate(at: 5000) == 0)
    }

    @Test func registeredAndParsedFromSpec() throws {
        let registry = PluginRegistry()
        try BuiltinSchedules.register(into: registry)
        try RexSchedulePlugin.register(into: registry)
        let parsed = try ScheduleSpec.parse("rex(peak=3e-4, total=1000)", registry: registry)
        #expect(abs(parsed.rate(at: 500) - 2e-4) <= 1e-19)
        #expect(parsed.spec == "rex(peak=0.0003, total=1000)")
        let again = try ScheduleSpec.parse(parsed.spec, registry: registry)
        #expect(DenseSchedule(again).rates == DenseSchedule(parsed).rates)
        // A user schedule composes with the built-in warmup wrapper.
        let warm = try ScheduleSpec.parse("warmup(steps=100, schedule=rex(peak=3e-4, total=1000))", registry: registry)
        #expect(abs(warm.rate(at: 50) - 0.5 * parsed.rate(at: 100)) <= 1e-19)
        #expect(warm.rate(at: 500) == parsed.rate(at: 500))
    }

    @Test func missingParameterNamesIt() throws {
        let registry = PluginRegistry()
        try RexSchedulePlugin.register(into: registry)
        let error = try #require(throws: LawfitError.self) { try ScheduleSpec.parse("rex(peak=3e-4)", registry: registry) }
        #expect(error.message == "rex: missing parameter 'total'; it accepts peak, total")
    }

    @Test func registeringTwiceIsAClash() throws {
        let registry = PluginRegistry()
        try RexSchedulePlugin.register(into: registry)
        let error = try #require(throws: LawfitError.self) { try RexSchedulePlugin.register(into: registry) }
        #expect(error.message == "the schedule 'rex' from built-in clashes with the schedule of that name from built-in; names must be unique")
    }
}
