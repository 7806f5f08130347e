/// One cell of a ``DataTable``: absent, a number (from JSON), or text (a CSV field or a JSON string).
public enum DataCell: Sendable, Hashable {
    /// An empty CSV field, a JSON `null`, or a key a JSON line lacks.
    case empty
    /// A JSON number.
    case number(Double)
    /// A CSV field or a JSON string (numeric text is parsed by ``numericValue``).
    case text(String)

    /// The result of reading a cell as a number.
    public enum Numeric: Sendable, Hashable {
        /// The cell is empty.
        case empty
        /// A number (NaN and infinity only when spelled out, e.g. `nan`, `inf`).
        case value(Double)
        /// Text that is not a number.
        case notNumeric
        /// A finite-looking number too large for a Double (e.g. `1e999`).
        case overflow
    }

    /// The cell read as a number. Surrounding spaces and tabs are ignored.
    public var numericValue: Numeric {
        switch self {
        case .empty: return .empty
        case .number(let value): return .value(value)
        case .text(let text): return DataCell.parseNumber(text)
        }
    }

    /// Parses decimal text as a Double, telling overflow (`1e999`) from a spelled-out infinity.
    static func parseNumber(_ text: String) -> Numeric {
        let trimmed = text.trimmingSpacesAndTabs
        if trimmed.isEmpty { return .empty }
        guard let value = Double(trimmed) else { return .notNumeric }
        if value.isInfinite && !trimmed.lowercased().contains("inf") { return .overflow }
        return .value(value)
    }

    /// The cell as it appeared, for messages.
    public var displayText: String {
        switch self {
        case .empty: ""
        case .number(let value): "\(value)"
        case .text(let text): text
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpacesAndTabs: Substring {
        let isSpace: (UInt8) -> Bool = { $0 == 32 || $0 == 9 }
        guard let start = utf8.firstIndex(where: { !isSpace($0) }), let last = utf8.lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[start...last]
    }
}

/// One row of a ``DataTable`` with the 1-based line of the file it starts on.
public struct DataRecord: Sendable, Hashable {
    /// The 1-based line where the row starts.
    public var line: Int
    /// One cell per column of the table, in column order.
    public var cells: [DataCell]

    /// A row starting on `line`.
    public init(line: Int, cells: [DataCell]) {
        self.line = line
        self.cells = cells
    }
}

/// A file read into named columns and rows, before any column mapping: the common output of
/// ``CSVReader`` and ``JSONLinesReader``.
public struct DataTable: Sendable, Hashable {
    /// The file the table was read from, as given (for error messages).
    public var file: String
    /// Column names: the CSV header, or the keys of a JSON Lines file in order of first appearance.
    public var columns: [String]
    /// The line of the header (CSV) or of the first object (JSON Lines).
    public var headerLine: Int
    /// The rows; each has exactly `columns.count` cells.
    public var records: [DataRecord]

    /// A table; every record must have `columns.count` cells (``TrainingLogReader`` checks).
    public init(file: String, columns: [String], headerLine: Int, records: [DataRecord]) {
        self.file = file
        self.columns = columns
        self.headerLine = headerLine
        self.records = records
    }

    /// The index of a column by name.
    public func columnIndex(_ name: String) -> Int? {
        columns.firstIndex(of: name)
    }
}

/// UTF-8 validation that says where the first bad byte is.
enum UTF8Validation {
    /// The byte offset of the first invalid UTF-8 sequence in `bytes[range]`, or `nil` when valid.
    static func firstInvalidOffset(in bytes: [UInt8], range: Range<Int>? = nil) -> Int? {
        let range = range ?? bytes.indices
        guard let firstNonASCII = bytes[range].firstIndex(where: { $0 >= 0x80 }) else { return nil }
        var iterator = bytes[firstNonASCII..<range.upperBound].makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = firstNonASCII
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// The bytes around `offset` in hex, for a message.
    static func describe(_ bytes: [UInt8], at offset: Int) -> String {
        let end = Swift.min(offset + 4, bytes.count)
        return bytes[offset..<end].map { byte in "0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true) }.joined(separator: " ")
    }
}
