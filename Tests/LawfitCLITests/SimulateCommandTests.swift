import Foundation
import Testing

@Suite("lawfit simulate")
struct SimulateCommandTests {
    /// Expected values from the independent Python reference:
    /// `sgd_expected_loss(lam, theta_star, 0.09, etas, 4)` of ../shared/reference/sgd_power_law_regression.py
    /// with lam_j = j^-1.5, lam_j theta*_j^2 = j^-1.75 (j = 1...400) and
    /// etas = 0.05 (1 + cos(pi k / 3000)), k = 1...3000: L(1000) = 0.16663396067252814, L(3000) = 0.14427534980525053.
    @Test("Writes the exact expected loss curve as step,lr,loss CSV")
    func curve() throws {
        let outcome = try LawfitProcess.run([
            "simulate", "--kernel", "powerlaw(capacity=1.5, source=0.5, modes=400)",
            "--schedule", "cosine(peak=0.1, floor=0, total=3000)", "--batch", "4", "--noise", "0.09", "--every", "1000",
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let lines = outcome.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "step,lr,loss")
        let rows = lines.dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        #expect(rows.map { $0[0] } == [1000, 2000, 3000])
        #expect(abs(rows[0][2] / 0.16663396067252814 - 1) < 1e-12)
        #expect(abs(rows[2][2] / 0.14427534980525053 - 1) < 1e-12)
    }

    @Test("A bad kernel spec exits 2 and names the problem")
    func badKernel() throws {
        let outcome = try LawfitProcess.run([
            "simulate", "--kernel", "powerlaw(capacity=1.5, sorce=0.5)", "--schedule", "constant(rate=0.1, total=10)",
        ])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("sorce"))
        #expect(outcome.standardOutput.isEmpty)
    }
}
