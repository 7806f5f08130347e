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
    ///
    /// - Parameter textColumns: `nil` keeps every cell as text; otherwise only these columns keep
    ///   text and the others store numbers compactly (see ``DataTable``).
    public func read(_ data: Data, file: String, textColumns: Set<String>? = nil) throws -> DataTable {
        try Self.requireUTF8(data, file: file)
        switch self {
        case .csv: return try CSVReader.read(data, file: file, textColumns: textColumns)
        case .jsonLines: return try JSONLinesReader.read(data, file: file, textColumns: textColumns)
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
        // memchr, not Data.firstIndex(of:): a byte-wise search through Data costs an exclusivity
        // check per byte (about 1 s on a 1e6-row log); a file without NUL is the common case.
        let nulOffset: Int? = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, let found = memchr(base, 0, raw.count) else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
        if let offset = nulOffset {
            let nul = data.startIndex + offset
            let line = data[..<nul].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw LawfitError.input(
                "NUL byte at byte offset \(nul - data.startIndex): the file is binary or UTF-16/UTF-32 text; save it as UTF-8",
                at: SourceLocation(file: file, line: line))
        }
    }
}

/// What to do when a run logs the same step in more than one row.
///
/// W&B history exports log a step's keys in separate rows (`train/loss` in one, `val/loss` in
/// another, same `_step`), and a resumed run logs some steps again, often out of order. Rows of
/// the same step are merged key by key in file order; the policy says which value a key logged
/// twice keeps. Steps that decrease are sorted (``last`` and ``first``) or refused (``error``).
public enum RepeatedStepPolicy: String, Sendable, Hashable, CaseIterable {
    /// The later record of a key wins (a resumed run's newer attempt); steps are sorted.
    case last
    /// The earlier record of a key wins; steps are sorted.
    case first
    /// A key logged twice at one step, or a decreasing step, is an input error.
    case error
}

/// Reads training logs (CSV or JSON Lines) into a ``TrainingLog``.
///
/// Steps: parse the file into a ``DataTable``; map columns to ``Observation`` fields with
/// ``mapping`` (every other numeric column goes to ``Observation/extra``); derive D = C/(6N) on rows
/// that log C and N but not D (C = 6ND is derived lazily by ``Observation/effectiveCompute``);
/// apply ``filters`` in order; group rows into runs by the run column, in order of first appearance
/// (without a run column the file is one run named after the file); within each run, put steps in
/// order and merge rows of the same step under ``repeatedSteps`` (see ``RepeatedStepPolicy``).
/// A run with rows that have no step keeps file order and needs strictly increasing steps.
///
/// Every problem is a ``LawfitError`` (input) whose location names the file, the 1-based line and
/// the column: a missing required column or value, a non-numeric, hexadecimal, overflowing or
/// underflowing cell, a NaN, infinite, zero or negative loss, a non-positive or non-finite N, D, C
/// or U, a negative or non-finite learning rate, a step that is not a non-negative integer, plus
/// everything ``CSVReader`` and ``JSONLinesReader`` reject. What the reader changes (rows merged or
/// sorted, values replaced, a fallback column used) is said in ``TrainingLog/notes``.
public struct TrainingLogReader: Sendable {
    /// Which column holds which quantity.
    public var mapping: ColumnMapping
    /// Fields every row must have. `.tokens` is met by C and N (D derived), `.compute` by N and D.
    public var required: Set<LogField>
    /// Fields whose column must exist but whose cells may be blank (a W&B history's sparse keys).
    public var sparse: Set<LogField>
    /// Row filters, applied in order before rows are grouped into runs.
    public var filters: [RowFilter]
    /// The format; `nil` picks it from the file extension.
    public var format: LogFormat?
    /// How rows that repeat a step are merged (default: the later record wins).
    public var repeatedSteps: RepeatedStepPolicy
    /// Column names tried in order when a field's mapped column is absent from a file (for
    /// example `_step` for `step`); the one used is said in a note.
    public var fallbackColumns: [LogField: [String]]

    /// A reader; by default it requires a loss on every row and picks the format by extension.
    public init(
        mapping: ColumnMapping = ColumnMapping(), required: Set<LogField> = [.loss], sparse: Set<LogField> = [],
        filters: [RowFilter] = [], format: LogFormat? = nil, repeatedSteps: RepeatedStepPolicy = .last,
        fallbackColumns: [LogField: [String]] = [:]
    ) {
        self.mapping = mapping
        self.required = required
        self.sparse = sparse
        self.filters = filters
        self.format = format
        self.repeatedSteps = repeatedSteps
        self.fallbackColumns = fallbackColumns
    }

