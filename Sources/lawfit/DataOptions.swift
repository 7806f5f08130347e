import ArgumentParser
import Foundation
import LawfitCore

/// Where the data come from and how to read it: shared by every command that reads training logs.
///
/// Files are CSV or JSON Lines (by extension). Columns are mapped by name; every file is read with
/// the same mapping and row filters (`--drop-highest-loss` and `--where` apply to each file).
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp("A training log (.csv, .jsonl); repeatable.", valueName: "file"))
    var files: [String] = []

    @Option(name: .customLong("loss"), help: ArgumentHelp("Column of the loss.", valueName: "column"))
    var lossColumn = "loss"
    @Option(name: .customLong("step"), help: ArgumentHelp("Column of the optimiser step.", valueName: "column"))
    var stepColumn = "step"
    @Option(name: .customLong("lr"), help: ArgumentHelp("Column of the learning rate.", valueName: "column"))
    var learningRateColumn = "lr"
    @Option(name: .customLong("params"), help: ArgumentHelp("Column of the model size N.", valueName: "column"))
    var parametersColumn = "N"
    @Option(
        name: .customLong("tokens"),
        help: ArgumentHelp("Column of the training tokens D (derived as C/(6N) where absent).", valueName: "column"))
    var tokensColumn = "D"
    @Option(name: .customLong("compute"), help: ArgumentHelp("Column of the training compute C.", valueName: "column"))
    var computeColumn = "C"
    @Option(name: .customLong("unique-tokens"), help: ArgumentHelp("Column of the unique tokens U.", valueName: "column"))
    var uniqueTokensColumn = "U"
    @Option(name: .customLong("run"), help: ArgumentHelp("Column naming the run of each row (default: one run per file).", valueName: "column"))
    var runColumn: String?

    @Option(
        name: .customLong("drop-highest-loss"),
        help: ArgumentHelp("Drop the K highest-loss rows of each file (Epoch AI's outlier rule is 5).", valueName: "K"))
    var dropHighestLoss: Int?
    @Option(
        name: .customLong("where"),
        help: ArgumentHelp("Keep only rows where 'column<op>value' holds (op < <= > >= == !=); repeatable.", valueName: "filter"))
    var conditions: [String] = []

    /// The column mapping the flags describe.
    var mapping: ColumnMapping {
        ColumnMapping(
            loss: lossColumn, step: stepColumn, learningRate: learningRateColumn, parameters: parametersColumn,
            tokens: tokensColumn, compute: computeColumn, uniqueTokens: uniqueTokensColumn, run: runColumn)
    }

    /// The row filters, in the order given: the outlier rule first, then each `--where`.
    func filters() throws -> [RowFilter] {
        try (dropHighestLoss.map { [RowFilter.dropHighestLoss($0)] } ?? []) + conditions.map { try RowFilter(parsing: $0) }
    }

    /// Reads every `--data` file with the mapping and filters, one log per file, in order.
    ///
    /// - Parameter required: the fields every row must have.
    /// - Throws: ``LawfitError`` (input) when no file is given, or as ``TrainingLogReader`` does.
    func readEach(required: Set<LogField>) throws -> [TrainingLog] {
        guard !files.isEmpty else { throw LawfitError.input("give at least one training log with --data FILE") }
        try mapping.validate()
        let reader = TrainingLogReader(mapping: mapping, required: required, filters: try filters())
        return try files.map { try reader.read(URL(fileURLWithPath: $0)) }
    }
}
