import Foundation
import LawfitCore
import Testing

/// The built-in schedules' rates, spec strings and error messages, pinned bit for bit as they were
/// at a0b08c4, before the schedules shared one warmup structure (``WarmupRamp``) and one
/// warmup-then-decay type (``WarmupDecaySchedule``): a refactoring that moves a rounding, reorders
/// a check or rewords a message fails here. The digest is FNV-1a over the bit patterns of
/// `rate(at:)` at every step from -1 to total + 1.
@Suite struct ScheduleBitsTests {
    /// (spec given, spec printed, digest of the rates).
    static let pinned: [(String, String, UInt64)] = [
        ("constant(peak=0.0003, warmup=100, total=1000)", "constant(peak=0.0003, warmup=100, total=1000)", 0x7f1c8d29e4763a83),
        ("constant(peak=0.0003, warmup=0, warmup_from=0, total=1000)", "constant(peak=0.0003, warmup=0, total=1000)", 0xa8a0016eaa02333c),
        ("cosine(peak=0.0003, floor=3e-05, warmup=216, total=2400)", "cosine(peak=0.0003, floor=3e-05, warmup=216, total=2400)", 0x8b16a09bd9c7861d),
        ("cosine(peak=0.0003, floor=0, warmup=0, total=2400)", "cosine(peak=0.0003, floor=0, warmup=0, total=2400)", 0x5a0181d7f83c9bca),
        ("cosine(peak=0.0003, floor=3e-05, warmup=216, warmup_from=3e-06, warmup_shape=cosine, total=2400)", "cosine(peak=0.0003, floor=3e-05, warmup=216, warmup_from=3e-06, warmup_shape=cosine, total=2400)", 0xe53edb6d3c7601aa),
        ("linear(peak=0.0003, floor=1e-05, warmup=216, total=2400)", "linear(peak=0.0003, floor=1e-05, warmup=216, total=2400)", 0x23db73de3787861),
        ("linear(peak=0.0007, warmup=5, warmup_from=1e-05, total=977)", "linear(peak=0.0007, floor=0, warmup=5, warmup_from=1e-05, total=977)", 0xaf1fefa29a6309af),
        ("exponential(peak=0.0003, floor=3e-05, warmup=100, total=2400)", "exponential(peak=0.0003, floor=3e-05, warmup=100, total=2400)", 0x73a06e7eb46faabe),
        ("exponential(peak=0.1, floor=0.0001, total=999)", "exponential(peak=0.1, floor=0.0001, warmup=0, total=999)", 0x62b27735957861e),
        ("step(peak=0.1, factor=0.3, every=300, warmup=50, total=2000)", "step(peak=0.1, factor=0.3, every=300, warmup=50, total=2000)", 0xc5680f94a517e320),
        ("multistep(300, 900, 1500, peak=0.1, factor=0.5, warmup=20, warmup_shape=cosine, total=2000)", "multistep(300, 900, 1500, peak=0.1, factor=0.5, warmup=20, warmup_shape=cosine, total=2000)", 0xc9231f35764de5f1),
        ("invsqrt(peak=0.001, warmup=400, total=10000)", "invsqrt(peak=0.001, warmup=400, total=10000)", 0x531be397404468e7),
        ("wsd(peak=0.0003, warmup=216, decay_start=2000, total=2400, floor=3e-05, shape=geometric)", "wsd(peak=0.0003, warmup=216, decay_start=2000, total=2400, floor=3e-05, shape=geometric)", 0xfef7d796c3b25bf1),
        ("wsd(peak=0.0003, warmup=216, decay_fraction=0.2, total=2400, floor=0, shape=1-sqrt)", "wsd(peak=0.0003, warmup=216, decay_fraction=0.2, total=2400, floor=0, shape=1-sqrt)", 0x58d2cb35c88110d6),
        ("wsd(peak=0.0003, warmup=216, decay_start=216, total=2400, floor=1e-06, shape=cosine)", "wsd(peak=0.0003, warmup=216, decay_start=216, total=2400, floor=1e-06, shape=cosine)", 0x2f6910858a26f9bb),
        ("twostage(peak=0.0003, low=9e-05, switch=800, warmup=216, total=1600)", "twostage(peak=0.0003, low=9e-05, switch=800, warmup=216, total=1600)", 0x2073576ea51d47ac),
    ]

