import Foundation
import Testing
import TestSupport

/// `--smooth W` on the command line: the losses a compare report holds as observed (laws[].points) are the
/// debiased exponential moving average of the logged ones (TensorBoard's and W&B's smoothing),
/// computed here by hand: m_k = W m_{k-1} + (1 - W) x_k, smoothed_k = m_k / (1 - W^k).
@Suite("lawfit --smooth, end to end")
struct SmoothingCommandTests {
    @Test("compare --smooth 0.6 reports the debiased EMA of the logged loss as observed")
    func compareReportsSmoothedLosses() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let logged = [4.0, 3.1, 3.3, 2.6, 2.9, 2.4, 2.6, 2.2, 2.45, 2.1, 2.3, 2.05, 2.2, 2.0]
        let csv = "step,loss\n" + logged.enumerated().map { "\(10 * ($0 + 1)),\($1)" }.joined(separator: "\n") + "\n"
        let data = folder.appendingPathComponent("noisy.csv")
        try Data(csv.utf8).write(to: data)
        let report = folder.appendingPathComponent("report")
        let outcome = try LawfitProcess.run([
            "compare", "--data", data.path, "--schedule", "constant(peak=0.1, total=200)", "--law", "lr-annealing",
            "--smooth", "0.6", "--starts", "1", "--bootstrap", "0", "--report", report.path, "--format", "json", "--quiet",
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let json = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: report.appendingPathComponent("report.json"))) as? [String: Any])
        let law = try #require((json["laws"] as? [[String: Any]])?.first)
        let points = try #require(law["points"] as? [[String: Any]])
        let observed = points.compactMap { $0["observed"] as? Double }
        var m = 0.0, power = 1.0
        let expected = logged.map { x -> Double in
            m = 0.6 * m + 0.4 * x
            power *= 0.6
            return m / (1 - power)
        }
        #expect(observed.count == logged.count)
        let error = worstRelativeError(observed, expected)
        #expect(error <= 1e-12, "worst relative error \(error): \(observed)")
    }
}
