import Foundation
import Testing
import TestSupport

/// The finite-data DMFT laws from the command line: `predict` reaches any (t, N, P) and the static
/// double descent, against the numpy reference (`reference_values.json`, 1e-3 relative).
@Suite("lawfit predict/fit with dmft-unique and dmft-static")
struct DMFTFiniteDataCommandTests {
    private static let unitScales = ["--set", "s=1", "--set", "E=0", "--set", "nu=1", "--set", "pi=1"]

    /// The reference's L(t = 100, N = 400, P = 1600) and L(t = 100, N = 1600, P = 400) at a = 1.8, b = 1.5,
    /// and L(t = 100, N = infinity, P = 400) with no N on the point.
    @Test("predict --law dmft-unique at finite N and P, and with N absent")
    func predictReachesFiniteSamples() throws {
        let outcome = try LawfitProcess.run([
            "predict", "--law", "dmft-unique", "--set", "a=1.8", "--set", "b=1.5", "--set", "tau=1",
            "--at", "D=100,N=400,U=1600", "--at", "D=100,N=1600,U=400", "--at", "D=100,U=400",
        ] + Self.unitScales)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let rows = outcome.standardOutput.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let predicted = rows.compactMap { $0.last.flatMap { Double($0) } }
        let expected = [0.08229185604255451, 0.07838301807687387, 0.0746975179706113]
        #expect(predicted.count == 3)
        for (p, e) in zip(predicted, expected) { #expect(abs(p / e - 1) < 1e-3, "\(p) vs \(e)") }
    }

    /// The static loss below, near and above the peak at N = P = 400 (reference `static_loss`), and an
    /// input error for a non-positive U.
    @Test("predict --law dmft-static gives the double descent")
    func predictStaticDoubleDescent() throws {
        guard let reference = try SharedData.referenceValues() else { return }
        let points = try #require(reference["dmft_static"] as? [[String: Any]]).filter {
            ($0["a"] as? NSNumber)?.doubleValue == 1.8 && ($0["N"] as? NSNumber) != nil && ($0["P"] as? NSNumber) != nil
        }
        #expect(points.count >= 3)
        let at = points.flatMap { ["--at", "N=\($0["N"]!),U=\($0["P"]!)"] }
        let outcome = try LawfitProcess.run(["predict", "--law", "dmft-static", "--set", "a=1.8", "--set", "b=1.5", "--set", "noise=0"] + Self.unitScales + at)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let predicted = outcome.standardOutput.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").last.flatMap { Double($0) } }
        #expect(predicted.count == points.count)
        for (p, point) in zip(predicted, points) {
            let e = try #require((point["loss"] as? NSNumber)?.doubleValue)
            #expect(abs(p / e - 1) < 1e-3, "N=\(point["N"]!) P=\(point["P"]!): \(p) vs \(e)")
        }
        let bad = try LawfitProcess.run(["predict", "--law", "dmft-unique", "--set", "a=1.8", "--set", "b=1.5", "--set", "tau=1",
                                         "--at", "D=100,N=400,U=-5"] + Self.unitScales)
        #expect(bad.status == 2, "\(bad.standardError)")
    }
}
