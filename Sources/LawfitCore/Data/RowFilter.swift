/// A comparison in a ``RowFilter`` expression.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    /// `<`
    case less = "<"
    /// `<=`
    case lessOrEqual = "<="
    /// `>`
    case greater = ">"
    /// `>=`
    case greaterOrEqual = ">="
    /// `==` (exact)
    case equal = "=="
    /// `!=`
    case notEqual = "!="

    /// Whether `lhs <op> rhs` holds.
    public func holds(_ lhs: Double, _ rhs: Double) -> Bool {
        switch self {
        case .less: lhs < rhs
        case .lessOrEqual: lhs <= rhs
        case .greater: lhs > rhs
        case .greaterOrEqual: lhs >= rhs
        case .equal: lhs == rhs
        case .notEqual: lhs != rhs
        }
    }
}

/// A rule that selects rows of a log before they are grouped into runs (the CLI's row filters).
///
/// Filters never drop a row silently: a row that lacks the value a filter tests is an error.
public enum RowFilter: Sendable, Hashable, CustomStringConvertible {
    /// Drops the `k` rows with the highest loss and keeps the rest in their original order
    /// (ties broken by file order). Besiroglu et al. 2024 ("Chinchilla Scaling: A replication
    /// attempt", arXiv 2404.10102, Sec. 3) drop the 5 highest-loss points of the digitised data.
    case dropHighestLoss(Int)
    /// Keeps the rows where `column <op> value` holds.
    ///
    /// `column` is a header name of the file, or else one of the field names `loss`, `step`, `lr`,
    /// `N`, `D`, `C`, `U` (which see derived values: D = C/(6N), C = 6ND).
    case keep(column: String, ComparisonOperator, Double)

    /// Parses `column<op>value` with op one of `<`, `<=`, `>`, `>=`, `==`, `!=`, e.g. `N>=1e8`,
    /// `"Model Size" < 5e9`. Spaces around the parts are ignored; the column may be double-quoted.
    ///
    /// - Throws: ``LawfitError`` (input) naming the expression.
    public init(parsing expression: String) throws {
        func invalid(_ reason: String) -> LawfitError {
            LawfitError.input("invalid filter '\(expression)': \(reason) (expected column<op>value, op one of < <= > >= == !=)")
        }
        let characters = Array(expression)
        guard let opStart = characters.firstIndex(where: { "<>=!".contains($0) }) else {
            throw invalid("no comparison operator")
        }
        var opEnd = opStart + 1
        if opEnd < characters.count, characters[opEnd] == "=" { opEnd += 1 }
        guard let op = ComparisonOperator(rawValue: String(characters[opStart..<opEnd])) else {
            throw invalid("unknown operator '\(String(characters[opStart..<opEnd]))'")
        }
        var column = String(characters[..<opStart]).trimmingSpacesAndTabs
        if column.count >= 2, column.first == "\"", column.last == "\"" { column = column.dropFirst().dropLast() }
        let valueText = String(characters[opEnd...]).trimmingSpacesAndTabs
        guard !column.isEmpty else { throw invalid("no column name") }
        guard let value = Double(valueText), !value.isNaN else { throw invalid("'\(valueText)' is not a number") }
        self = .keep(column: String(column), op, value)
    }

    /// The filter as an expression (`column<op>value`) or in words.
    public var description: String {
        switch self {
        case .dropHighestLoss(let k): "drop the \(k) highest-loss rows"
        case .keep(let column, let op, let value): "\(column)\(op.rawValue)\(value)"
        }
    }
}

/// A row of a log between reading and grouping: its observation and the run it belongs to.
struct LogRow: Sendable {
    var observation: Observation
    var run: String
}

extension RowFilter {
    /// The rows this filter keeps, in their original order.
    ///
    /// - Parameters:
    ///   - extraColumns: the names that may appear in ``Observation/extra``.
    func apply(to rows: [LogRow], mapping: ColumnMapping, extraColumns: Set<String>, file: String) throws -> [LogRow] {
        switch self {
        case .dropHighestLoss(let k):
            return try dropHighestLoss(k, from: rows, file: file, lossColumn: mapping.loss ?? "loss")
        case .keep(let column, let op, let value):
            let read = try accessor(for: column, mapping: mapping, extraColumns: extraColumns, file: file)
            return try rows.filter { row in
                guard let observed = read(row.observation) else {
                    throw LawfitError.input(
                        "filter '\(self)': the row has no value in column '\(column)'",
                        at: SourceLocation(file: file, line: row.observation.line, column: column))
                }
                return op.holds(observed, value)
            }
        }
    }

    private func dropHighestLoss(_ k: Int, from rows: [LogRow], file: String, lossColumn: String) throws -> [LogRow] {
        guard k >= 0 else { throw LawfitError.input("cannot drop \(k) rows: the count must be zero or more") }
        guard k < rows.count else {
            throw LawfitError.input("cannot drop the \(k) highest-loss rows of \(rows.count)", at: SourceLocation(file: file))
        }
        var losses: [Double] = []
        losses.reserveCapacity(rows.count)
        for row in rows {
            guard let loss = row.observation.loss else {
                throw LawfitError.input(
                    "dropping the highest-loss rows needs a loss on every row",
                    at: SourceLocation(file: file, line: row.observation.line, column: lossColumn))
            }
            losses.append(loss)
        }
        let ranked = losses.indices.sorted { losses[$0] > losses[$1] || (losses[$0] == losses[$1] && $0 < $1) }
        var dropped = [Bool](repeating: false, count: rows.count)
        for index in ranked.prefix(k) { dropped[index] = true }
        return rows.indices.filter { !dropped[$0] }.map { rows[$0] }
    }

    /// How to read `column` from an observation.
    private func accessor(
        for column: String, mapping: ColumnMapping, extraColumns: Set<String>, file: String
    ) throws -> @Sendable (Observation) -> Double? {
        let field = mapping.field(forColumn: column) ?? (extraColumns.contains(column) ? nil : LogField(rawValue: column))
        if let field {
            switch field {
            case .loss: return { $0.loss }
            case .step: return { $0.step.map(Double.init) }
            case .learningRate: return { $0.learningRate }
            case .parameters: return { $0.parameters }
            case .tokens: return { $0.tokens }
            case .compute: return { $0.effectiveCompute }
            case .uniqueTokens: return { $0.uniqueTokens }
            case .run: throw LawfitError.input("filter '\(self)': the run column '\(column)' is not numeric", at: SourceLocation(file: file))
            }
        }
        if extraColumns.contains(column) { return { $0.extra[column] } }
        let known = (LogField.allCases.filter { $0 != .run }.map(\.rawValue) + extraColumns.sorted()).joined(separator: ", ")
        throw LawfitError.input(
            "filter '\(self)': no numeric column '\(column)' (known: \(known))", at: SourceLocation(file: file, column: column))
    }
}
