import LawfitCore
import Testing

/// Registered names must be usable: schedule and kernel names are spec names, law names are
/// dash-separated lower-case words.
@Suite struct RegistryNameTests {
    @Test(arguments: ["rex", "wsd", "one_cycle", "_x", "Cosine2"])
    func specNamesAreAccepted(name: String) {
        #expect(RegistryName.isValid(name, kind: "schedule") && RegistryName.isValid(name, kind: "kernel"))
    }

    @Test(arguments: ["rsqrt-cd", "2cosine", "", "a b", "wsd(", "é"])
    func otherScheduleNamesAreRefused(name: String) {
        #expect(!RegistryName.isValid(name, kind: "schedule"))
    }

    @Test(arguments: ["chinchilla", "multi-power", "bnsl-2", "two-phase-smooth-gamma6", "x1"])
    func lawNamesAreAccepted(name: String) {
        #expect(RegistryName.isValid(name, kind: "law"))
    }

    @Test(arguments: ["Multi-Power", "multi_power", "-x", "x-", "a--b", "2x", "a,b", ""])
    func otherLawNamesAreRefused(name: String) {
        #expect(!RegistryName.isValid(name, kind: "law"))
    }

    /// The name `rsqrt-cd` used to be listed by `lawfit plugins` but fail in every spec.
    @Test func registeringAnUnusableNameSaysWhy() throws {
        let registry = PluginRegistry()
        let factory = ScheduleFactory(name: "rsqrt-cd", summary: "", parameters: []) { _ in try ConstantSchedule(peak: 1, total: 1) }
        let error = try #require(throws: LawfitError.self) { try registry.register(schedule: factory, origin: "libX.so") }
        #expect(error.message == "cannot register the schedule 'rsqrt-cd' from libX.so: a schedule name is a spec name: a letter or '_', then letters, digits or '_' (e.g. one_cycle)")
        #expect(registry.schedules.isEmpty)
    }
}
