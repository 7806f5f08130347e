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
        /// Text that is not a decimal number (hexadecimal such as `0x5` included).
        case notNumeric
        /// A finite-looking number too large for a Double (e.g. `1e999`).
        case overflow
        /// A non-zero number too small for a Double, which would read as 0 (e.g. `1e-400`).
        case underflow
    }

    /// The cell read as a number. Surrounding spaces and tabs are ignored.
    public var numericValue: Numeric {
        switch self {
        case .empty: return .empty
        case .number(let value): return .value(value)
        case .text(let text): return DataCell.parseNumber(text)
        }
    }

    /// Parses decimal text as a Double: `[+-] digits [. digits] [e [+-] digits]` (digits on at least
    /// one side of the point), or `nan`, `inf`, `infinity` in any case with an optional sign.
    /// Hexadecimal (`0x5`, `0x1.8p1`), which Swift's `Double(_:)` accepts, is not a number here.
    /// Tells overflow (`1e999`) from a spelled-out infinity and underflow (`1e-400`) from zero.
    static func parseNumber(_ text: String) -> Numeric {
        let trimmed = text.trimmingSpacesAndTabs
        if trimmed.isEmpty { return .empty }
        guard let shape = DecimalShape(trimmed.utf8) else { return .notNumeric }
        guard let value = Double(trimmed) else { return .notNumeric }
        if shape == .special { return .value(value) }
        if value.isInfinite { return .overflow }
        if value == 0, shape == .nonZero { return .underflow }
        return .value(value)
    }

    /// The value of decimal text `[+-] digits [. digits] [e [+-] digits]` without surrounding
    /// spaces, when its significand has at most 19 digits below 2^53 and its power of ten lies in
    /// -22...22: then the significand and the power are exact doubles and one correctly rounded
    /// multiplication or division gives the correctly rounded value (Clinger, "How to read floating
    /// point numbers accurately", PLDI 1990), the same double as `Double(String)`'s strtod. Nil for
    /// everything else (other text, longer significands, larger exponents), which callers read
    /// through ``parseNumber(_:)``.
    static func exactDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = bytes.count
        var i = 0
        let negative = n > 0 && bytes[0] == UInt8(ascii: "-")
        if n > 0, negative || bytes[0] == UInt8(ascii: "+") { i = 1 }
        var significand: UInt64 = 0, digits = 0, sawDigit = false, exponent = 0
        func digit(_ k: Int) -> UInt64? {
            let d = bytes[k] &- UInt8(ascii: "0")
            return d < 10 ? UInt64(d) : nil
        }
        func take(_ d: UInt64) -> Bool {
            sawDigit = true
            if significand == 0, d == 0 { return true }
            guard digits < 19 else { return false }
            significand = significand * 10 + d
            digits += 1
            return true
        }
        while i < n, let d = digit(i) {
            guard take(d) else { return nil }
            i += 1
        }
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, let d = digit(i) {
                guard take(d) else { return nil }
                exponent -= 1
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < n, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            let negativeExponent = i < n && bytes[i] == UInt8(ascii: "-")
            if i < n, negativeExponent || bytes[i] == UInt8(ascii: "+") { i += 1 }
            var power = 0, powerDigits = 0
            while i < n, let d = digit(i) {
                if power < 10_000 { power = power * 10 + Int(d) }
                powerDigits += 1
                i += 1
            }
            guard powerDigits > 0 else { return nil }
            exponent += negativeExponent ? -power : power
        }
        guard i == n, significand <= 1 << 53 else { return nil }
        let magnitude: Double
        if significand == 0 {
            magnitude = 0
        } else if exponent >= 0, exponent <= 22 {
            magnitude = Double(significand) * exactPowersOfTen[exponent]
        } else if exponent < 0, exponent >= -22 {
            magnitude = Double(significand) / exactPowersOfTen[-exponent]
        } else {
            return nil
        }
        return negative ? -magnitude : magnitude
    }

    /// 10^0 ... 10^22, every one an exact double.
    private static let exactPowersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { power, _ in power * 10 } }

    /// What the decimal grammar says about a number's text.
    private enum DecimalShape {
        /// `nan`, `inf` or `infinity`.
        case special
        /// A decimal whose digits are all zero.
        case zero
        /// A decimal with a non-zero digit before the exponent.
        case nonZero

        /// The shape of `bytes`, or `nil` when they are not a decimal number.
        init?(_ bytes: Substring.UTF8View) {
            var index = bytes.startIndex
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index = bytes.index(after: index) }
            if index < bytes.endIndex, (bytes[index] | 0x20) == UInt8(ascii: "n") || (bytes[index] | 0x20) == UInt8(ascii: "i") {
                let word = String(decoding: bytes[index...], as: UTF8.self).lowercased()
                guard word == "nan" || word == "inf" || word == "infinity" else { return nil }
                self = .special
                return
            }
            var digits = 0, nonZero = false, sawPoint = false
            while index < bytes.endIndex {
                let byte = bytes[index]
                if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                    digits += 1
                    if byte != UInt8(ascii: "0") { nonZero = true }
                } else if byte == UInt8(ascii: "."), !sawPoint {
                    sawPoint = true
                } else {
                    break
                }
                index = bytes.index(after: index)
            }
            guard digits > 0 else { return nil }
            if index < bytes.endIndex {
                guard bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") else { return nil }
                index = bytes.index(after: index)
                if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index = bytes.index(after: index) }
                var exponentDigits = 0
                while index < bytes.endIndex, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                    exponentDigits += 1
                    index = bytes.index(after: index)
                }
                guard exponentDigits > 0, index == bytes.endIndex else { return nil }
            }
            self = nonZero ? .nonZero : .zero
        }
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
///
/// Storage is by column: a column whose cells are numbers keeps one `Double` per row (about
/// 8 bytes a cell) and only its non-numeric cells as text, so a long numeric log costs about
/// 8 bytes per cell plus 4 per row for the line. ``records`` rebuilds rows for callers that want them.
public struct DataTable: Sendable {
    /// The file the table was read from, as given (for error messages).
    public var file: String
    /// Column names: the CSV header, or the keys of a JSON Lines file in order of first appearance.
    public var columns: [String]
    /// The line of the header (CSV) or of the first object (JSON Lines).
    public var headerLine: Int
    /// The 1-based line each row starts on.
    private var lines: [Int32]
    /// One column store per column.
    private var stores: [DataColumnStore]