    /// Reads one file.
    public func read(_ url: URL) throws -> TrainingLog {
        let file = url.relativePath
        // Read first: a folder, a device or a missing file is named as such before its extension is judged.
        var data: Data? = try CSVReader.readFile(url)
        guard let format = format ?? LogFormat(pathExtension: url.pathExtension) else {
            throw LawfitError.input(
                "cannot tell the format from the extension '.\(url.pathExtension)': name the file .csv, .jsonl or .json",
                at: SourceLocation(file: file))
        }
        // The file's bytes are released once parsed, before its rows become points.
        let textColumns: Set<String> = mapping.run.map { [$0] } ?? []
        var table: DataTable? = try format.read(data.take()!, file: file, textColumns: textColumns)
        return try read(taking: &table)
    }

    /// Reads several files into one log; runs keep their source file.
    ///
    /// - Throws: as ``read(_:)-(URL)``, and when two files hold runs of the same name.
    public func read(_ urls: [URL]) throws -> TrainingLog {
        try TrainingLog(merging: urls.map(read))
    }

    /// Reads a log from memory; `file` names it in messages and, without a run column, names the run.
    public func read(data: Data, file: String, format: LogFormat) throws -> TrainingLog {
        let textColumns: Set<String> = mapping.run.map { [$0] } ?? []
        var table: DataTable? = try format.read(data, file: file, textColumns: textColumns)
        return try read(taking: &table)
    }

    /// Maps, filters and groups an already parsed table.
    public func read(table: DataTable) throws -> TrainingLog {
        var owned: DataTable? = table
        return try read(taking: &owned)
    }

    /// Maps, filters and groups `table`, releasing it as soon as its rows are points (a long log's
    /// peak memory is then the table or the points, plus the other only while converting).
    private func read(taking owned: inout DataTable?) throws -> TrainingLog {
        try mapping.validate()
        var notes: [String] = []
        let file = owned!.file
        let mapping = resolvedMapping(for: owned!, notes: &notes)
        let layout = try TableLayout(table: owned!, mapping: mapping, required: required, sparse: sparse)
        var runs: [Run]
        if filters.isEmpty, mapping.run == nil {
            // One run, no filters: rows become the run's points directly.
            let observations = try Self.points(of: owned.take()!, layout: layout)
            runs = observations.isEmpty ? [] : [Run(name: Self.runName(forFile: file), observations: observations, source: file)]
        } else {
            var rows = try Self.rows(of: owned.take()!, layout: layout)
            for filter in filters {
                rows = try filter.apply(to: rows, mapping: mapping, extraColumns: Set(layout.extraColumns.map(\.name)), file: file)
            }
            runs = group(rows, mapping: mapping, fallbackName: Self.runName(forFile: file), file: file)
        }
        for index in runs.indices {
            let ordering = StepOrdering(policy: repeatedSteps, stepColumn: mapping.step, severalRunsHint: mapping.run == nil)
            if let note = try ordering.order(&runs[index], file: file) { notes.append(note) }
        }
        return TrainingLog(runs: runs, notes: notes)
    }

    private static func points(of table: DataTable, layout: TableLayout) throws -> [Observation] {
        var observations: [Observation] = []
        observations.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount { observations.append(try layout.row(row, of: table).observation) }
        return observations
    }

    private static func rows(of table: DataTable, layout: TableLayout) throws -> [LogRow] {
        var rows: [LogRow] = []
        rows.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount { rows.append(try layout.row(row, of: table)) }
        return rows
    }

    /// The mapping with fallback columns put in for mapped columns the table lacks.
    private func resolvedMapping(for table: DataTable, notes: inout [String]) -> ColumnMapping {
        var mapping = self.mapping
        for field in LogField.allCases {
            guard let alternatives = fallbackColumns[field], let name = mapping.column(for: field), table.columnIndex(name) == nil,
                let found = alternatives.first(where: { table.columnIndex($0) != nil && mapping.field(forColumn: $0) == nil })
            else { continue }
            mapping.set(found, for: field)
            notes.append("\(table.file): no column '\(name)'; reading \(field.rawValue) from '\(found)' (set it with \(field.flag))")
        }
        return mapping
    }

    /// The name of the single run of a file without a run column: its name without extension.
    public static func runName(forFile file: String) -> String {
        URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
    }

    private func group(_ rows: [LogRow], mapping: ColumnMapping, fallbackName: String, file: String) -> [Run] {
        guard !rows.isEmpty else { return [] }
        guard mapping.run != nil else {
            var observations: [Observation] = []
            observations.reserveCapacity(rows.count)
            for row in rows { observations.append(row.observation) }
            return [Run(name: fallbackName, observations: observations, source: file)]
        }
        var runs: [Run] = []
        var indexByName: [String: Int] = [:]
        for row in rows {
            if let index = indexByName[row.run] {
                runs[index].observations.append(row.observation)
            } else {
                indexByName[row.run] = runs.count
                runs.append(Run(name: row.run, observations: [row.observation], source: file))
            }
        }
        return runs
    }
}
