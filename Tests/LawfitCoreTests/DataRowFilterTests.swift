import Foundation
import LawfitCore
import Testing

/// Row filters: parsing, comparisons on mapped, derived and extra columns, highest-loss dropping.
@Suite struct DataRowFilterTests {
    private let csv = """
        Model Size,Training FLOP,loss,x
        1e8,6e17,3.0,1
        2e8,2.4e18,2.5,2
        4e8,9.6e18,2.8,3
        8e8,3.84e19,2.2,4
        """

    private func read(_ filters: [RowFilter]) throws -> TrainingLog {
        let mapping = ColumnMapping(parameters: "Model Size", compute: "Training FLOP")
        return try TrainingLogReader(mapping: mapping, filters: filters).read(data: Data(csv.utf8), file: "f.csv", format: .csv)
    }

    @Test(arguments: [
        ("N>=2e8", RowFilter.keep(column: "N", .greaterOrEqual, 2e8)),
        ("\"Model Size\" < 5e8", .keep(column: "Model Size", .less, 5e8)),
        ("loss!=2.5", .keep(column: "loss", .notEqual, 2.5)),
        (" D == 1e9 ", .keep(column: "D", .equal, 1e9)),
        ("x>3", .keep(column: "x", .greater, 3)),
        ("C<=1e19", .keep(column: "C", .lessOrEqual, 1e19)),
    ])
    func expressionsParse(_ text: String, _ expected: RowFilter) throws {
        #expect(try RowFilter(parsing: text) == expected)
    }

    @Test(arguments: ["loss", "loss=3", "<3", "loss<abc", "loss=<3", "loss<nan"])
    func badExpressionsNameThemselves(_ text: String) throws {
        let error = try #require(throws: LawfitError.self) { try RowFilter(parsing: text) }
        #expect(error.kind == .input)
        #expect(error.message.contains("invalid filter '\(text)'"))
    }

    @Test func comparisonsSelectRowsInOrder() throws {
        // D = C/(6N): 1e9, 2e9, 4e9, 8e9. Header name, field name and extra column all work.
        #expect(try read([RowFilter(parsing: "Model Size>1e8")]).observations.map(\.loss) == [2.5, 2.8, 2.2])
        #expect(try read([RowFilter(parsing: "D<=2e9")]).observations.map(\.loss) == [3.0, 2.5])
        #expect(try read([RowFilter(parsing: "x!=3"), RowFilter(parsing: "loss<2.9")]).observations.map(\.line) == [3, 5])
    }

    @Test func dropHighestLossKeepsOriginalOrder() throws {
        let log = try read([.dropHighestLoss(2)])
        #expect(log.observations.map(\.loss) == [2.5, 2.2])
        #expect(log.observations.map(\.line) == [3, 5])
        #expect(try read([.dropHighestLoss(0)]).count == 4)
    }

    @Test func filterErrorsNameExpressionAndColumn() throws {
        let unknown = try #require(throws: LawfitError.self) { try read([.keep(column: "width", .less, 3)]) }
        #expect(unknown.message.contains("filter 'width<3.0'"))
        #expect(unknown.message.contains("no numeric column 'width'"))
        #expect(unknown.location?.column == "width")
        let tooMany = try #require(throws: LawfitError.self) { try read([.dropHighestLoss(4)]) }
        #expect(tooMany.message.contains("cannot drop the 4 highest-loss rows of 4"))
    }

    @Test func filterOnAValueARowLacksIsAnError() throws {
        let text = "step,loss,U\n1,3,5\n2,2.9,\n"
        let reader = TrainingLogReader(filters: [.keep(column: "U", .greater, 1)])
        let error = try #require(throws: LawfitError.self) {
            try reader.read(data: Data(text.utf8), file: "u.csv", format: .csv)
        }
        #expect(error.location == SourceLocation(file: "u.csv", line: 3, column: "U"))
    }
}
