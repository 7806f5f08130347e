/// A quantity a training log can hold, one per column of ``ColumnMapping``.
public enum LogField: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Observed loss.
    case loss
    /// Optimiser step.
    case step
    /// Learning rate.
    case learningRate = "lr"
    /// Model size N.
    case parameters = "N"
    /// Training tokens D.
    case tokens = "D"
    /// Training compute C.
    case compute = "C"
    /// Unique tokens U.
    case uniqueTokens = "U"
    /// The name of the run a row belongs to.
    case run

    /// The command-line flag that names this field's column.
    public var flag: String {
        switch self {
        case .loss: "--loss"
        case .step: "--step"
        case .learningRate: "--lr"
        case .parameters: "--params"
        case .tokens: "--tokens"
        case .compute: "--compute"
        case .uniqueTokens: "--unique-tokens"
        case .run: "--run"
        }
    }

    /// The field that carries a law input, or `nil` for `.schedule` (a property of the run).
    public init?(_ input: LawInput) {
        switch input {
        case .parameters: self = .parameters
        case .tokens: self = .tokens
        case .compute: self = .compute
        case .uniqueTokens: self = .uniqueTokens
        case .step: self = .step
        case .schedule: return nil
        }
    }

    /// The fields a law with these inputs needs (without `.loss`, which only fitting needs).
    public static func required(for inputs: some Sequence<LawInput>) -> Set<LogField> {
        Set(inputs.compactMap(LogField.init))
    }

    /// Declaration order: loss, step, lr, N, D, C, U, run.
    public static func < (lhs: LogField, rhs: LogField) -> Bool {
        lhs.ordinal < rhs.ordinal
    }
}

extension LogField {
    /// The position in `allCases`.
    var ordinal: Int {
        switch self {
        case .loss: 0
        case .step: 1
        case .learningRate: 2
        case .parameters: 3
        case .tokens: 4
        case .compute: 5
        case .uniqueTokens: 6
        case .run: 7
        }
    }
}


/// Which column of a log holds which quantity.
///
/// Defaults: loss `loss`, step `step`, learning rate `lr`, N `N`, D `D`, C `C`, U `U`, and no run
/// column (the whole file is one run named after the file). A `nil` name means the quantity is not
/// read. Mapped columns may be absent from a file unless the reader is told they are required;
/// every other numeric column is kept in ``Observation/extra`` under its header name.
public struct ColumnMapping: Sendable, Hashable {
    /// Column of the loss (`--loss`).
    public var loss: String?
    /// Column of the optimiser step (`--step`).
    public var step: String?
    /// Column of the learning rate (`--lr`).
    public var learningRate: String?
    /// Column of the model size N (`--params`).
    public var parameters: String?
    /// Column of the training tokens D (`--tokens`).
    public var tokens: String?
    /// Column of the training compute C (`--compute`).
    public var compute: String?
    /// Column of the unique tokens U (`--unique-tokens`).
    public var uniqueTokens: String?
    /// Column naming the run of each row (`--run`); `nil`: one run per file.
    public var run: String?

    /// A mapping with the given column names; `nil` leaves a quantity unread.
    public init(
        loss: String? = "loss", step: String? = "step", learningRate: String? = "lr",
        parameters: String? = "N", tokens: String? = "D", compute: String? = "C",
        uniqueTokens: String? = "U", run: String? = nil
    ) {
        self.loss = loss
        self.step = step
        self.learningRate = learningRate
        self.parameters = parameters
        self.tokens = tokens
        self.compute = compute
        self.uniqueTokens = uniqueTokens
        self.run = run
    }

    /// The column name mapped to `field`, if any.
    public func column(for field: LogField) -> String? {
        switch field {
        case .loss: loss
        case .step: step
        case .learningRate: learningRate
        case .parameters: parameters
        case .tokens: tokens
        case .compute: compute
        case .uniqueTokens: uniqueTokens
        case .run: run
        }
    }

    /// Maps `field` to the column `name` (`nil`: not read).
    public mutating func set(_ name: String?, for field: LogField) {
        switch field {
        case .loss: loss = name
        case .step: step = name
        case .learningRate: learningRate = name
        case .parameters: parameters = name
        case .tokens: tokens = name
        case .compute: compute = name
        case .uniqueTokens: uniqueTokens = name
        case .run: run = name
        }
    }

    /// The field a column name is mapped to, if any.
    public func field(forColumn name: String) -> LogField? {
        LogField.allCases.first { column(for: $0) == name }
    }

    /// Checks that no column is mapped to two fields.
    ///
    /// - Throws: ``LawfitError`` (input) naming the column and both flags.
    public func validate() throws {
        var seen: [String: LogField] = [:]
        for field in LogField.allCases {
            guard let name = column(for: field) else { continue }
            if let other = seen[name] {
                throw LawfitError.input("column '\(name)' is mapped twice, by \(other.flag) and \(field.flag)")
            }
            seen[name] = field
        }
    }
}
