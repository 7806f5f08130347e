import Foundation

/// Reads comma-separated values as specified by RFC 4180 into a ``DataTable``.
///
/// The first non-blank record is the header (names trimmed of surrounding spaces; names with inner
/// spaces such as `Model Size` are fine). Fields may be quoted; quoted fields may hold commas,
/// doubled quotes (`""`) and line breaks. Records end with LF, CRLF or a lone CR. A leading UTF-8
/// byte-order mark is skipped, and empty lines are skipped (they hold no row). Everything else that
/// RFC 4180 forbids is an error naming the file, line and column: invalid UTF-8, a quote inside an
/// unquoted field, text after a closing quote, an unterminated quote, a row whose field count differs
/// from the header's, duplicate header names, a file with no header or no rows.
///
/// One pass over the bytes, linear in the file size.
public enum CSVReader {
    /// Parses `data`; `file` names the source in error messages.
    ///
    /// - Parameter textColumns: `nil` keeps every cell as text; otherwise the named columns keep
    ///   their text and every other column stores numbers compactly (see ``DataTable``).
    public static func read(_ data: Data, file: String, textColumns: Set<String>? = nil) throws -> DataTable {
        try data.withUnsafeBytes { raw in
            var parser = CSVParser(bytes: raw.bindMemory(to: UInt8.self), file: file, textColumns: textColumns)
            return try parser.parse()
        }
    }

    /// Reads and parses the file at `url`.
    public static func read(contentsOf url: URL) throws -> DataTable {
        try read(readFile(url), file: url.relativePath)
    }

    /// The contents of `url`, or an input error naming it and saying what it is (``InputFile``).
    static func readFile(_ url: URL) throws -> Data {
        try InputFile.read(url)
    }
}

