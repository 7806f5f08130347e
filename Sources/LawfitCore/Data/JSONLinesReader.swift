import Foundation

/// Reads JSON Lines (one JSON object per line) into a ``DataTable``.
///
/// Columns are the keys in order of first appearance (keys new on a line are sorted by name).
/// Numbers become ``DataCell/number(_:)``, strings ``DataCell/text(_:)`` (so numeric strings such as
/// `"3.5"` read as numbers later), `null` and missing keys ``DataCell/empty``; booleans, arrays and
/// objects become text, which a numeric column rejects. Blank lines are skipped; CRLF and a leading
/// byte-order mark are accepted. Invalid UTF-8, invalid JSON, a line that is not an object, and a
/// file with no objects are errors naming the file and line.
public enum JSONLinesReader {
    /// Parses `data`; `file` names the source in error messages.
    public static func read(_ data: Data, file: String) throws -> DataTable {
        let bytes = [UInt8](data)
        var columns: [String] = []
        var columnIndex: [String: Int] = [:]
        var records: [DataRecord] = []
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        while start < bytes.count {
            let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            var end = newline
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            if bytes[start..<end].contains(where: { !isJSONWhitespace($0) }) {
                let object = try parseObject(bytes, start..<end, file: file, line: line)
                var cells = [DataCell](repeating: .empty, count: columns.count)
                for key in object.keys.sorted() {
                    let index: Int
                    if let known = columnIndex[key] {
                        index = known
                    } else {
                        index = columns.count
                        columnIndex[key] = index
                        columns.append(key)
                        cells.append(.empty)
                    }
                    cells[index] = cell(object[key]!)
                }
                records.append(DataRecord(line: line, cells: cells))
            }
            start = newline + 1
            line += 1
        }
        guard let first = records.first else {
            throw LawfitError.input("file is empty (no JSON objects)", at: SourceLocation(file: file, line: 1))
        }
        for index in records.indices where records[index].cells.count < columns.count {
            records[index].cells.append(contentsOf: repeatElement(.empty, count: columns.count - records[index].cells.count))
        }
        return DataTable(file: file, columns: columns, headerLine: first.line, records: records)
    }

    /// Reads and parses the file at `url`.
    public static func read(contentsOf url: URL) throws -> DataTable {
        try read(CSVReader.readFile(url), file: url.relativePath)
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func parseObject(_ bytes: [UInt8], _ range: Range<Int>, file: String, line: Int) throws -> [String: Any] {
        let location = SourceLocation(file: file, line: line)
        if let bad = UTF8Validation.firstInvalidOffset(in: bytes, range: range) {
            throw LawfitError.input(
                "invalid UTF-8 (byte \(bad - range.lowerBound + 1) of the line: \(UTF8Validation.describe(bytes, at: bad))); save the file as UTF-8",
                at: location)
        }
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(bytes[range]), options: [.fragmentsAllowed])
        } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            let message = reason.contains("not representable")
                ? "a number overflows a Double (\(reason))" : "invalid JSON (\(reason))"
            throw LawfitError.input(message, at: location)
        }
        guard let object = value as? [String: Any] else {
            throw LawfitError.input("expected a JSON object on each line, found \(type(of: value))", at: location)
        }
        return object
    }

    /// The class JSONSerialization uses for `true`/`false`, which also bridge to NSNumber.
    private static let booleanClass = ObjectIdentifier(type(of: NSNumber(value: true)))

    private static func cell(_ value: Any) -> DataCell {
        switch value {
        case is NSNull:
            return .empty
        case let text as String:
            return text.isEmpty ? .empty : .text(text)
        case let decimal as NSDecimalNumber:
            // Parse the decimal text: NSDecimalNumber.doubleValue is not correctly rounded.
            return Double(decimal.stringValue).map(DataCell.number) ?? .number(decimal.doubleValue)
        case let number as NSNumber:
            if ObjectIdentifier(type(of: number)) == booleanClass { return .text(number.boolValue ? "true" : "false") }
            return .number(number.doubleValue)
        default:
            return .text("\(value)")
        }
    }
}