    /// A table; every record must have `columns.count` cells (``TrainingLogReader`` refuses a
    /// table where one does not, naming the first such record in ``raggedRecord``).
    public init(file: String, columns: [String], headerLine: Int, records: [DataRecord]) {
        var builder = DataTableBuilder(columns: columns, textColumns: Set(columns.indices))
        for record in records {
            builder.beginRow(line: record.line)
            for (index, cell) in record.cells.enumerated() where index < columns.count { builder.set(cell, column: index) }
        }
        builder.finish()
        self.init(file: file, columns: columns, headerLine: headerLine, builder: builder)
        if let ragged = records.first(where: { $0.cells.count != columns.count }) {
            raggedRecord = (ragged.line, ragged.cells.count)
        }
    }

    /// The line and cell count of the first record given to ``init(file:columns:headerLine:records:)``
    /// with a cell count other than `columns.count`; the readers never make such a table.
    public private(set) var raggedRecord: (line: Int, cells: Int)?

    init(file: String, columns: [String], headerLine: Int, builder: DataTableBuilder) {
        self.file = file
        self.columns = columns
        self.headerLine = headerLine
        self.lines = builder.lines
        self.stores = builder.stores
    }

    /// The number of rows.
    public var rowCount: Int { lines.count }

    /// The 1-based line where row `row` starts.
    public func line(ofRow row: Int) -> Int { Int(lines[row]) }

    /// The cell at `row` and `column`; `.empty` past a row's last cell.
    public func cell(row: Int, column: Int) -> DataCell { stores[column].cell(row) }

    /// The cell at `row` and `column` read as a number (see ``DataCell/numericValue``).
    public func numericValue(row: Int, column: Int) -> DataCell.Numeric { stores[column].numericValue(row) }

    /// The rows, rebuilt from the column stores (convenient, not compact).
    public var records: [DataRecord] {
        (0..<rowCount).map { row in DataRecord(line: line(ofRow: row), cells: columns.indices.map { cell(row: row, column: $0) }) }
    }

    /// The index of a column by name.
    public func columnIndex(_ name: String) -> Int? {
        columns.firstIndex(of: name)
    }
}

/// The cells of one column: numbers as `Double` (with two NaN payloads marking empty and text
/// cells), text cells in a side table, or every cell kept as a ``DataCell`` for text columns.
struct DataColumnStore: Sendable {
    /// Marks an empty cell among `numbers` (a NaN payload no arithmetic produces).
    static let emptyBits: UInt64 = 0x7FF8_0000_0000_E0E0
    /// Marks a cell whose text is in `texts`.
    static let textBits: UInt64 = 0x7FF8_0000_0000_7E77

    /// Whether the column keeps every cell as a ``DataCell`` (text columns such as run names).
    let keepsCells: Bool
    var numbers: [Double] = []
    var texts: [Int: String] = [:]
    var cells: [DataCell] = []

    init(keepsCells: Bool) { self.keepsCells = keepsCells }

    var count: Int { keepsCells ? cells.count : numbers.count }