/// The byte-level state machine behind ``CSVReader``.
private struct CSVParser {
    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""),
        lineFeed = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    let textColumns: Set<String>?
    /// Offset of the first invalid UTF-8 byte, found once up front; the field containing it throws.
    let invalidUTF8Offset: Int?
    var index = 0
    var line = 1
    var header: [String]?

    init(bytes: UnsafeBufferPointer<UInt8>, file: String, textColumns: Set<String>?) {
        self.bytes = bytes
        self.file = file
        self.textColumns = textColumns
        self.invalidUTF8Offset = UTF8Validation.firstInvalidOffset(in: bytes)
    }

    mutating func parse() throws -> DataTable {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        var headerLine = 1
        var names: [String]?
        while index < bytes.count, names == nil {
            headerLine = line
            if let fields = try nextRecord() { names = try validatedHeader(fields, line: headerLine) }
        }
        guard let names else {
            throw LawfitError.input("file is empty (no header, no rows)", at: SourceLocation(file: file, line: 1))
        }
        header = names
        var builder = textColumns.map { DataTableBuilder(columns: names, textColumnNames: $0) }
            ?? DataTableBuilder(columns: names, textColumns: Set(names.indices))
        // At most one row per line break: reserved once, so that a long log's columns are not
        // copied as they grow.
        builder.reserveRows(lineBreaks(from: index) + 1)
        while index < bytes.count { try readRow(into: &builder, columns: names.count) }
        if builder.rowCount == 0 {
            throw LawfitError.input("file has a header but no data rows", at: SourceLocation(file: file, line: headerLine))
        }
        builder.finish()
        return DataTable(file: file, columns: names, headerLine: headerLine, builder: builder)
    }

    /// The number of LF and lone CR bytes from `start` on (memchr over the LFs; CRs only where the
    /// file has any).
    private func lineBreaks(from start: Int) -> Int {
        guard let base = bytes.baseAddress, start < bytes.count else { return 0 }
        var count = 0, position = start
        while position < bytes.count, let found = memchr(base + position, Int32(Self.lineFeed), bytes.count - position) {
            count += 1
            position = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found)) + 1
        }
        if memchr(base + start, Int32(Self.carriageReturn), bytes.count - start) != nil {
            count += bytes[start...].indices.filter { bytes[$0] == Self.carriageReturn && ($0 + 1 == bytes.count || bytes[$0 + 1] != Self.lineFeed) }.count
        }
        return count
    }

    /// Reads the next data record straight into `builder`, unquoted fields as bytes (a numeric
    /// column parses them without a String per field), or skips an empty line.
    ///
    /// - Throws: as ``nextRecord()``, and when the record's field count is not `columns`.
    private mutating func readRow(into builder: inout DataTableBuilder, columns: Int) throws {
        let recordLine = line
        if bytes[index] == Self.lineFeed || bytes[index] == Self.carriageReturn {
            consumeLineBreak()
            return
        }
        builder.beginRow(line: recordLine)
        var count = 0
        while true {
            if index < bytes.count && bytes[index] == Self.quote {
                let field = try quotedField(number: count)
                if count < columns { builder.set(field.isEmpty ? .empty : .text(field), column: count) }
            } else {
                let range = try unquotedRange(number: count)
                if count < columns { builder.set(UnsafeBufferPointer(rebasing: bytes[range]), column: count) }
            }
            count += 1
            guard index < bytes.count else { break }
            if bytes[index] == Self.comma {
                index += 1
            } else if bytes[index] == Self.lineFeed || bytes[index] == Self.carriageReturn {
                consumeLineBreak()
                break
            } else {
                throw error("unexpected text after a closing quote (a quoted field must end at a comma or line end)", field: count - 1)
            }
        }
        if count != columns {
            throw LawfitError.input(
                "row has \(count) fields but the header has \(columns)",
                at: SourceLocation(file: file, line: recordLine, column: count > columns ? "field \(columns + 1)" : header![count]))
        }
    }

    private func validatedHeader(_ fields: [String], line: Int) throws -> [String] {
        let names = fields.map { String($0.trimmingSpacesAndTabs) }
        var seen = Set<String>()
        for name in names where !name.isEmpty {
            if !seen.insert(name).inserted {
                throw LawfitError.input("duplicate column name in header", at: SourceLocation(file: file, line: line, column: name))
            }
        }
        return names
    }

    /// The column name of field `number` (0-based) for messages.
    private func columnName(_ number: Int) -> String {
        if let header, number < header.count, !header[number].isEmpty { return header[number] }
        return "field \(number + 1)"
    }

    private func error(_ message: String, line: Int? = nil, field: Int) -> LawfitError {
        LawfitError.input(message, at: SourceLocation(file: file, line: line ?? self.line, column: columnName(field)))
    }

    /// The fields of the next record, or `nil` for an empty line.
    private mutating func nextRecord() throws -> [String]? {
        if bytes[index] == Self.lineFeed || bytes[index] == Self.carriageReturn {
            consumeLineBreak()
            return nil
        }
        var fields: [String] = []
        while true {
            let field = try index < bytes.count && bytes[index] == Self.quote
                ? quotedField(number: fields.count) : unquotedField(number: fields.count)
            fields.append(field)
            guard index < bytes.count else { return fields }
            switch bytes[index] {
            case Self.comma:
                index += 1
            case Self.lineFeed, Self.carriageReturn:
                consumeLineBreak()
                return fields
            default:
                throw error("unexpected text after a closing quote (a quoted field must end at a comma or line end)", field: fields.count - 1)
            }
        }
    }

    /// Consumes LF, CRLF or a lone CR at `index` and counts the line.
    private mutating func consumeLineBreak() {
        if bytes[index] == Self.carriageReturn, index + 1 < bytes.count, bytes[index + 1] == Self.lineFeed { index += 1 }
        index += 1
        line += 1
    }

    private mutating func unquotedField(number: Int) throws -> String {
        String(decoding: bytes[try unquotedRange(number: number)], as: UTF8.self)
    }

    /// The bytes of the unquoted field at `index`, which is moved past them.
    private mutating func unquotedRange(number: Int) throws -> Range<Int> {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.comma || byte == Self.lineFeed || byte == Self.carriageReturn { break }
            if byte == Self.quote {
                throw error("quote inside an unquoted field (quote the whole field and double inner quotes)", field: number)
            }
            index += 1
        }
        try checkUTF8(start..<index, line: line, field: number)
        return start..<index
    }

    private mutating func quotedField(number: Int) throws -> String {
        let startLine = line
        let start = index
        index += 1
        var content: [UInt8] = []
        var segmentStart = index
        while true {
            guard index < bytes.count else {
                throw error("quoted field is never closed", line: startLine, field: number)
            }
            let byte = bytes[index]
            if byte == Self.quote {
                content.append(contentsOf: bytes[segmentStart..<index])
                if index + 1 < bytes.count, bytes[index + 1] == Self.quote {
                    content.append(Self.quote)
                    index += 2
                    segmentStart = index
                    continue
                }
                index += 1
                break
            }
            if byte == Self.lineFeed
                || (byte == Self.carriageReturn && !(index + 1 < bytes.count && bytes[index + 1] == Self.lineFeed)) {
                line += 1
            }
            index += 1
        }
        try checkUTF8(start..<index, line: startLine, field: number)
        return String(decoding: content, as: UTF8.self)
    }

    private func checkUTF8(_ range: Range<Int>, line: Int, field: Int) throws {
        guard let bad = invalidUTF8Offset, range.contains(bad) else { return }
        throw error(
            "invalid UTF-8 (byte offset \(bad): \(UTF8Validation.describe(bytes, at: bad))); save the file as UTF-8",
            line: line, field: field)
    }
}
