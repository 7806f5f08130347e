import Foundation
import LawfitCore
import Testing

/// Every built-in schedule against rates computed by hand from its formula (Docs/Schedules.md).
@Suite struct ScheduleTests {
    static let registry: PluginRegistry = {
        let registry = PluginRegistry()
        try! BuiltinSchedules.register(into: registry)
        return registry
    }()

    static func schedule(_ spec: String) throws -> any LearningRateSchedule {
        try ScheduleSpec.parse(spec, registry: registry)
    }

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-15 * max(abs(b), 1e-300) }

    @Test func constantWithWarmup() throws {
        let s = try Self.schedule("constant(peak=3e-4, warmup=100, total=1000)")
        #expect(s.totalSteps == 1000)
        #expect(s.rate(at: 0) == 0)
        #expect(Self.close(s.rate(at: 50), 1.5e-4))  // 3e-4 * 50 / 100
        #expect(s.rate(at: 100) == 3e-4)
        #expect(s.rate(at: 1000) == 3e-4)
        #expect(s.rate(at: 5000) == 3e-4)  // past the end: the last rate
        #expect(try Self.schedule("constant(peak=2, total=5)").rate(at: 0) == 2)
    }

    @Test func cosineToAFloor() throws {
        let s = try Self.schedule("cosine(peak=1, floor=0.1, warmup=10, total=110)")
        #expect(s.rate(at: 5) == 0.5)  // warmup: 1 * 5 / 10
        #expect(s.rate(at: 10) == 1)
        #expect(Self.close(s.rate(at: 35), 0.8681980515339464))  // 0.1 + 0.45 (1 + cos(pi/4))
        #expect(Self.close(s.rate(at: 60), 0.55))  // halfway: 0.1 + 0.45
        #expect(Self.close(s.rate(at: 110), 0.1))
    }

    @Test func linearDecay() throws {
        let s = try Self.schedule("linear(peak=1, floor=0.2, total=100)")
        #expect(s.rate(at: 0) == 1)
        #expect(Self.close(s.rate(at: 25), 0.8))
        #expect(Self.close(s.rate(at: 100), 0.2))
    }

    @Test func exponentialDecay() throws {
        let s = try Self.schedule("exponential(peak=1, floor=0.01, total=100)")
        #expect(Self.close(s.rate(at: 50), 0.1))
        #expect(Self.close(s.rate(at: 100), 0.01))
    }

    @Test func stepAndMultiStep() throws {
        let s = try Self.schedule("step(peak=1, factor=0.5, every=10, total=35)")
        #expect([9, 10, 25, 35].map(s.rate(at:)) == [1, 0.5, 0.25, 0.125])
        let m = try Self.schedule("multistep(10, 30, peak=1, factor=0.1, total=40)")
        #expect(m.rate(at: 9) == 1)
        #expect(m.rate(at: 10) == 0.1)
        #expect(m.rate(at: 29) == 0.1)
        #expect(Self.close(m.rate(at: 30), 0.01))
    }

    @Test func inverseSquareRoot() throws {
        let s = try Self.schedule("invsqrt(peak=1, warmup=4, total=100)")
        #expect(s.rate(at: 2) == 0.5)
        #expect(s.rate(at: 4) == 1)
        #expect(s.rate(at: 16) == 0.5)  // sqrt(4 / 16)
        #expect(Self.close(s.rate(at: 100), 0.2))
    }

    @Test(arguments: [
        ("linear", 0.55), ("cosine", 0.55), ("geometric", 0.31622776601683794), ("1-sqrt", 0.3636038969321073),
    ])
    func wsdShapes(shape: String, halfway: Double) throws {
        for start in ["decay_start=60", "decay_fraction=0.4"] {
            let s = try Self.schedule("wsd(peak=1, warmup=20, \(start), total=100, floor=0.1, shape=\(shape))")
            #expect(s.rate(at: 10) == 0.5)
            #expect(s.rate(at: 20) == 1)
            #expect(s.rate(at: 60) == 1)
            #expect(Self.close(s.rate(at: 80), halfway))  // x = 1/2
            #expect(Self.close(s.rate(at: 100), 0.1))
        }
    }

    @Test func twoStage() throws {
        let s = try Self.schedule("twostage(peak=1, low=0.3, switch=50, total=100)")
        #expect(s.rate(at: 49) == 1)
        #expect(s.rate(at: 50) == 0.3)
        #expect(s.rate(at: 100) == 0.3)
    }

    @Test func piecewiseConstant() throws {
        let s = try Self.schedule("piecewise(0:3, 10:2, 20:1, end=30)")
        #expect([0, 9, 10, 19, 20, 30, 40].map(s.rate(at:)) == [3, 3, 2, 2, 1, 1, 1])
        #expect(s.totalSteps == 30)
    }

    @Test func tableInterpolatesAndHoldsItsEnds() throws {
        let s = try Self.schedule("table(5:1, 10:2, 20:0, end=30)")
        #expect(s.rate(at: 0) == 1)  // before the first point: its rate
        #expect(Self.close(s.rate(at: 7), 1.4))
        #expect(s.rate(at: 10) == 2)
        #expect(Self.close(s.rate(at: 15), 1))
        #expect(s.rate(at: 25) == 0)  // after the last point: its rate
        #expect(s.totalSteps == 30)
    }

    @Test func tableFromARunsLearningRates() throws {
        let run = Run(name: "r", observations: [
            Observation(loss: 3, step: 0, learningRate: 1), Observation(loss: 2.5, step: 4, learningRate: 3),
        ])
        let s = try TabulatedSchedule(run: run, end: 8)
        #expect(s.rate(at: 1) == 1.5)
        #expect(s.rate(at: 8) == 3)
        #expect(DenseSchedule(try Self.schedule(s.spec)).rates == DenseSchedule(s).rates)
    }

    @Test func tableFromAFileRelativeToTheCurrentDirectory() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lawfit-table-\(getpid()).csv")
        try "# a comment\nloss,step,lr\n3.0,0,0.0\n2.9,10,1e-3\n2.8,30,5e-4\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        // A relative path to the same file, resolved against the current directory (not changed here,
        // as tests run in parallel): one "../" per component of the current directory, then the file.
        let cwd = FileManager.default.currentDirectoryPath.split(separator: "/")
        let relative = String(repeating: "../", count: cwd.count) + url.path.drop { $0 == "/" }
        let s = try Self.schedule("table(path=\(relative))")
        #expect(s.totalSteps == 30)
        #expect(Self.close(s.rate(at: 5), 5e-4))
        #expect(Self.close(s.rate(at: 20), 7.5e-4))
        #expect(s.spec == "table(path=\(relative), end=30)")
    }

    @Test func warmupInFrontOfAnySchedule() throws {
        let inner = try Self.schedule("cosine(peak=1, total=100)")
        let s = try Self.schedule("warmup(steps=10, schedule=cosine(peak=1, total=100))")
        #expect(s.rate(at: 0) == 0)
        #expect(s.rate(at: 5) == inner.rate(at: 10) * 0.5)
        #expect(s.rate(at: 10) == inner.rate(at: 10))
        #expect(s.rate(at: 70) == inner.rate(at: 70))
        #expect(s.totalSteps == 100)
    }

    @Test func intrinsicTimeIsTheCumulativeRate() throws {
        let dense = DenseSchedule(try Self.schedule("constant(peak=2, warmup=4, total=10)"))
        #expect(dense.rates == [0, 0.5, 1, 1.5, 2, 2, 2, 2, 2, 2, 2])
        #expect(dense.intrinsicTime[10] == 17)  // 0.5 + 1 + 1.5 + 7 * 2
    }

    @Test func invalidValuesAreRejected() throws {
        let cases: [(String, String)] = [
            ("cosine(peak=1, floor=2, total=10)", "cosine: 'floor' (2) must not exceed 'peak' (1)"),
            ("constant(peak=-1, total=10)", "constant: parameter 'peak' must be finite and > 0, got -1"),
            ("cosine(peak=1, warmup=10, total=10)", "cosine: parameter 'warmup' must lie in 0...9, got 10"),
            ("exponential(peak=1, total=10)", "exponential: missing parameter 'floor'; it accepts peak, floor, warmup, total, warmup_from, warmup_shape"),
            ("wsd(peak=1, decay_start=5, decay_fraction=0.5, total=10)", "wsd: give either 'decay_start' or 'decay_fraction', not both"),
            ("wsd(peak=1, decay_start=5, total=10, shape=square)", "wsd: unknown decay shape 'square'; known shapes: linear, cosine, geometric, 1-sqrt"),
            ("wsd(peak=1, floor=0, decay_start=5, total=10, shape=geometric)", "wsd: parameter 'floor' must be finite and > 0, got 0"),
            ("piecewise(5:1, end=10)", "piecewise: the first breakpoint must be at step 0, got 5"),
            ("piecewise(0:1, 8:2, 4:3, end=10)", "piecewise: breakpoint steps must increase, got 8 then 4"),
            ("multistep(30, 10, peak=1, total=40)", "multistep: milestones must increase, got 30 then 10"),
            ("table(end=5)", "table: give path=FILE.csv or step:rate points, e.g. table(0:3e-4, 1000:3e-5)"),
            ("step(peak=1, every=2.5, total=10)", "step: parameter 'every' must be a whole number, got 2.5"),
            ("constant(peak=nan, total=10)", "constant: parameter 'peak' must be a number, got 'nan'"),
        ]
        for (spec, message) in cases {
            let error = try #require(throws: LawfitError.self, "\(spec)") { try Self.schedule(spec) }
            #expect(error.message == message, "\(spec)")
            #expect(error.kind == .input)
        }
    }

    @Test func tableFileErrorsNameFileLineAndColumn() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lawfit-bad-table-\(getpid()).csv")
        try "step,lr\n0,1e-3\n10,oops\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: LawfitError.self) { try Self.schedule("table(path=\"\(url.path)\")") }
        #expect(error.description == "\(url.path):3 (column 'lr'): lr 'oops' is not a finite number >= 0")
        let missing = try #require(throws: LawfitError.self) { try Self.schedule("table(path=/nonexistent/lr.csv)") }
        #expect(missing.location?.file == "/nonexistent/lr.csv")
    }
}
