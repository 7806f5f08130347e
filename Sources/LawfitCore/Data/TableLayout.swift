/// Where each mapped field and each extra numeric column sits in a ``DataTable``, and the
/// conversion of one record into a validated ``Observation``.
struct TableLayout {
    let file: String
    let mapping: ColumnMapping
    /// The required fields in a fixed order (checked on every row).
    let required: [LogField]
    /// Column index of each mapped field present in the table, indexed like `LogField.allCases`.
    private let fieldColumns: [Int?]
    /// Unmapped columns whose every non-empty cell is numeric.
    let extraColumns: [(name: String, index: Int)]

    /// - Parameters:
    ///   - required: fields whose column must exist and whose value every row must have.
    ///   - sparse: fields whose column must exist but whose cells may be blank (W&B histories).
    init(table: DataTable, mapping: ColumnMapping, required: Set<LogField>, sparse: Set<LogField> = []) throws {
        self.file = table.file
        self.mapping = mapping
        self.required = required.subtracting(sparse).sorted()
        if let ragged = table.raggedRecord {
            throw LawfitError.input(
                "row has \(ragged.cells) cells but the table has \(table.columns.count) columns",
                at: SourceLocation(file: table.file, line: ragged.line))
        }
        let fieldColumns = LogField.allCases.map { field in mapping.column(for: field).flatMap(table.columnIndex) }
        self.fieldColumns = fieldColumns
        let mappedIndices = Set(fieldColumns.compactMap { $0 })
        self.extraColumns = table.columns.indices.compactMap { index in
            let name = table.columns[index]
            guard !name.isEmpty, !mappedIndices.contains(index), Self.isNumericColumn(index, in: table) else { return nil }
            return (name, index)
        }
        try checkRequiredColumns(table, required.union(sparse).sorted())
    }

    /// Whether every non-empty cell of a column reads as a number (an overflow counts as numeric, so
    /// that it is reported) and at least one cell is non-empty.
    private static func isNumericColumn(_ index: Int, in table: DataTable) -> Bool {
        var sawValue = false
        for row in 0..<table.rowCount {
            switch table.numericValue(row: row, column: index) {
            case .empty: continue
            case .notNumeric: return false
            case .value, .overflow, .underflow: sawValue = true
            }
        }
        return sawValue
    }

    /// The column index of a mapped field, if the table has that column.
    func columnIndex(of field: LogField) -> Int? { fieldColumns[field.ordinal] }

    private func has(_ field: LogField) -> Bool { columnIndex(of: field) != nil }

    private func checkRequiredColumns(_ table: DataTable, _ fields: [LogField]) throws {
        if let run = mapping.run, !has(.run) { throw missingColumn(run, field: .run, table) }
        for field in fields {
            let satisfied = switch field {
            case .tokens: has(.tokens) || (has(.compute) && has(.parameters))
            case .compute: has(.compute) || (has(.parameters) && has(.tokens))
            default: has(field)
            }
            if !satisfied {
                let hint = switch field {
                case .tokens: " (or C and N, to derive D = C/(6N))"
                case .compute: " (or N and D, for C = 6ND)"
                default: ""
                }
                throw missingColumn(mapping.column(for: field) ?? field.rawValue, field: field, table, hint: hint)
            }
        }
    }

    private func missingColumn(_ name: String, field: LogField, _ table: DataTable, hint: String = "") -> LawfitError {
        LawfitError.input(
            "missing required column '\(name)'\(hint); set it with \(field.flag). The columns are: \(table.columns.joined(separator: ", "))",
            at: SourceLocation(file: file, line: table.headerLine, column: name))
    }

