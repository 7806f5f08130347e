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

    /// One mode (lambda = 1, target power 1) under a constant rate eta, batch 1, noise sigma^2: the
    /// recursion u(k) = a u(k-1) + eta^2 sigma^2 with a = (1 - eta)^2 + 2 eta^2 has the closed form
    /// u(k) = u* + a^k (1 - u*), u* = eta^2 sigma^2 / (1 - a), and L(k) = u(k) + sigma^2.
    static func oneModeLoss(step k: Int, rate eta: Double, noise: Double) -> Double {
        let a = (1 - eta) * (1 - eta) + 2 * eta * eta
        let fixed = eta * eta * noise / (1 - a)
        return noise + fixed + Foundation.pow(a, Double(k)) * (1 - fixed)
    }

    @Test("A curve of several 1 MiB blocks streamed to --output equals standard output and the one-mode closed form")
    func streamedCurve() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("curve.csv").path
        let arguments = ["simulate", "--kernel", "powerlaw(modes=1)", "--schedule", "constant(peak=0.01, total=100000)", "--noise", "0.5"]
        let written = try LawfitProcess.run(arguments + ["--output", path])
        #expect(written.status == 0, "\(written.standardError)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.count > 2 << 20, "\(bytes.count) bytes: fewer than two full blocks")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["curve.csv"])
        let printed = try LawfitProcess.run(arguments)
        #expect(printed.status == 0 && Data(printed.standardOutput.utf8) == bytes)
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.first == "step,lr,loss" && lines.count == 100_001)
        var worst = 0.0
        for (index, line) in lines.dropFirst().enumerated() {
            let cells = line.split(separator: ",").compactMap { Double($0) }
            guard cells.count == 3, cells[0] == Double(index + 1), cells[1] == 0.01 else {
                Issue.record("line \(index + 2): \(line)")
                break
            }
            worst = Swift.max(worst, abs(cells[2] / Self.oneModeLoss(step: index + 1, rate: 0.01, noise: 0.5) - 1))
        }
        // Rounding of 1e5 contracting steps; a NaN loss would fail the parse above.
        #expect(worst <= 1e-11, "worst relative error \(worst)")
    }

    /// rate 0.01 for steps 1...99999 (stable), then 1.0 from step 100000: with lambda = 1, batch 1 and
    /// sigma^2 = 1, u(k) = 2 u(k-1) + 1 from there, so L(99999 + j) = 2^j (u(99999) + 1) doubles until it
    /// passes 10^6 L(0) = 2e6 and then overflows, after about 3 MB of rows.
    static let divergesAfterBlocks = [
        "simulate", "--kernel", "powerlaw(modes=1)", "--schedule", "step(peak=0.01, factor=100, every=100000, total=200000)", "--noise", "1",
    ]

    @Test("A simulation diverging after several blocks: exit 1 naming the closed-form steps; --output leaves nothing, standard output only whole rows")
    func divergesAfterBlocks() throws {
        let base = Self.oneModeLoss(step: 99_999, rate: 0.01, noise: 1)  // u(99999) + 1
        let blowUp = 99_999 + Int(Foundation.log2(2e6 / base).rounded(.down)) + 1
        let overflow = 99_999 + Int(Foundation.log2(Double.greatestFiniteMagnitude / base).rounded(.down)) + 1
        let message = "simulate: SGD diverges: the expected loss exceeds 10^6 times its initial 2.0 at step \(blowUp) (lr 1.0, "
            + "lr x largest eigenvalue = 1.0) and is inf from step \(overflow); lower the learning rate"
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let toFile = try LawfitProcess.run(Self.divergesAfterBlocks + ["--output", folder.appendingPathComponent("curve.csv").path])
        #expect(toFile.status == 1)
        #expect(toFile.standardError == "lawfit: error: \(message)\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [], "no file, no temporary")
        let printed = try LawfitProcess.run(Self.divergesAfterBlocks)
        #expect(printed.status == 1 && printed.standardError == toFile.standardError)
        // The blocks filled before the divergence were printed: whole rows of consecutive steps.
        #expect(printed.standardOutput.utf8.count >= 2 << 20 && printed.standardOutput.hasSuffix("\n"))
        let steps = printed.standardOutput.split(separator: "\n").dropFirst().map { Int($0.prefix { $0 != "," }) ?? -1 }
        #expect(steps == Array(1...steps.count) && steps.count < overflow)
    }
}
