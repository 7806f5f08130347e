import Foundation
import LawfitCore
import LawfitPluginTesting
import MyLaw
import Testing

@Test func tokenPowerPassesLawfitsConformanceChecks() {
    let checks = LawConformance.check(TokenPowerLaw())
    #expect(checks.count == 4 && checks.allSatisfy { $0.passed }, "\(checks)")
}

@Test func tokenPowerByHand() throws {
    let runs = [Run(name: "r", observations: [Observation(tokens: 1e4), Observation(tokens: 1e8)])]
    let predictions = try TokenPowerLaw().predict(["E": 1.5, "B": 100, "beta": 0.5], at: runs)
    // 1.5 + 100 / 1e4^0.5 = 2.5 and 1.5 + 100 / 1e8^0.5 = 1.51
    #expect(abs(predictions[0] - 2.5) <= 1e-14 && abs(predictions[1] - 1.51) <= 1e-14)
}