    /// (spec, the error it gets): with several bad parameters, the first checked is named.
    static let rejected: [(String, String)] = [
        ("cosine(peak=0.0003, floor=0.001, total=0)", "cosine: 'floor' (0.001) must not exceed 'peak' (0.0003)"),
        ("cosine(peak=0.0003, floor=-1, warmup=5000, total=2400)", "cosine: parameter 'floor' must be finite and >= 0, got -1"),
        ("cosine(peak=0.0003, warmup=2400, total=2400)", "cosine: parameter 'warmup' must lie in 0...2399, got 2400"),
        ("linear(peak=0, floor=0, total=2400)", "linear: parameter 'peak' must be finite and > 0, got 0"),
        ("linear(peak=0.0003, floor=0.0004, total=2400)", "linear: 'floor' (0.0004) must not exceed 'peak' (0.0003)"),
        ("exponential(peak=0.0003, floor=0, total=2400)", "exponential: parameter 'floor' must be finite and > 0, got 0"),
        ("exponential(peak=0.0003, total=2400)", "exponential: missing parameter 'floor'; it accepts peak, floor, warmup, total, warmup_from, warmup_shape"),
        ("exponential(peak=0.0003, floor=1e-05, warmup=0, warmup_from=1e-06, total=2400)", "exponential: parameter 'warmup_from' needs a warmup (warmup > 0)"),
        ("constant(peak=0.0003, warmup=1001, total=1000)", "constant: parameter 'warmup' must lie in 0...1000, got 1001"),
        ("constant(peak=0.0003, warmup=10, warmup_from=-1, total=0)", "constant: parameter 'total' must lie in 1...9223372036854775807, got 0"),
        ("invsqrt(peak=0.001, warmup=0, total=100)", "invsqrt: parameter 'warmup' must lie in 1...100, got 0"),
        ("step(peak=0.1, factor=0, every=0, total=0)", "step: parameter 'factor' must be finite and > 0, got 0"),
        ("step(peak=0.1, every=0, total=100)", "step: parameter 'every' must lie in 1...9223372036854775807, got 0"),
        ("multistep(50, 40, peak=0.1, warmup=10, warmup_from=-1, total=100)", "multistep: milestones must increase, got 50 then 40"),
        ("multistep(5, peak=0.1, warmup=10, total=100)", "multistep: parameter 'milestone 1' must lie in 10...100, got 5"),
        ("multistep(peak=0.1, total=100)", "multistep: give at least one milestone step, e.g. multistep(30000, 60000, peak=0.1, total=90000)"),
        ("wsd(peak=0.0003, warmup=216, decay_start=100, total=2400, warmup_from=-1)", "wsd: parameter 'decay_start' must lie in 216...2399, got 100"),
        ("wsd(peak=0.0003, warmup=216, decay_fraction=1.5, total=2400)", "wsd: parameter 'decay_fraction' must lie in (0, 1], got 1.5"),
        ("wsd(peak=0.0003, warmup=216, decay_fraction=0.2, total=2400, floor=0, shape=geometric)", "wsd: parameter 'floor' must be finite and > 0, got 0"),
        ("wsd(peak=0.0003, floor=0.1, warmup=216, decay_start=300, total=0)", "wsd: 'floor' (0.1) must not exceed 'peak' (0.0003)"),
        ("twostage(peak=0.0003, low=0, switch=0, total=0)", "twostage: parameter 'low' must be finite and > 0, got 0"),
        ("twostage(peak=0.0003, low=1e-05, switch=0, warmup=10, warmup_from=-1, total=100)", "twostage: parameter 'switch' must lie in 10...100, got 0"),
    ]

    static func digest(_ schedule: any LearningRateSchedule) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for step in -1...(schedule.totalSteps + 1) {
            var bits = schedule.rate(at: step).bitPattern
            for _ in 0..<8 {
                hash = (hash ^ (bits & 0xFF)) &* 0x100_0000_01B3
                bits >>= 8
            }
        }
        return hash
    }

    static func registry() throws -> PluginRegistry {
        let registry = PluginRegistry()
        try BuiltinSchedules.register(into: registry)
        return registry
    }

    @Test(arguments: pinned.indices) func ratesAndSpec(_ index: Int) throws {
        let (given, printed, digest) = Self.pinned[index]
        let schedule = try ScheduleSpec.parse(given, registry: Self.registry())
        #expect(schedule.spec == printed)
        #expect(Self.digest(schedule) == digest, "rates of \(given)")
        #expect(Self.digest(try ScheduleSpec.parse(printed, registry: Self.registry())) == digest)
    }

    @Test(arguments: rejected.indices) func errorMessage(_ index: Int) throws {
        let (spec, message) = Self.rejected[index]
        #expect(throws: (any Error).self) { try ScheduleSpec.parse(spec, registry: Self.registry()) }
        do { _ = try ScheduleSpec.parse(spec, registry: Self.registry()) } catch {
            #expect(String(describing: error) == message)
        }
    }
}
