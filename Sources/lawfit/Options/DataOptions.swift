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
    @Option(
        name: .customLong("step"),
        help: ArgumentHelp("Column of the optimiser step (default: step, else _step or Step, with a note).", valueName: "column"))
    var stepColumn: String?
    @Option(
        name: .customLong("lr"),
        help: ArgumentHelp("Column of the learning rate (default: lr, else train/lr, with a note).", valueName: "column"))
    var learningRateColumn: String?
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
    @Option(
        name: .customLong("repeated-steps"),
        help: ArgumentHelp(
            "Rows of one step are merged key by key; a key logged twice keeps the later record (last), the earlier (first), or is an error (error, which also refuses unsorted steps).",
            valueName: "last|first|error"))
    var repeatedSteps: RepeatedStepPolicy = .last
    @Option(
        name: .customLong("fork"),
        help: ArgumentHelp(
            "A run that branched from another at a step: its schedule (and intrinsic time) up to STEP are PARENT's, a run of the --data files or a schedule spec; repeatable.",
            valueName: "RUN=PARENT@STEP"))
    var forks: [String] = []
    @Option(
        name: .customLong("smooth"),
        help: ArgumentHelp("Smooth each run's loss with TensorBoard's debiased exponential moving average of this weight (0 <= w < 1; W&B's EMA slider).", valueName: "weight"))
    var smoothing: Double?
    @Option(
        name: .customLong("fit-where"),
        help: ArgumentHelp("Fit only points where 'column<op>value' holds, after schedules are read from the whole log; repeatable.", valueName: "filter"))
    var fitConditions: [String] = []
    @Option(
        name: .customLong("score-where"),
        help: ArgumentHelp("Score (held-out metrics) only points where 'column<op>value' holds, e.g. 'step>=1000'; repeatable.", valueName: "filter"))
    var scoreConditions: [String] = []

    /// The column mapping the flags describe.
    var mapping: ColumnMapping {
        ColumnMapping(
            loss: lossColumn, step: stepColumn ?? "step", learningRate: learningRateColumn ?? "lr", parameters: parametersColumn,
            tokens: tokensColumn, compute: computeColumn, uniqueTokens: uniqueTokensColumn, run: runColumn)
    }

    /// Columns tried when a defaulted column is absent (W&B's `_step` and `train/lr`, TensorBoard's
    /// `Step`); an explicit flag has none.
    var fallbackColumns: [LogField: [String]] {
        var fallbacks: [LogField: [String]] = [:]
        if stepColumn == nil { fallbacks[.step] = ["_step", "Step", "global_step", "trainer/global_step"] }
        if learningRateColumn == nil { fallbacks[.learningRate] = ["train/lr", "learning_rate", "lr-AdamW"] }
        return fallbacks
    }

    /// The ranges of `--drop-highest-loss` (K >= 0) and `--smooth` (``LossSmoothing``'s, 0 <= w < 1).
    func validate() throws {
        if let k = dropHighestLoss, k < 0 { throw ValidationError("--drop-highest-loss must be at least 0, got \(k)") }
        if let smoothing {
            do { _ = try LossSmoothing(weight: smoothing) } catch { throw ValidationError("--smooth: \(error)") }
        }
    }

    /// The `--fork` branches. - Throws: ``LawfitError`` (input) for a malformed one.
    func branches() throws -> [RunFork] {
        try forks.map { try RunFork(parsing: $0) }
    }

    /// The points `--fit-where` keeps (all when not given).
    func fitFilter() throws -> PointFilter? {
        try fitConditions.isEmpty ? nil : PointFilter(expressions: fitConditions, mapping: mapping)
    }

    /// The points `--score-where` keeps for held-out metrics (all when not given): what compare and
    /// evaluation code test with `scoreFilter()?.keeps(observation)`.
    func scoreFilter() throws -> PointFilter? {
        try scoreConditions.isEmpty ? nil : PointFilter(expressions: scoreConditions, mapping: mapping)
    }

    /// The row filters, in the order given: the outlier rule first, then each `--where`.
    func filters() throws -> [RowFilter] {
        try (dropHighestLoss.map { [RowFilter.dropHighestLoss($0)] } ?? []) + conditions.map { try RowFilter(parsing: $0) }
    }

    /// Reads every `--data` file with the mapping and filters, one log per file, in order, and
    /// prints the readers' notes on stderr.
    ///
    /// - Parameters:
    ///   - required: the fields every row must have.
    ///   - sparse: the fields whose column must exist but whose cells may be blank.
    /// - Throws: ``LawfitError`` (input) when no file is given, or as ``TrainingLogReader`` does.
    func readEach(required: Set<LogField>, sparse: Set<LogField> = []) throws -> [TrainingLog] {
        guard !files.isEmpty else { throw LawfitError.input("give at least one training log with --data FILE") }
        try mapping.validate()
        let reader = TrainingLogReader(
            mapping: mapping, required: required, sparse: sparse, filters: try filters(),
            repeatedSteps: repeatedSteps, fallbackColumns: fallbackColumns)
        guard files.filter({ $0 == "-" }).count <= 1 else { throw LawfitError.input("--data - (standard input) can be given once") }
        let fileBytes = MallocPolicy.fileBytes(files.filter { $0 != "-" })
        MallocPolicy.prepare(forInputBytes: fileBytes)
        return try files.map { file in
            let log: TrainingLog
            if file == "-" {
                let data = try InputFile.readStandardInput()
                MallocPolicy.prepare(forInputBytes: fileBytes + data.count)
                log = try reader.read(data: data, file: "-", format: Self.sniffedFormat(data))
            } else {
                log = try reader.read(URL(fileURLWithPath: file))
            }
            for note in log.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
            return log
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
            var steps = ["\(file) has \(table.rowCount) rows"]
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
