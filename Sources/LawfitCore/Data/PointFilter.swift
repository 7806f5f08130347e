/// A conjunction of `column<op>value` conditions tested on single points after reading: which
/// points to fit (`--fit-where`) and which to score (`--score-where`).
///
/// Unlike ``RowFilter`` (applied to rows before runs and schedules are built), a point filter runs
/// on observations, so the schedule read from a log's `lr` column still covers the points it drops.
/// A column is a mapped column name (`val/loss`), a field name (`loss`, `step`, `lr`, `N`, `D`,
/// `C`, `U`) or an extra numeric column; a point without a value in the column is not kept.
///
/// For evaluation code: keep a held-out point when `filter.keeps(observation)`; e.g. with the
/// split's `PointID`s, `fold.test.filter { filter.keeps(runs[$0.run].observations[$0.index]) }`.
public struct PointFilter: Sendable, Hashable, CustomStringConvertible {
    /// The conditions, all of which must hold.
    public let conditions: [(column: String, op: ComparisonOperator, value: Double)]
    /// The mapping that names the columns of fields.
    public let mapping: ColumnMapping

    /// Parses each `column<op>value` expression (see ``RowFilter/init(parsing:)``).
    ///
    /// - Throws: ``LawfitError`` (input) naming a malformed expression or the run column.
    public init(expressions: [String], mapping: ColumnMapping) throws {
        self.mapping = mapping
        self.conditions = try expressions.map { expression in
            guard case .keep(let column, let op, let value) = try RowFilter(parsing: expression) else {
                throw LawfitError.input("invalid point filter '\(expression)'")
            }
            if column == mapping.run || (mapping.field(forColumn: column) == nil && LogField(rawValue: column) == .run) {
                throw LawfitError.input("invalid point filter '\(expression)': the run column is not numeric")
            }
            return (column, op, value)
        }
    }

    /// Whether every condition holds at `observation`.
    public func keeps(_ observation: Observation) -> Bool {
        conditions.allSatisfy { condition in
            guard let value = value(of: condition.column, in: observation) else { return false }
            return condition.op.holds(value, condition.value)
        }
    }

    /// `runs` with only the points this filter keeps (runs left empty are kept, empty).
    public func apply(to runs: [Run]) -> [Run] {
        runs.map { run in
            var run = run
            run.observations = run.observations.filter(keeps)
            return run
        }
    }

    private func value(of column: String, in observation: Observation) -> Double? {
        if let extra = observation.extra[column], mapping.field(forColumn: column) == nil { return extra }
        switch mapping.field(forColumn: column) ?? LogField(rawValue: column) {
        case .loss: return observation.loss
        case .step: return observation.step.map(Double.init)
        case .learningRate: return observation.learningRate
        case .parameters: return observation.parameters
        case .tokens: return observation.tokens
        case .compute: return observation.effectiveCompute
        case .uniqueTokens: return observation.uniqueTokens
        case .run, nil: return nil
        }
    }

    public var description: String {
        conditions.map { "\($0.column)\($0.op.rawValue)\(SpecValue.format($0.value))" }.joined(separator: " and ")
    }

    public static func == (lhs: PointFilter, rhs: PointFilter) -> Bool { lhs.description == rhs.description && lhs.mapping == rhs.mapping }
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }
}
