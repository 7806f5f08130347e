import Foundation
import Testing
import TestSupport

/// `lawfit predict` streams its CSV in 1 MiB blocks (as `simulate` does): a table of several blocks
/// must equal the law's closed form row by row, be the same bytes on standard output and in
/// `--output`, and a failing predict must leave no file and no temporary.
@Suite("lawfit predict streaming")
struct PredictStreamingTests {
    static let chinchilla = [
        "predict", "--law", "chinchilla", "--set", "A=406.4", "--set", "B=410.7", "--set", "E=1.69",
        "--set", "alpha=0.34", "--set", "beta=0.28",
    ]

    /// Hoffmann et al. 2022, Eq. (2): L(N, D) = E + A / N^alpha + B / D^beta.
    static func closedForm(n: Double, d: Double) -> Double { 1.69 + 406.4 / pow(n, 0.34) + 410.7 / pow(d, 0.28) }

    @Test("100,000 grid points (several blocks) equal the closed form at every 997th row and the last; standard output is the same bytes")
    func largeGrid() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("grid.csv").path
        let arguments = Self.chinchilla + ["--grid", "N=1e8:1e11:log100", "--grid", "D=1e9:1e13:log1000"]
        let written = try LawfitProcess.run(arguments + ["--output", path])
        #expect(written.status == 0, "\(written.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["grid.csv"], "no temporary left")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.count > 2 << 20, "\(bytes.count) bytes: fewer than two full blocks")
        let printed = try LawfitProcess.run(arguments)
        #expect(printed.status == 0 && Data(printed.standardOutput.utf8) == bytes)

        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 100_002 && lines.last == "", "100,000 rows and a header, each ending in a newline")
        #expect(lines.first == "run,N,D,predicted_loss")
        var inputErrors: [Double] = [], lossErrors: [Double] = []
        for row in Array(stride(from: 0, to: 100_000, by: 997)) + [99_999] {
            let cells = lines[row + 1].split(separator: ",")
            guard cells.count == 4, cells[0] == "points", let n = Double(cells[1]), let d = Double(cells[2]), let loss = Double(cells[3]) else {
                Issue.record("row \(row + 1): \(lines[row + 1])")
                continue
            }
            // The first axis varies slowest: row = 1000 i + j, N = 10^(8 + 3 i / 99), D = 10^(9 + 4 j / 999).
            let i = Double(row / 1000), j = Double(row % 1000)
            let expectedN = pow(10, 8 + 3 * i / 99), expectedD = pow(10, 9 + 4 * j / 999)
            inputErrors += [abs(n / expectedN - 1), abs(d / expectedD - 1)]
            lossErrors.append(abs(loss / Self.closedForm(n: expectedN, d: expectedD) - 1))
        }
        #expect(lossErrors.count == 102)
        // pow(10, x) here and in the grid differ by a few ulps of x; `<=` fails a NaN cell.
        #expect(inputErrors.allSatisfy { $0 <= 1e-13 }, "relative errors of N and D: \(inputErrors.sorted().suffix(3))")
        #expect(lossErrors.allSatisfy { $0 <= 1e-12 }, "relative errors of the loss: \(lossErrors.sorted().suffix(3))")
    }

    @Test("A prediction overflowing at the last of 100,000 rows: exit 1 naming the line, the old --output kept, no temporary, nothing printed")
    func overflowAtLastRow() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var data = "N,D\n"
        for k in 0..<99_999 { data += "\(1e8 + Double(k) * 1e4),1e10\n" }
        data += "1e-300,1e-300\n"  // with alpha = 2, A / N^alpha = 406.4 * 10^600 overflows; the other rows stay finite
        let input = folder.appendingPathComponent("points.csv").path
        try data.write(toFile: input, atomically: false, encoding: .utf8)
        let output = folder.appendingPathComponent("p.csv").path
        try "old\n".write(toFile: output, atomically: false, encoding: .utf8)
        let arguments = Self.chinchilla.map { $0 == "alpha=0.34" ? "alpha=2" : $0 } + ["--data", input]

        let toFile = try LawfitProcess.run(arguments + ["--output", output])
        #expect(toFile.status == 1)
        #expect(toFile.standardError.hasPrefix(
            "lawfit: error: the prediction of law 'chinchilla' is not finite at \(input):100001 (N=1e-300, D=1e-300): inf"), "\(toFile.standardError)")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "old\n", "the old output is untouched")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["p.csv", "points.csv"], "no temporary left")

        let printed = try LawfitProcess.run(arguments)
        #expect(printed.status == 1 && printed.standardError == toFile.standardError)
        #expect(printed.standardOutput.isEmpty, "every prediction is checked before the first block is printed")
    }
}
