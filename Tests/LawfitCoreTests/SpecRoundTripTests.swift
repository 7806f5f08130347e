import Foundation
import LawfitCore
import Testing

/// Every built-in schedule prints a spec that parses back to identical rates, for random parameters.
@Suite struct SpecRoundTripTests {
    /// SplitMix64: a fixed-seed generator so the random parameters are the same on every run.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A random spec of each built-in schedule (parameters that are valid by construction).
    static func randomSpecs(_ g: inout SplitMix64) -> [String] {
        let total = Int.random(in: 50...3000, using: &g)
        let warmup = Int.random(in: 0...(total / 4), using: &g)
        let peak = Double.random(in: 1e-5...1e-2, using: &g)
        let floor = peak * Double.random(in: 0.001...0.9, using: &g)
        let start = Int.random(in: warmup...(total - 1), using: &g)
        let shape = ["linear", "cosine", "geometric", "1-sqrt"].randomElement(using: &g)!
        let m1 = Int.random(in: warmup...(total - 1), using: &g)
        let m2 = Int.random(in: (m1 + 1)...total, using: &g)
        let cut = Int.random(in: 1...total, using: &g)
        let warmupShape = ["linear", "cosine"].randomElement(using: &g)!
        return [
            "constant(peak=\(peak), warmup=\(warmup), total=\(total))",
            "cosine(peak=\(peak), floor=\(floor), warmup=\(warmup), total=\(total))",
            "linear(peak=\(peak), floor=\(floor), warmup=\(warmup), total=\(total))",
            "exponential(peak=\(peak), floor=\(floor), warmup=\(warmup), total=\(total))",
            "step(peak=\(peak), factor=\(Double.random(in: 0.1...0.9, using: &g)), every=\(Int.random(in: 1...total, using: &g)), warmup=\(warmup), total=\(total))",
            "multistep(\(m1), \(m2), peak=\(peak), factor=\(Double.random(in: 0.1...0.9, using: &g)), warmup=\(warmup), total=\(total))",
            "invsqrt(peak=\(peak), warmup=\(max(warmup, 1)), total=\(total))",
            "wsd(peak=\(peak), warmup=\(warmup), decay_start=\(start), total=\(total), floor=\(floor), shape=\(shape))",
            "wsd(peak=\(peak), decay_fraction=\(Double.random(in: 0.05...0.5, using: &g)), total=\(total), floor=\(floor), shape=\(shape))",
            "twostage(peak=\(peak), low=\(floor), switch=\(max(cut, warmup, 1)), warmup=\(warmup), total=\(total))",
            "piecewise(0:\(peak), \(cut):\(floor), end=\(total))",
            "table(0:\(peak), \(cut):\(floor), end=\(total + 7))",
            "warmup(steps=\(max(warmup, 1)), schedule=cosine(peak=\(peak), floor=\(floor), total=\(total)))",
            "warmup(steps=\(max(warmup, 1)), from=\(floor), shape=\(warmupShape), schedule=constant(peak=\(peak), total=\(total)))",
            "cosine(peak=\(peak), floor=\(floor), warmup=\(max(warmup, 1)), warmup_from=\(floor), warmup_shape=\(warmupShape), total=\(total))",
            "wsd(peak=\(peak), warmup=\(max(warmup, 1)), warmup_from=\(peak / 100), decay_start=\(max(start, warmup, 1)), total=\(total), floor=\(floor), shape=\(shape))",
            "fork(at=\(min(cut, total - 1)), parent=constant(peak=\(peak), warmup=\(warmup), total=\(total)), schedule=linear(peak=\(peak), floor=\(floor), total=\(total)))",
        ]
    }

    @Test func randomSpecsRoundTrip() throws {
        let registry = PluginRegistry()
        try BuiltinSchedules.register(into: registry)
        var g = SplitMix64(state: 20250101)
        var names = Set<String>()
        for _ in 0..<15 {
            for text in Self.randomSpecs(&g) {
                let schedule = try ScheduleSpec.parse(text, registry: registry)
                let again = try ScheduleSpec.parse(schedule.spec, registry: registry)
                #expect(again.spec == schedule.spec, "\(text)")
                #expect(again.totalSteps == schedule.totalSteps)
                #expect(DenseSchedule(again).rates == DenseSchedule(schedule).rates, "\(text) -> \(schedule.spec)")
                names.insert(String(text.prefix { $0 != "(" }))
            }
        }
        // Every registered built-in was exercised.
        #expect(names == Set(registry.schedules.map(\.name)))
    }

    @Test func printedSpecsUseTheDocumentedForm() throws {
        let registry = PluginRegistry()
        try BuiltinSchedules.register(into: registry)
        let s = try ScheduleSpec.parse("cosine(peak=3e-4, floor=3e-5, warmup=2160, total=24000)", registry: registry)
        #expect(s.spec == "cosine(peak=0.0003, floor=3e-05, warmup=2160, total=24000)")
        let p = try ScheduleSpec.parse("piecewise(0:3e-4, 8000:9e-5, end=16000)", registry: registry)
        #expect(p.spec == "piecewise(0:0.0003, 8000:9e-05, end=16000)")
    }

    @Test func fileTableRoundTrips() throws {
        let registry = PluginRegistry()
        try BuiltinSchedules.register(into: registry)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lawfit round trip \(getpid()).csv")
        try "step,lr\n0,0.001\n100,0.0005\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let s = try TabulatedSchedule(contentsOfFile: url.path, end: 150)
        #expect(s.spec == "table(path=\"\(url.path)\", end=150)")  // quoted: the path has spaces
        #expect(DenseSchedule(try ScheduleSpec.parse(s.spec, registry: registry)).rates == DenseSchedule(s).rates)
    }
}
