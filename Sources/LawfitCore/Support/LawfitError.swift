/// Where in an input something went wrong: a file, and where known a line and a column (1-based).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: String?

    public init(file: String, line: Int? = nil, column: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let column { text += " (column '\(column)')" }
        return text
    }
}

/// The one error type Lawfit reports to users.
///
/// Every error says what kind of failure it is (bad input or a failed fit, which map to the
/// command-line exit codes 2 and 1) and, where it comes from a file, the file, line and column.
public struct LawfitError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The two classes of failure, mapped to process exit codes by the command-line tool.
    public enum Kind: Sendable, Equatable {
        /// Malformed or unusable input: a file, a spec string, an unknown name, a bad option. Exit code 2.
        case input
        /// The input was fine but a fit or a numerical method failed. Exit code 1.
        case fit

        /// The process exit code for this kind of failure.
        public var exitCode: Int32 { self == .input ? 2 : 1 }
    }

    public var kind: Kind
    public var message: String
    public var location: SourceLocation?

    public init(_ kind: Kind, _ message: String, at location: SourceLocation? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    /// Bad input, optionally located in a file.
    public static func input(_ message: String, at location: SourceLocation? = nil) -> LawfitError {
        LawfitError(.input, message, at: location)
    }

    /// A fit or numerical failure.
    public static func fit(_ message: String) -> LawfitError {
        LawfitError(.fit, message)
    }

    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }
}
