import Foundation
import Testing
@testable import LawfitCore

/// The CSV reader's numeric fast path (``DataCell/exactDecimal(_:)``, Clinger's exact case) against
/// the standard library's `Double(String)` (strtod), bit for bit, and the reader's numeric columns
/// against the text path it replaces.
@Suite struct DataDecimalFastPathTests {
    private func exact(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { DataCell.exactDecimal($0) }
    }

    @Test("random decimals with up to 19 digits and exponents to +-30 read as Double(String) does, bit for bit")
    func randomDecimalsMatchStrtod() {
        var random = SplitMix64(seed: 11)
        var read = 0
        for _ in 0..<20_000 {
            let digits = 1 + Int(random.next() % 19)
            var text = random.next() % 3 == 0 ? "-" : ""
            let point = Int(random.next() % UInt64(digits + 1))
            for k in 0..<digits {
                if k == point, k > 0 { text += "." }
                text += String(random.next() % 10)
            }
            if random.next() % 2 == 0 { text += "e\(Int(random.next() % 61) - 30)" }
            let reference = Double(text)!
            guard let fast = exact(text) else { continue }
            read += 1
            #expect(fast.bitPattern == reference.bitPattern, "\(text): \(fast) vs \(reference)")
        }
        // The fast path must actually take most of these (significands below 2^53, powers within 22).
        #expect(read > 8_000, "only \(read) of 20000 read on the fast path")
    }

    @Test("edge cases: signs, zeros, a bare point, 2^53, and text the fast path leaves to the full parser")
    func edgeCases() {
        for text in ["-0", "+5", "1.", ".5", "007", "0e99999", "1e22", "1e-22", "9007199254740992", "3e-05", "0.0003"] {
            #expect(exact(text)?.bitPattern == Double(text)!.bitPattern, "\(text)")
        }
        // Beyond Clinger's case, or not a plain decimal: nil (read by DataCell.parseNumber instead).
        for text in ["9007199254740993", "1e23", "1e-23", "12345678901234567890", "0x5", "nan", "inf", "", "-", ".", "1e", "1e+", " 1", "1 ", "1,5", "--1"] {
            #expect(exact(text) == nil, "\(text)")
        }
    }

    @Test("numeric columns read through the fast path hold the values, empties and texts of the text path")
    func numericColumnsMatchTextPath() throws {
        let csv = "step,lr,loss,note\n1,0.0003,2.143795269238617,a\n2,3.0002700000000024e-05, 2.5 ,b\n3,,1e999,\n4,\"7\",0x5,c\n"
        let fast = try CSVReader.read(Data(csv.utf8), file: "t.csv", textColumns: ["note"])
        let text = try CSVReader.read(Data(csv.utf8), file: "t.csv")
        #expect(fast.rowCount == 4 && fast.columns == text.columns)
        for row in 0..<4 {
            for column in 0..<3 {
                #expect(fast.numericValue(row: row, column: column) == text.numericValue(row: row, column: column), "row \(row) column \(column)")
            }
            #expect(fast.cell(row: row, column: 3) == text.cell(row: row, column: 3))
            #expect(fast.line(ofRow: row) == row + 2)
        }
        #expect(fast.numericValue(row: 0, column: 2) == .value(2.143795269238617))
        #expect(fast.numericValue(row: 2, column: 2) == .overflow)
        #expect(fast.numericValue(row: 3, column: 2) == .notNumeric)
    }

    @Test("a row with too many or too few fields names the line and the column, as before")
    func fieldCountErrors() {
        for (csv, column) in [("a,b\n1,2\n3,4,5\n", "field 3"), ("a,b\n1,2\n3\n", "b")] {
            #expect {
                _ = try CSVReader.read(Data(csv.utf8), file: "t.csv", textColumns: [])
            } throws: { error in
                guard let error = error as? LawfitError else { return false }
                return error.location == SourceLocation(file: "t.csv", line: 3, column: column) && error.message.contains("fields but the header has 2")
            }
        }
    }
}
