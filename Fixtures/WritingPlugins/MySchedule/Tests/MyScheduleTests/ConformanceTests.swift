import LawfitCore
import LawfitPluginTesting
import MySchedule
import Testing

@Test func kneePassesLawfitsConformanceChecks() throws {
    let registry = PluginRegistry()
    try BuiltinSchedules.register(into: registry)
    try MySchedulePlugin.register(into: registry)
    let checks = PluginConformance.check(registry, origin: "built-in").filter { $0.subject == "schedule knee" }
    #expect(checks.count == 5 && checks.allSatisfy { $0.passed }, "\(checks)")
}

@Test func kneeRatesByHand() throws {
    let knee = try KneeSchedule(peak: 1, knee: 0.5, total: 100)
    #expect(knee.rate(at: 0) == 1 && knee.rate(at: 50) == 1 && knee.rate(at: 75) == 0.5 && knee.rate(at: 100) == 0)
}
