import Foundation

/// The file formats a training log can be read from.
public enum LogFormat: String, Sendable, Hashable, CaseIterable {
    /// Comma-separated values with a header row (RFC 4180).
    case csv
    /// One JSON object per line.
    case jsonLines = "jsonl"

    /// The format a file extension implies: `.csv`; `.jsonl`, `.ndjson` or `.json` (read as lines).
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "csv": self = .csv
        case "jsonl", "ndjson", "json": self = .jsonLines
        default: return nil
        }
    }

    /// Parses `data` in this format.
    ///
    /// - Throws: ``LawfitError`` (input) as the format's reader does, and for a file in UTF-16 or
    ///   UTF-32 (a byte-order mark or a NUL byte, which no UTF-8 text log holds).
    public func read(_ data: Data, file: String) throws -> DataTable {
        try Self.requireUTF8(data, file: file)
        switch self {
        case .csv: return try CSVReader.read(data, file: file)
        case .jsonLines: return try JSONLinesReader.read(data, file: file)
        }
    }

    /// Refuses UTF-16 and UTF-32 text, which would otherwise read as invalid UTF-8 or as names with
    /// NUL characters.
    static func requireUTF8(_ data: Data, file: String) throws {
        let signatures: [(bytes: [UInt8], name: String)] = [
            ([0xFF, 0xFE, 0x00, 0x00], "UTF-32"), ([0x00, 0x00, 0xFE, 0xFF], "UTF-32"),
            ([0xFF, 0xFE], "UTF-16"), ([0xFE, 0xFF], "UTF-16"),
        ]
        if let signature = signatures.first(where: { data.starts(with: $0.bytes) }) {
            let mark = signature.bytes.map { "0x" + String($0, radix: 16, uppercase: true) }.joined(separator: " ")
            throw LawfitError.input(
                "the file is \(signature.name) (byte-order mark \(mark)); save it as UTF-8", at: SourceLocation(file: file, line: 1))
        }
        if let nul = data.firstIndex(of: 0) {
            let line = data[..<nul].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw LawfitError.input(
                "NUL byte at byte offset \(nul - data.startIndex): the file is binary or UTF-16/UTF-32 text; save it as UTF-8",
                at: SourceLocation(file: file, line: line))
        }
    }
}

/// Reads training logs (CSV or JSON Lines) into a ``TrainingLog``.
///
/// Steps: parse the file into a ``DataTable``; map columns to ``Observation`` fields with
/// ``mapping`` (every other numeric column goes to ``Observation/extra``); derive D = C/(6N) on rows
/// that log C and N but not D (C = 6ND is derived lazily by ``Observation/effectiveCompute``);
/// apply ``filters`` in order; group rows into runs by the run column, in order of first appearance
/// (without a run column the file is one run named after the file); check that steps increase
/// strictly within each run.
///
/// Every problem is a ``LawfitError`` (input) whose location names the file, the 1-based line and
/// the column: a missing required column or value, a non-numeric or overflowing cell, a NaN,
/// infinite, zero or negative loss, a non-positive or non-finite N, D, C or U, a negative or
/// non-finite learning rate, a step that is not a non-negative integer, a duplicate or decreasing
/// step, plus everything ``CSVReader`` and ``JSONLinesReader`` reject. No row is dropped silently.
public struct TrainingLogReader: Sendable {
    /// Which column holds which quantity.
    public var mapping: ColumnMapping
    /// Fields every row must have. `.tokens` is met by C and N (D derived), `.compute` by N and D.
    public var required: Set<LogField>
    /// Row filters, applied in order before rows are grouped into runs.
    public var filters: [RowFilter]
    /// The format; `nil` picks it from the file extension.
    public var format: LogFormat?

    /// A reader; by default it requires a loss on every row and picks the format by extension.
    public init(
        mapping: ColumnMapping = ColumnMapping(), required: Set<LogField> = [.loss],
        filters: [RowFilter] = [], format: LogFormat? = nil
    ) {
        self.mapping = mapping
        self.required = required
        self.filters = filters
        self.format = format
    }

    /// Reads one file.
    public func read(_ url: URL) throws -> TrainingLog {
        let file = url.relativePath
        let data = try CSVReader.readFile(url)
        guard let format = format ?? LogFormat(pathExtension: url.pathExtension) else {
            throw LawfitError.input(
                "cannot tell the format from the extension '.\(url.pathExtension)': name the file .csv, .jsonl or .json",
                at: SourceLocation(file: file))
        }
        return try read(data: data, file: file, format: format)
    }

    /// Reads several files into one log; runs keep their source file.
    ///
    /// - Throws: as ``read(_:)-(URL)``, and when two files hold runs of the same name.
    public func read(_ urls: [URL]) throws -> TrainingLog {
        try TrainingLog(merging: urls.map(read))
    }

    /// Reads a log from memory; `file` names it in messages and, without a run column, names the run.
    public func read(data: Data, file: String, format: LogFormat) throws -> TrainingLog {
        try read(table: format.read(data, file: file))
    }

    /// Maps, filters and groups an already parsed table.
    public func read(table: DataTable) throws -> TrainingLog {
        try mapping.validate()
        let layout = try TableLayout(table: table, mapping: mapping, required: required)
        var rows: [LogRow] = []
        rows.reserveCapacity(table.records.count)
        for record in table.records {
            rows.append(try layout.row(record))
        }
        for filter in filters {
            rows = try filter.apply(to: rows, mapping: mapping, extraColumns: Set(layout.extraColumns.map(\.name)), file: table.file)
        }
        let runs = try group(rows, file: table.file, fallbackName: Self.runName(forFile: table.file))
        return TrainingLog(runs: runs)
    }

    /// The name of the single run of a file without a run column: its name without extension.
    public static func runName(forFile file: String) -> String {
        URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
    }

    private func group(_ rows: [LogRow], file: String, fallbackName: String) throws -> [Run] {
        var runs: [Run] = []
        var indexByName: [String: Int] = [:]
        for row in rows {
            let name = mapping.run == nil ? fallbackName : row.run
            if let index = indexByName[name] {
                runs[index].observations.append(row.observation)
            } else {
                indexByName[name] = runs.count
                runs.append(Run(name: name, observations: [row.observation], source: file))
            }
        }
        for run in runs { try checkSteps(of: run, file: file) }
        return runs
    }

    private func checkSteps(of run: Run, file: String) throws {
        var previous: (step: Int, line: Int?)?
        for observation in run.observations {
            guard let step = observation.step else { continue }
            if let previous, step <= previous.step {
                let earlier = previous.line.map { " on line \($0)" } ?? ""
                let detail = step == previous.step
                    ? "duplicate step \(step) in run '\(run.name)' (also\(earlier.isEmpty ? " earlier" : earlier))"
                    : "decreasing step \(step) in run '\(run.name)' (after step \(previous.step)\(earlier))"
                let hint = mapping.run == nil ? " (if the file holds several runs, name their column with --run)" : ""
                throw LawfitError.input(
                    "\(detail); steps must increase within a run\(hint)",
                    at: SourceLocation(file: file, line: observation.line, column: mapping.step))
            }
            previous = (step, observation.line)
        }
    }
}
