import Foundation
import LawfitCore
import Testing

/// RFC 4180 details of the CSV reader, checked field by field on small inputs.
@Suite struct DataCSVReaderTests {
    private func table(_ text: String) throws -> DataTable {
        try CSVReader.read(Data(text.utf8), file: "t.csv")
    }

    private func texts(_ table: DataTable) -> [[String]] {
        table.records.map { $0.cells.map(\.displayText) }
    }

    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let csv = "name,\"Model Size\",note\r\n\"a,b\",1e9,\"say \"\"hi\"\"\"\r\n\"x\ny\",2e9,\"\"\r\nplain,3e9,\"line1\r\nline2\"\r\nlast,4e9,end"
        let parsed = try table(csv)
        #expect(parsed.columns == ["name", "Model Size", "note"])
        #expect(texts(parsed) == [
            ["a,b", "1e9", "say \"hi\""],
            ["x\ny", "2e9", ""],
            ["plain", "3e9", "line1\r\nline2"],
            ["last", "4e9", "end"],
        ])
        // Records start on lines 2, 3, 5 (the quoted newline spans 3-4) and 6 (line2 is 7).
        #expect(parsed.records.map(\.line) == [2, 3, 5, 7])
        #expect(parsed.records[1].cells[2] == .empty)
    }

    @Test func headerNamesAreTrimmedAndBlankLinesSkipped() throws {
        let parsed = try table("\n x , Training FLOP \n\n1,2\n\n3,4\n")
        #expect(parsed.columns == ["x", "Training FLOP"])
        #expect(parsed.headerLine == 2)
        #expect(texts(parsed) == [["1", "2"], ["3", "4"]])
        #expect(parsed.records.map(\.line) == [4, 6])
    }

    @Test func trailingCommaMeansAnEmptyLastField() throws {
        let parsed = try table("a,b\n1,\n")
        #expect(parsed.records[0].cells == [.text("1"), .empty])
    }

    @Test func loneCarriageReturnsEndLines() throws {
        let parsed = try table("a,b\r1,2\r3,4")
        #expect(texts(parsed) == [["1", "2"], ["3", "4"]])
        #expect(parsed.records.map(\.line) == [2, 3])
    }

    @Test func nonASCIIIsKept() throws {
        let parsed = try table("größe,λ\n\"ü,1\",2\n")
        #expect(parsed.columns == ["größe", "λ"])
        #expect(texts(parsed) == [["ü,1", "2"]])
    }

    @Test(arguments: [
        ("a,b\n1,\"2\n", 2, "b", "never closed"),
        ("a,b\n1,2\"x\n", 2, "b", "quote inside an unquoted field"),
        ("a,b\n1,\"2\"x\n", 2, "b", "after a closing quote"),
        ("a,b\n1,2,3\n", 2, "field 3", "3 fields but the header has 2"),
        ("a,a\n1,2\n", 1, "a", "duplicate column name"),
        ("\u{FEFF}\n\n", 1, nil, "empty"),
    ] as [(String, Int, String?, String)])
    func malformedCSVIsLocated(_ text: String, _ line: Int, _ column: String?, _ fragment: String) throws {
        let error = try #require(throws: LawfitError.self) { try table(text) }
        #expect(error.location == SourceLocation(file: "t.csv", line: line, column: column))
        #expect(error.message.contains(fragment), "message: \(error.message)")
    }

    @Test func invalidUTF8InHeaderNamesTheField() throws {
        let bytes: [UInt8] = Array("a,b".utf8) + [0xC3, 0x28] + Array("\n1,2\n".utf8)
        let error = try #require(throws: LawfitError.self) { try CSVReader.read(Data(bytes), file: "t.csv") }
        #expect(error.location == SourceLocation(file: "t.csv", line: 1, column: "field 2"))
        #expect(error.message.contains("invalid UTF-8 (byte offset 3: 0xC3 0x28"))
    }

    @Test func numericCellsParseWithOverflowAndSpaces() {
        #expect(DataCell.text(" 2.5e3 ").numericValue == .value(2500))
        #expect(DataCell.text("-0.125").numericValue == .value(-0.125))
        #expect(DataCell.text("1e999").numericValue == .overflow)
        #expect(DataCell.text("-1e999").numericValue == .overflow)
        #expect(DataCell.text("inf").numericValue == .value(.infinity))
        #expect(DataCell.text("#34193d").numericValue == .notNumeric)
        #expect(DataCell.text("  ").numericValue == .empty)
        #expect(DataCell.number(3).numericValue == .value(3))
        guard case .value(let nan) = DataCell.text("nan").numericValue else {
            Issue.record("nan should parse as a number")
            return
        }
        #expect(nan.isNaN)
    }

    /// Swift's `Double("0x5")` is 5 and `Double("1e-400")` is 0: neither may reach a fit.
    @Test func hexadecimalIsNotANumberAndUnderflowIsNotZero() {
        for text in ["0x5", "0x1.8p1", "-0X10", "0x", "1.5.2", "1e", "e5", ".", "+-1", "1e+", "1_000"] {
            #expect(DataCell.text(text).numericValue == .notNumeric, "\(text)")
        }
        #expect(DataCell.text("1e-400").numericValue == .underflow)
        #expect(DataCell.text("-2.5E-999").numericValue == .underflow)
        #expect(DataCell.text("0e-400").numericValue == .value(0))
        #expect(DataCell.text("0.000").numericValue == .value(0))
        #expect(DataCell.text("1e-310").numericValue == .value(1e-310))
        #expect(DataCell.text(".5").numericValue == .value(0.5))
        #expect(DataCell.text("5.").numericValue == .value(5))
        #expect(DataCell.text("+1e3").numericValue == .value(1000))
        #expect(DataCell.text("-Infinity").numericValue == .value(-.infinity))
    }

    @Test func hexadecimalAndUnderflowInALogAreLocated() throws {
        for (cell, fragment) in [("0x5", "'0x5' is not a number (hexadecimal is not read"), ("1e-400", "'1e-400' underflows a Double")] {
            let error = try #require(throws: LawfitError.self) {
                try TrainingLogReader().read(data: Data("step,loss\n1,3\n2,\(cell)\n".utf8), file: "t.csv", format: .csv)
            }
            #expect(error.location == SourceLocation(file: "t.csv", line: 3, column: "loss"))
            #expect(error.message.hasPrefix(fragment), "\(error.message)")
        }
    }

    @Test func largeFileIsReadInOrder() throws {
        // 20 000 rows: exercises the linear path and checks nothing is lost or reordered.
        var text = "step,lr,loss\n"
        for step in 1...20_000 { text += "\(step),0.001,\(1 + 1 / Double(step))\n" }
        let log = try TrainingLogReader(required: [.loss, .step]).read(data: Data(text.utf8), file: "big.csv", format: .csv)
        #expect(log.count == 20_000)
        #expect(log.runs[0].observations.last?.step == 20_000)
        #expect(log.runs[0].observations.last?.loss == 1 + 1 / 20_000.0)
        #expect(log.runs[0].observations.last?.line == 20_001)
    }
}
