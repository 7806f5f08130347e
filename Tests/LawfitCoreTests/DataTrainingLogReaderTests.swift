import Foundation
import LawfitCore
import Testing

/// Reader behaviour around files, formats, mappings and required fields.
@Suite struct DataTrainingLogReaderTests {
    private func temporaryFile(_ name: String, _ text: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lawfit-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func formatComesFromExtensionOrIsGiven() throws {
        #expect(LogFormat(pathExtension: "CSV") == .csv)
        #expect(LogFormat(pathExtension: "jsonl") == .jsonLines)
        #expect(LogFormat(pathExtension: "json") == .jsonLines)
        #expect(LogFormat(pathExtension: "txt") == nil)
        let url = try temporaryFile("curve.txt", "step,loss\n1,3\n2,2.5\n")
        let error = try #require(throws: LawfitError.self) { try TrainingLogReader().read(url) }
        #expect(error.message.contains("extension '.txt'"))
        #expect(error.location?.file == url.relativePath)
        let log = try TrainingLogReader(format: .csv).read(url)
        #expect(log.runs.map(\.name) == ["curve"])
        #expect(log.observations.map(\.loss) == [3, 2.5])
    }

    @Test func unreadableFileIsAnInputError() throws {
        let url = URL(fileURLWithPath: "/nonexistent/lawfit/log.csv")
        let error = try #require(throws: LawfitError.self) { try TrainingLogReader().read(url) }
        #expect(error.kind == .input)
        #expect(error.message.hasPrefix("cannot read file"))
        #expect(error.location == SourceLocation(file: "/nonexistent/lawfit/log.csv"))
    }

    @Test func aColumnMappedTwiceIsRejected() throws {
        let mapping = ColumnMapping(loss: "x", tokens: "x")
        let error = try #require(throws: LawfitError.self) {
            try TrainingLogReader(mapping: mapping).read(data: Data("x\n1\n".utf8), file: "t.csv", format: .csv)
        }
        #expect(error.message == "column 'x' is mapped twice, by --loss and --tokens")
    }

    @Test func requiredTokensAcceptComputeAndParameters() throws {
        let text = "N,C,loss\n1e9,6e18,2.5\n"
        let log = try TrainingLogReader(required: [.loss, .tokens, .compute]).read(data: Data(text.utf8), file: "t.csv", format: .csv)
        #expect(log.observations[0].tokens == 6e18 / (6 * 1e9))
        let onlyN = "N,loss\n1e9,2.5\n"
        let error = try #require(throws: LawfitError.self) {
            try TrainingLogReader(required: [.tokens]).read(data: Data(onlyN.utf8), file: "t.csv", format: .csv)
        }
        #expect(error.location == SourceLocation(file: "t.csv", line: 1, column: "D"))
        #expect(error.message.contains("missing required column 'D' (or C and N, to derive D = C/(6N)); set it with --tokens"))
    }

    @Test func emptyCellInARequiredColumnNamesTheRow() throws {
        let text = "N,D,loss\n1e9,2e10,2.5\n2e9,,2.4\n"
        let error = try #require(throws: LawfitError.self) {
            try TrainingLogReader(required: [.loss, .tokens]).read(data: Data(text.utf8), file: "t.csv", format: .csv)
        }
        #expect(error.location == SourceLocation(file: "t.csv", line: 3, column: "D"))
    }

    @Test(arguments: [
        ("N,loss\n0,2.5\n", "N", "N must be a positive, finite number, got 0.0"),
        ("lr,loss\n-0.1,2.5\n", "lr", "learning rate must be finite and not negative"),
        ("step,loss\n1.5,2.5\n", "step", "step must be a non-negative integer, got 1.5"),
        ("run,loss\n,2.5\n", "run", "no run name"),
    ])
    func invalidMappedValuesAreLocated(_ text: String, _ column: String, _ fragment: String) throws {
        let error = try #require(throws: LawfitError.self) {
            try TrainingLogReader(mapping: ColumnMapping(run: text.hasPrefix("run") ? "run" : nil))
                .read(data: Data(text.utf8), file: "t.csv", format: .csv)
        }
        #expect(error.location == SourceLocation(file: "t.csv", line: 2, column: column))
        #expect(error.message.contains(fragment), "message: \(error.message)")
    }

    @Test func runsKeepFirstAppearanceOrder() throws {
        let text = "run,step,loss\nz,1,3\na,1,3.1\nz,2,2.9\nm,5,2\na,2,3\n"
        let log = try TrainingLogReader(mapping: ColumnMapping(run: "run")).read(data: Data(text.utf8), file: "t.csv", format: .csv)
        #expect(log.runs.map(\.name) == ["z", "a", "m"])
        #expect(log.runs.map { $0.observations.compactMap(\.step) } == [[1, 2], [1, 2], [5]])
        #expect(log.runs.allSatisfy { $0.source == "t.csv" })
    }

    @Test func interleavedRunsWithoutRunColumnPointToRunFlag() throws {
        let text = "run,step,loss\nz,1,3\na,1,3.1\n"
        let error = try #require(throws: LawfitError.self) {
            try TrainingLogReader(repeatedSteps: .error).read(data: Data(text.utf8), file: "t.csv", format: .csv)
        }
        #expect(error.location == SourceLocation(file: "t.csv", line: 3, column: "step"))
        #expect(error.message.contains("--run"))
    }

    @Test func lawInputsMapToRequiredFields() {
        #expect(LogField.required(for: [LawInput.parameters, .tokens, .schedule]) == [.parameters, .tokens])
        #expect(LogField.allCases.map(\.flag) == ["--loss", "--step", "--lr", "--params", "--tokens", "--compute", "--unique-tokens", "--run"])
    }

    @Test func tableWithShortRecordIsRejected() throws {
        let table = DataTable(file: "t", columns: ["loss", "x"], headerLine: 1, records: [DataRecord(line: 2, cells: [.number(1)])])
        #expect(throws: LawfitError.self) { try TrainingLogReader().read(table: table) }
    }
}
