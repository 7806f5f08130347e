import Foundation
import Testing

@Suite("lawfit optimal --family")
struct OptimalScheduleCommandTests {
    /// With the published 400M Multi-Power parameters (Luo et al. 2025), the optimised WSD schedule must
    /// predict a final loss no higher than the hand-made WSD of the multipower runs (decay from step
    /// 20000, geometric: 2.6998060582754344 at step 24000, summed over every step in numpy by
    /// scripts/reference_points.py) and below the best cosine.
    @Test("The optimised WSD beats the hand-made WSD and the best cosine under the fitted law")
    func wsdBeatsCosine() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("mpl.json")
        try Data("""
            {"law":"multi-power","parameters":{"L0":2.37474466,"A":0.65421216,"alpha":0.42878731,"B":523.42464371,\
            "C":2.02462735,"beta":0.59350493,"gamma":0.63472457}}
            """.utf8).write(to: file)
        func optimum(_ family: String) throws -> (spec: String, loss: Double) {
            let outcome = try LawfitProcess.run([
                "optimal", "--params-file", file.path, "--family", family, "--total", "24000", "--peak", "3e-4",
                "--warmup", "2160", "--format", "json",
            ])
            #expect(outcome.status == 0, "\(outcome.standardError)")
            let json = try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
            return (try #require(json["schedule"] as? String), try #require(json["predictedFinalLoss"] as? Double))
        }
        let wsd = try optimum("wsd"), cosine = try optimum("cosine")
        #expect(wsd.spec.hasPrefix("wsd("))
        #expect(wsd.loss <= 2.6998060582754344)
        #expect(wsd.loss < cosine.loss)
        // The printed spec predicts the printed loss.
        let check = try LawfitProcess.run([
            "predict", "--params-file", file.path, "--law", "multi-power", "--schedule", wsd.spec, "--every", "24000",
        ])
        let last = try #require(Double(check.standardOutput.split(separator: "\n").last!.split(separator: ",").last!))
        #expect(abs(last / wsd.loss - 1) < 1e-9)
    }
}
