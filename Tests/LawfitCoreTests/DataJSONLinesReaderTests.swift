import Foundation
import LawfitCore
import Testing

/// JSON Lines: numbers, numeric strings, nulls, blank lines, key order, errors by line.
@Suite struct DataJSONLinesReaderTests {
    private func read(_ text: String, mapping: ColumnMapping = ColumnMapping(), required: Set<LogField> = [.loss]) throws -> TrainingLog {
        try TrainingLogReader(mapping: mapping, required: required).read(data: Data(text.utf8), file: "t.jsonl", format: .jsonLines)
    }

    @Test func numbersNumericStringsAndNullsAreRead() throws {
        let text = """
            {"run":"r1","N":1e8,"D":"2e9","loss":3.25,"width":512,"tag":"x"}

            {"run":"r1","N":1e8,"D":4e9,"loss":"3.0","width":null}\r
            {"run":7,"N":2e8,"C":1.2e18,"loss":2.9,"flag":true}
            """
        let log = try read(text, mapping: ColumnMapping(run: "run"))
        #expect(log.runs.map(\.name) == ["r1", "7"])
        let first = log.runs[0].observations
        #expect(first.map(\.tokens) == [2e9, 4e9])
        #expect(first.map(\.loss) == [3.25, 3.0])
        #expect(first.map(\.line) == [1, 3])
        #expect(first[0].extra == ["width": 512])
        #expect(first[1].extra.isEmpty)
        // D derived from C and N: 1.2e18 / (6 * 2e8) = 1e9.
        let derived = log.runs[1].observations[0]
        #expect(derived.tokens == 1.2e18 / (6 * 2e8))
        #expect(derived.effectiveCompute == 1.2e18)
        // Text and boolean columns are not numeric, so they are not extras.
        #expect(derived.extra.isEmpty)
    }

    @Test func highPrecisionDecimalsAreCorrectlyRounded() throws {
        let log = try read(#"{"N":2006673381.1230530739,"loss":3.4469954302}"#)
        #expect(log.observations[0].parameters == 2006673381.1230530739)
        #expect(log.observations[0].loss == 3.4469954302)
    }

    @Test(arguments: [
        (#"{"loss":3}"# + "\n[1,2]\n", 2, nil, "expected a JSON object"),
        (#"{"loss":3}"# + "\n" + #"{"loss":1e400}"#, 2, "loss", "overflows a Double"),
        (#"{"loss":3}"# + "\n" + #"{"loss":"3,5"}"#, 2, "loss", "'3,5' is not a number"),
        (#"{"loss":3}"# + "\n" + #"{"loss":true}"#, 2, "loss", "'true' is not a number"),
        (#"{"loss":3}"# + "\n" + #"{"step":1}"#, 2, "loss", "no value for required column"),
        ("\n \n", 1, nil, "no JSON objects"),
        (#"{"loss":3,"loss":4}"#, 1, "loss", "invalid JSON: duplicate key 'loss' (first at character 2); each key may appear once (character 11 of the line)"),
        (#"{"loss":3,}"#, 1, nil, "invalid JSON: trailing comma before '}' (JSON allows none) (character 11 of the line)"),
        (#"{"loss":0x5}"#, 1, "loss", "invalid JSON: invalid number: hexadecimal is not JSON"),
        (#"{"loss":1e-400}"#, 1, "loss", "'1e-400' underflows a Double"),
        (#"{"loss":012}"#, 1, "loss", "leading zeros"),
        (#"{"loss":NaN}"#, 1, "loss", "invalid JSON: expected a value"),
        (#"{"loss":3} x"#, 1, nil, "invalid JSON: text after the object"),
        (#"{'loss':3}"#, 1, nil, "invalid JSON: expected a key in double quotes"),
    ] as [(String, Int, String?, String)])
    func badLinesAreLocated(_ text: String, _ line: Int, _ column: String?, _ fragment: String) throws {
        let error = try #require(throws: LawfitError.self) { try read(text) }
        #expect(error.location == SourceLocation(file: "t.jsonl", line: line, column: column))
        #expect(error.message.contains(fragment), "message: \(error.message)")
    }

    @Test func stringsUnescapeAndNestedValuesBecomeText() throws {
        let table = try JSONLinesReader.read(Data(#"{"n":"a\"b\u00e9\ud83d\ude00","x":[1,{"y":"]"}],"loss":1.5}"#.utf8), file: "t.jsonl")
        #expect(table.columns == ["n", "x", "loss"])
        #expect(table.cell(row: 0, column: 0) == .text("a\"bé😀"))
        #expect(table.cell(row: 0, column: 1) == .text(#"[1,{"y":"]"}]"#))
        #expect(table.cell(row: 0, column: 2) == .number(1.5))
    }

    @Test func invalidUTF8IsNamedByLine() throws {
        let bytes = Array(#"{"loss":3}"#.utf8) + [0x0A] + Array(#"{"loss":3,"n":"a"#.utf8) + [0xFF] + Array(#""}"#.utf8)
        let error = try #require(throws: LawfitError.self) {
            try JSONLinesReader.read(Data(bytes), file: "t.jsonl")
        }
        #expect(error.location == SourceLocation(file: "t.jsonl", line: 2))
        #expect(error.message.contains("invalid UTF-8"))
    }
}
