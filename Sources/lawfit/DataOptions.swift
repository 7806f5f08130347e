import ArgumentParser
import Foundation
import LawfitCore

/// Where the data come from and how to read it: shared by every command that reads training logs.
///
/// Files are CSV or JSON Lines (by extension). Columns are mapped by name; every file is read with
/// the same mapping and row filters (`--drop-highest-loss` and `--where` apply to each file).
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp("A training log (.csv, .jsonl; - reads standard input); repeatable.", valueName: "file"))
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
        if let k = dropHighestLoss, k < 0 { throw LawfitError.input("--drop-highest-loss must be at least 0, got \(k)") }
        return try (dropHighestLoss.map { [RowFilter.dropHighestLoss($0)] } ?? []) + conditions.map { try RowFilter(parsing: $0) }
    }

    /// Reads every `--data` file with the mapping and filters, one log per file, in order.
    ///
    /// - Parameter required: the fields every row must have.
    /// - Throws: ``LawfitError`` (input) when no file is given, or as ``TrainingLogReader`` does.
    func readEach(required: Set<LogField>) throws -> [TrainingLog] {
        guard !files.isEmpty else { throw LawfitError.input("give at least one training log with --data FILE") }
        try mapping.validate()
        let reader = TrainingLogReader(mapping: mapping, required: required, filters: try filters())
        guard files.filter({ $0 == "-" }).count <= 1 else { throw LawfitError.input("--data - (standard input) can be given once") }
        return try files.map { file in
            guard file == "-" else { return try reader.read(URL(fileURLWithPath: file)) }
            let data = try InputFile.readStandardInput()
            return try reader.read(data: data, file: "-", format: Self.sniffedFormat(data))
        }
    }

    /// The format of standard input: JSON Lines when its first non-blank byte is `{`, else CSV.
    static func sniffedFormat(_ data: Data) -> LogFormat {
        data.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }) == UInt8(ascii: "{") ? .jsonLines : .csv
    }

    /// Refuses a fit with fewer points than the law has parameters (an underdetermined fit would
    /// report arbitrary parameters as converged), saying how many rows each file had and how many
    /// each filter (`--drop-highest-loss`, `--where`) left.
    ///
    /// - Throws: ``LawfitError`` (input).
    func requirePoints(_ runs: [Run], atLeast needed: Int, for law: String) throws {
        let points = runs.reduce(0) { $0 + $1.observations.count }
        guard points < needed else { return }
        var counts: [String] = []
        for file in files where file != "-" {
            let url = URL(fileURLWithPath: file)
            guard let format = LogFormat(pathExtension: url.pathExtension),
                  let table = try? format.read(InputFile.read(url), file: url.relativePath) else { continue }
            var steps = ["\(file) has \(table.records.count) rows"]
            let all = (try? filters()) ?? []
            let labels = (dropHighestLoss.map { ["--drop-highest-loss \($0)"] } ?? []) + conditions.map { "--where '\($0)'" }
            for (k, label) in zip(all.indices, labels) {
                let reader = TrainingLogReader(mapping: mapping, required: [], filters: Array(all.prefix(k + 1)))
                let left = (try? reader.read(table: table).runs.reduce(0) { $0 + $1.observations.count }).map(String.init) ?? "?"
                steps.append("\(left) after \(label)")
            }
            counts.append(steps.joined(separator: ", "))
        }
        let detail = counts.isEmpty ? "" : " (\(counts.joined(separator: "; ")))"
        throw LawfitError.input(
            "law '\(law)' has \(needed) parameters, so a fit needs at least \(needed) points, but \(points) remain\(detail)")
    }
}