    /// Stores `cell` at `row`, padding skipped rows with empty cells.
    mutating func set(_ cell: DataCell, row: Int) {
        if keepsCells {
            if cells.count <= row { cells.append(contentsOf: repeatElement(.empty, count: row + 1 - cells.count)) }
            cells[row] = cell
            return
        }
        if numbers.count <= row {
            numbers.append(contentsOf: repeatElement(Double(bitPattern: Self.emptyBits), count: row + 1 - numbers.count))
        }
        switch cell {
        case .empty:
            numbers[row] = Double(bitPattern: Self.emptyBits)
        case .number(let value):
            numbers[row] = value
        case .text(let text):
            if case .value(let value) = DataCell.parseNumber(text) {
                numbers[row] = value
            } else if text.trimmingSpacesAndTabs.isEmpty {
                numbers[row] = Double(bitPattern: Self.emptyBits)
            } else {
                numbers[row] = Double(bitPattern: Self.textBits)
                texts[row] = text
            }
        }
    }

    /// Stores an unquoted CSV field at `row` from its bytes: a decimal that ``DataCell/exactDecimal(_:)``
    /// reads directly, else as ``set(_:row:)`` stores the field's text.
    mutating func set(_ bytes: UnsafeBufferPointer<UInt8>, row: Int) {
        if !keepsCells, numbers.count == row, let value = DataCell.exactDecimal(bytes) {
            numbers.append(value)
            return
        }
        set(bytes.isEmpty ? .empty : .text(String(decoding: bytes, as: UTF8.self)), row: row)
    }

    /// Room for `rows` rows.
    mutating func reserve(_ rows: Int) {
        if keepsCells { cells.reserveCapacity(rows) } else { numbers.reserveCapacity(rows) }
    }

    func cell(_ row: Int) -> DataCell {
        if keepsCells { return row < cells.count ? cells[row] : .empty }
        guard row < numbers.count else { return .empty }
        let value = numbers[row]
        if value.isNaN {
            if value.bitPattern == Self.emptyBits { return .empty }
            if value.bitPattern == Self.textBits { return .text(texts[row] ?? "") }
        }
        return .number(value)
    }

    func numericValue(_ row: Int) -> DataCell.Numeric {
        if keepsCells { return cell(row).numericValue }
        guard row < numbers.count else { return .empty }
        let value = numbers[row]
        if value.isNaN {
            if value.bitPattern == Self.emptyBits { return .empty }
            if value.bitPattern == Self.textBits { return DataCell.parseNumber(texts[row] ?? "") }
        }
        return .value(value)
    }
}

/// Builds a ``DataTable`` row by row, straight into column stores (the readers' path).
struct DataTableBuilder {
    private(set) var lines: [Int32] = []
    private(set) var stores: [DataColumnStore]
    private let textColumnNames: Set<String>

    /// - Parameters:
    ///   - columns: the names known so far (JSON Lines adds more with ``addColumn(_:)``).
    ///   - textColumns: indices of columns whose cells are kept as they are (all others are stored
    ///     as numbers where they parse, text otherwise).
    init(columns: [String], textColumns: Set<Int> = [], textColumnNames: Set<String> = []) {
        self.textColumnNames = textColumnNames
        self.stores = columns.indices.map { DataColumnStore(keepsCells: textColumns.contains($0) || textColumnNames.contains(columns[$0])) }
    }

    var rowCount: Int { lines.count }

    /// Starts a row on `line`. - Precondition: `line` fits in 32 bits (checked by the readers).
    mutating func beginRow(line: Int) {
        lines.append(Int32(clamping: line))
    }

    /// A new column named `name`, empty in every earlier row.
    mutating func addColumn(_ name: String, keepsCells: Bool? = nil) {
        stores.append(DataColumnStore(keepsCells: keepsCells ?? textColumnNames.contains(name)))
    }

    /// Sets the current row's cell in `column`.
    mutating func set(_ cell: DataCell, column: Int) {
        stores[column].set(cell, row: lines.count - 1)
    }

    /// Sets the current row's cell in `column` from an unquoted CSV field's bytes.
    mutating func set(_ bytes: UnsafeBufferPointer<UInt8>, column: Int) {
        stores[column].set(bytes, row: lines.count - 1)
    }

    /// Room for `rows` rows in the lines and every column.
    mutating func reserveRows(_ rows: Int) {
        lines.reserveCapacity(rows)
        for index in stores.indices { stores[index].reserve(rows) }
    }

    /// Pads every column to the row count, so that stores and lines agree.
    mutating func finish() {
        for index in stores.indices where stores[index].count < lines.count {
            stores[index].set(.empty, row: lines.count - 1)
        }
    }
}

/// UTF-8 validation that says where the first bad byte is.
enum UTF8Validation {
    /// The byte offset of the first invalid UTF-8 sequence in `bytes[range]`, or `nil` when valid.
    static func firstInvalidOffset(in bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>? = nil) -> Int? {
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
    static func describe(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> String {
        let end = Swift.min(offset + 4, bytes.count)
        return bytes[offset..<end].map { byte in "0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true) }.joined(separator: " ")
    }
}
