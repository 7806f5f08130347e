import Foundation
import LawfitCore
import Testing
import TestSupport

/// Every bad-input class has a hand-written file under Fixtures/bad; each must fail with an input
/// error that names the file, the right 1-based line and the right column.
@Suite struct DataBadInputTests {
    struct Case: Sendable, CustomStringConvertible {
        var file: String
        var line: Int?
        var column: String?
        var fragment: String
        var mapping = ColumnMapping()
        var repeatedSteps = RepeatedStepPolicy.last
        var description: String { file }
    }

    static let cases: [Case] = [
        Case(file: "empty.csv", line: 1, column: nil, fragment: "empty"),
        Case(file: "header_only.csv", line: 1, column: nil, fragment: "no data rows"),
        Case(file: "missing_column.csv", line: 1, column: "loss", fragment: "missing required column 'loss'"),
        Case(file: "non_numeric.csv", line: 3, column: "loss", fragment: "'abc' is not a number"),
        Case(file: "nan_loss.csv", line: 3, column: "loss", fragment: "loss is NaN"),
        Case(file: "inf_loss.csv", line: 3, column: "loss", fragment: "loss is infinite"),
        Case(file: "zero_loss.csv", line: 3, column: "loss", fragment: "loss is zero"),
        Case(file: "negative_loss.csv", line: 3, column: "loss", fragment: "loss is negative"),
        Case(file: "duplicate_step.csv", line: 4, column: "step", fragment: "duplicate step 2", repeatedSteps: .error),
        Case(file: "decreasing_step.csv", line: 6, column: "step", fragment: "decreasing step 1 in run 'a' (after step 2 on line 4)",
             mapping: ColumnMapping(run: "run"), repeatedSteps: .error),
        Case(file: "ragged_row.csv", line: 3, column: "loss", fragment: "row has 2 fields but the header has 3"),
        Case(file: "bad_utf8.csv", line: 3, column: "note", fragment: "invalid UTF-8"),
        Case(file: "overflow.csv", line: 3, column: "D", fragment: "'1e999' overflows a Double"),
        Case(file: "bad.jsonl", line: 3, column: "loss", fragment: "invalid JSON"),
    ]

    @Test(arguments: cases)
    func badFileIsRejectedWithLocation(_ testCase: Case) throws {
        let url = SharedData.fixture("bad/" + testCase.file)
        let reader = TrainingLogReader(mapping: testCase.mapping, required: [.loss], repeatedSteps: testCase.repeatedSteps)
        let error = try #require(throws: LawfitError.self) { try reader.read(url) }
        #expect(error.kind == .input)
        #expect(error.location?.file == url.relativePath)
        #expect(error.location?.line == testCase.line)
        #expect(error.location?.column == testCase.column)
        #expect(error.message.contains(testCase.fragment), "message: \(error.message)")
    }

    @Test func decreasingStepFileIsFineWithoutStepMapping() throws {
        // The same rows read without the step column are valid: the error came from the steps only.
        let url = SharedData.fixture("bad/decreasing_step.csv")
        let log = try TrainingLogReader(mapping: ColumnMapping(step: nil, run: "run")).read(url)
        #expect(log.runs.map(\.name) == ["a", "b"])
        #expect(log.runs[0].observations.map(\.line) == [2, 4, 6])
        #expect(log.runs[1].observations.compactMap(\.loss) == [3.6, 3.5])
        #expect(log.runs[0].observations[0].extra["step"] == 1)
    }

    @Test func byteOrderMarkAndCRLFAreAccepted() throws {
        let log = try TrainingLogReader(required: [.loss, .step]).read(SharedData.fixture("bad/bom.csv"))
        #expect(log.runs.count == 1)
        #expect(log.runs[0].name == "bom")
        #expect(log.runs[0].observations.map(\.step) == [1, 2])
        #expect(log.runs[0].observations.map(\.loss) == [3.5, 3.4])
        #expect(log.runs[0].observations.map(\.line) == [2, 3])
    }

    @Test func missingOptionalColumnIsNotAnError() throws {
        // missing_column.csv lacks loss; a caller that does not need loss (prediction) may read it.
        let log = try TrainingLogReader(required: [.step]).read(SharedData.fixture("bad/missing_column.csv"))
        #expect(log.count == 2)
        #expect(log.observations.allSatisfy { $0.loss == nil && $0.learningRate == 0.1 })
        #expect(throws: LawfitError.self) { try log.requireLosses() }
    }
}
