import Foundation
import LawfitCore
import Testing
import TestSupport

/// The nine multipower-400m schedules (Luo et al. 2025; ../shared/datasets/README.md) rebuilt from
/// spec strings alone: every listed `lr` matches to 1e-12 relative.
@Suite struct ScheduleMultiPowerTests {
    static let specs: [(file: String, spec: String)] = [
        ("cosine_24000.csv", "cosine(peak=3e-4, floor=3e-5, warmup=2160, total=24000)"),
        ("cosine_72000.csv", "cosine(peak=3e-4, floor=3e-5, warmup=2160, total=72000)"),
        ("constant_24000.csv", "constant(peak=3e-4, warmup=2160, total=24000)"),
        ("constant_72000.csv", "constant(peak=3e-4, warmup=2160, total=72000)"),
        ("wsd_20000_24000.csv", "wsd(peak=3e-4, warmup=2160, decay_start=20000, total=24000, floor=3e-5, shape=geometric)"),
        ("wsdld_20000_24000.csv", "wsd(peak=3e-4, warmup=2160, decay_start=20000, total=24000, floor=3e-5, shape=linear)"),
        ("wsdcon_3.csv", "twostage(peak=3e-4, low=3e-5, switch=8000, warmup=2160, total=16000)"),
        ("wsdcon_9.csv", "warmup(steps=2160, schedule=piecewise(0:3e-4, 8000:9e-5, end=16000))"),
        ("wsdcon_18.csv", "twostage(peak=3e-4, low=1.8e-4, switch=8000, warmup=2160, total=16000)"),
    ]

    static func lrColumn(_ url: URL) throws -> [(step: Int, lr: Double)] {
        try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst().map { line in
            let fields = line.split(separator: ",")
            return (try #require(Int(fields[0])), try #require(Double(fields[1])))
        }
    }

    @Test(arguments: specs.map(\.file))
    func reproducesTheLrColumn(file: String) throws {
        guard let url = try SharedData.dataset("multipower-400m/\(file)") else { return }
        let registry = PluginRegistry()
        try BuiltinSchedules.register(into: registry)
        let spec = Self.specs.first { $0.file == file }!.spec
        let schedule = try ScheduleSpec.parse(spec, registry: registry)
        let dense = DenseSchedule(schedule)
        let column = try Self.lrColumn(url)
        #expect(column.count >= 100)
        #expect(column.last!.step <= schedule.totalSteps)
        var worst = 0.0
        for (step, lr) in column { worst = max(worst, abs(dense.rates[step] - lr) / lr) }
        #expect(worst <= 1e-12, "\(file): worst relative error \(worst)")
        // Warmup (Luo et al. 2025): linear from 0, eta_k = 3e-4 k / 2160.
        #expect(abs(dense.rates[1080] - 1.5e-4) <= 1e-18)
        // The printed spec rebuilds the same rates.
        #expect(DenseSchedule(try ScheduleSpec.parse(schedule.spec, registry: registry)).rates == dense.rates)
    }

    @Test func tableOfTheCsvReproducesItsOwnLrColumn() throws {
        guard let url = try SharedData.dataset("multipower-400m/cosine_24000.csv") else { return }
        let registry = PluginRegistry()
        try BuiltinSchedules.register(into: registry)
        let table = try ScheduleSpec.parse("table(path=\"\(url.path)\", end=24000)", registry: registry)
        for (step, lr) in try Self.lrColumn(url) { #expect(table.rate(at: step) == lr) }
        // Between samples (h = 128 steps) linear interpolation is within h^2 max|eta''| / 8 of the
        // cosine, max|eta''| = (peak - floor) / 2 (pi / (T - W))^2: 5.7e-9 here.
        let cosine = try ScheduleSpec.parse(Self.specs[0].spec, registry: registry)
        let bound = 128.0 * 128 / 8 * 1.35e-4 * pow(Double.pi / 21840, 2)
        for step in stride(from: 2200, through: 23900, by: 100) {
            #expect(abs(table.rate(at: step) - cosine.rate(at: step)) <= bound)
        }
    }
}
