import Foundation
import Testing
import TestSupport

/// `lawfit compare` ranks the schedule-aware DMFT law `dmft-sgd` next to fsl, fsl-theory and
/// multi-power on loss curves simulated by `lawfit simulate` (exact expected SGD loss on a power-law
/// kernel: the N -> infinity limit of the random-feature model, so dmft-sgd can describe it).
@Suite("lawfit compare with dmft-sgd on simulated curves")
struct DMFTScheduleCompareTests {
    static let schedules = [
        "cosine(peak=0.1, floor=0.01, warmup=20, total=400)",
        "wsd(peak=0.1, warmup=20, decay_start=300, total=400, floor=0.01)",
    ]

    @Test("dmft-sgd is fitted and ranked with the other loss-curve laws")
    func compareRanksDMFTSGD() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var data: [String] = []
        for (i, spec) in Self.schedules.enumerated() {
            let file = folder.appendingPathComponent("curve\(i).csv").path
            let simulated = try LawfitProcess.run([
                "simulate", "--kernel", "powerlaw(capacity=1.5, source=0.5, modes=400)", "--schedule", spec,
                "--batch", "4", "--noise", "0.09", "--every", "20", "--output", file,
            ])
            #expect(simulated.status == 0, "\(simulated.standardError)")
            data += ["--data", file, "--schedule", spec]
        }
        let laws = ["dmft-sgd", "fsl", "fsl-theory", "multi-power"]
        let report = folder.appendingPathComponent("report").path
        let outcome = try LawfitProcess.run(
            ["compare", "--split", "none", "--starts", "1", "--quiet", "--report", report] + data + laws.flatMap { ["--law", $0] })
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let json = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report).appendingPathComponent("report.json"))) as? [String: Any])
        let entries = try #require(json["laws"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: entries.map { ($0["law"] as! String, $0) })
        for law in laws {
            #expect(byName[law]?["status"] as? String == "ranked", "\(law): \(String(describing: byName[law]))")
        }
        print("compare report entries: \(entries)")
    }
}