    /// One record as a validated row.
    func row(_ row: Int, of table: DataTable) throws -> LogRow {
        let record = RecordRef(table: table, row: row)
        var observation = Observation(line: record.line)
        if let loss = try number(.loss, record) {
            guard loss.isFinite, loss > 0 else {
                let what = loss.isNaN ? "NaN" : loss.isInfinite ? "infinite" : loss == 0 ? "zero" : "negative (\(loss))"
                throw error("loss is \(what); a loss must be a positive, finite number", record, .loss)
            }
            observation.loss = loss
        }
        if let step = try number(.step, record) {
            guard step.isFinite, step >= 0, step == step.rounded(), step < 9.0e15 else {
                throw error("step must be a non-negative integer, got \(step)", record, .step)
            }
            observation.step = Int(step)
        }
        if let rate = try number(.learningRate, record) {
            guard rate.isFinite, rate >= 0 else {
                throw error("learning rate must be finite and not negative, got \(rate)", record, .learningRate)
            }
            observation.learningRate = rate
        }
        observation.parameters = try positive(.parameters, record)
        observation.tokens = try positive(.tokens, record)
        observation.compute = try positive(.compute, record)
        observation.uniqueTokens = try positive(.uniqueTokens, record)
        if observation.tokens == nil, let compute = observation.compute, let parameters = observation.parameters {
            observation.tokens = compute / (6 * parameters)
        }
        for column in extraColumns {
            switch record.numericValue(column.index) {
            case .value(let value) where value.isFinite: observation.extra[column.name] = value
            case .overflow: throw LawfitError.input(overflowMessage(record.cell(column.index)), at: location(record, column.name))
            case .underflow: throw LawfitError.input(underflowMessage(record.cell(column.index)), at: location(record, column.name))
            default: break
            }
        }
        var run = ""
        if let index = columnIndex(of: .run) {
            run = record.cell(index).runName
            if run.isEmpty { throw error("the row has no run name", record, .run) }
        }
        try checkRequiredValues(observation, record)
        return LogRow(observation: observation, run: run)
    }

    private func checkRequiredValues(_ observation: Observation, _ record: RecordRef) throws {
        for field in required {
            let present = switch field {
            case .loss: observation.loss != nil
            case .step: observation.step != nil
            case .learningRate: observation.learningRate != nil
            case .parameters: observation.parameters != nil
            case .tokens: observation.tokens != nil
            case .compute: observation.effectiveCompute != nil
            case .uniqueTokens: observation.uniqueTokens != nil
            case .run: true
            }
            if !present { throw error("the row has no value for required column", record, field) }
        }
    }

    /// The number in a mapped field's cell, `nil` when the column is absent or the cell empty.
    private func number(_ field: LogField, _ record: RecordRef) throws -> Double? {
        guard let index = columnIndex(of: field) else { return nil }
        switch record.numericValue(index) {
        case .empty: return nil
        case .value(let value): return value
        case .notNumeric:
            let text = record.cell(index).displayText
            let hint = text.lowercased().contains("x") ? " (hexadecimal is not read; write the number in decimal)" : ""
            throw error("'\(LawfitError.excerpt(text))' is not a number\(hint)", record, field)
        case .overflow: throw error(overflowMessage(record.cell(index)), record, field)
        case .underflow: throw error(underflowMessage(record.cell(index)), record, field)
        }
    }

    /// A mapped N, D, C or U, which a law must be able to use (``LawInput/admits(_:)``).
    private func positive(_ input: LawInput, _ record: RecordRef) throws -> Double? {
        let field = LogField(input)!
        guard let value = try number(field, record) else { return nil }
        guard input.admits(value) else {
            throw error("\(field.rawValue) must be a positive, finite number, got \(value)", record, field)
        }
        return value
    }

    private func overflowMessage(_ cell: DataCell) -> String {
        "'\(LawfitError.excerpt(cell.displayText))' overflows a Double (largest is about 1.8e308)"
    }

    private func underflowMessage(_ cell: DataCell) -> String {
        "'\(LawfitError.excerpt(cell.displayText))' underflows a Double (smallest is about 4.9e-324) and would read as 0"
    }

    private func location(_ record: RecordRef, _ column: String?) -> SourceLocation {
        SourceLocation(file: file, line: record.line, column: column)
    }

    private func error(_ message: String, _ record: RecordRef, _ field: LogField) -> LawfitError {
        LawfitError.input(message, at: location(record, mapping.column(for: field) ?? field.rawValue))
    }
}

extension DataCell {
    /// The cell as a run name: text as is, integral numbers without a fraction.
    var runName: String {
        switch self {
        case .empty: ""
        case .text(let text): String(text.trimmingSpacesAndTabs)
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
        }
    }
}

/// One row of a ``DataTable`` as the layout reads it.
private struct RecordRef {
    let table: DataTable
    let row: Int

    var line: Int { table.line(ofRow: row) }
    func cell(_ column: Int) -> DataCell { table.cell(row: row, column: column) }
    func numericValue(_ column: Int) -> DataCell.Numeric { table.numericValue(row: row, column: column) }
}
