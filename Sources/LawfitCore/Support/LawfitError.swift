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
        self.message = Self.bounded(message)
        self.location = location
    }

    /// The most characters of user input a message quotes (``excerpt(_:)``).
    public static let maximumExcerpt = 120
    /// The most characters a message keeps (``bounded(_:)``): long lists of names fit, a quoted
    /// 10 MB cell does not.
    public static let maximumMessage = 4_000

    /// `text` as a message quotes it: unchanged up to ``maximumExcerpt`` characters, else its first
    /// ``maximumExcerpt`` characters, an ellipsis and the full length (`1111…(10000000 characters)`),
    /// so that a huge cell, spec or path cannot make a huge message.
    public static func excerpt(_ text: String) -> String {
        var count = 0
        var end = text.startIndex
        while end < text.endIndex, count < maximumExcerpt {
            text.formIndex(after: &end)
            count += 1
        }
        guard end < text.endIndex else { return text }
        return "\(text[..<end])…(\(text.count) characters)"
    }

    /// A message cut to ``maximumMessage`` characters (keeping its start and end), the safety net
    /// behind ``excerpt(_:)`` for messages that quote input without it.
    static func bounded(_ message: String) -> String {
        guard message.utf8.count > maximumMessage else { return message }
        let characters = message.count
        guard characters > maximumMessage else { return message }
        let head = message.prefix(maximumMessage * 3 / 4), tail = message.suffix(maximumMessage / 4)
        return "\(head) …(\(characters - head.count - tail.count) characters cut)… \(tail)"
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
