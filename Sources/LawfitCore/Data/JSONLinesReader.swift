import Foundation

/// Reads JSON Lines (one JSON object per line) into a ``DataTable``.
///
/// Columns are the keys in order of first appearance (keys new on a line are taken in the line's
/// order). Numbers become ``DataCell/number(_:)``, strings ``DataCell/text(_:)`` (so numeric strings
/// such as `"3.5"` read as numbers later), `null` and missing keys ``DataCell/empty``; booleans,
/// arrays and objects become text, which a numeric column rejects. Blank lines are skipped; CRLF and
/// a leading byte-order mark are accepted.
///
/// The grammar is RFC 8259's, strictly: a duplicate key in an object, a trailing comma, a leading
/// `+`, leading zeros, hexadecimal, `NaN`, single quotes and comments are errors, as are invalid
/// UTF-8, a line that is not an object, a number that overflows or underflows a Double, and a
/// file with no objects. Errors name the file, the line, the key where there is one, and the
/// character of the line where the problem is.
public enum JSONLinesReader {
    /// Parses `data`; `file` names the source in error messages.
    ///
    /// - Parameter textColumns: `nil` keeps every cell as it is; otherwise the named columns keep
    ///   their cells and every other column stores numbers compactly (see ``DataTable``).
    public static func read(_ data: Data, file: String, textColumns: Set<String>? = nil) throws -> DataTable {
        try data.withUnsafeBytes { raw in
            try read(raw.bindMemory(to: UInt8.self), file: file, textColumns: textColumns)
        }
    }

    /// Reads and parses the file at `url`.
    public static func read(contentsOf url: URL) throws -> DataTable {
        try read(CSVReader.readFile(url), file: url.relativePath)
    }

    private static func read(_ bytes: UnsafeBufferPointer<UInt8>, file: String, textColumns: Set<String>?) throws -> DataTable {
        var columns: [String] = []
        var columnIndex: [String: Int] = [:]
        var builder = DataTableBuilder(columns: [], textColumnNames: textColumns ?? [])
        var firstLine: Int?
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        while start < bytes.count {
            let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            var end = newline
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            if bytes[start..<end].contains(where: { !JSONLineParser.isWhitespace($0) }) {
                if let bad = UTF8Validation.firstInvalidOffset(in: bytes, range: start..<end) {
                    throw LawfitError.input(
                        "invalid UTF-8 (byte \(bad - start + 1) of the line: \(UTF8Validation.describe(bytes, at: bad))); save the file as UTF-8",
                        at: SourceLocation(file: file, line: line))
                }
                var parser = JSONLineParser(bytes: bytes, range: start..<end, file: file, line: line)
                let members = try parser.parseObject()
                builder.beginRow(line: line)
                firstLine = firstLine ?? line
                for (key, cell) in members {
                    let index: Int
                    if let known = columnIndex[key] {
                        index = known
                    } else {
                        index = columns.count
                        columnIndex[key] = index
                        columns.append(key)
                        if textColumns == nil { builder.addColumn(key, keepsCells: true) } else { builder.addColumn(key) }
                    }
                    builder.set(cell, column: index)
                }
            }
            start = newline + 1
            line += 1
        }
        guard let firstLine else {
            throw LawfitError.input("file is empty (no JSON objects)", at: SourceLocation(file: file, line: 1))
        }
        builder.finish()
        return DataTable(file: file, columns: columns, headerLine: firstLine, builder: builder)
    }
}

/// A strict RFC 8259 parser for one line holding one object, whose members become cells.
private struct JSONLineParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let range: Range<Int>
    let file: String
    let line: Int
    var index: Int

    init(bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, file: String, line: Int) {
        self.bytes = bytes
        self.range = range
        self.file = file
        self.line = line
        self.index = range.lowerBound
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// An input error at the current character (1-based within the line); grammar errors say
    /// "invalid JSON", value errors (overflow, underflow) do not.
    private func error(_ message: String, key: String? = nil, at position: Int? = nil, grammar: Bool = true) -> LawfitError {
        let character = (position ?? index) - range.lowerBound + 1
        return LawfitError.input(
            "\(grammar ? "invalid JSON: " : "")\(message) (character \(character) of the line)", at: SourceLocation(file: file, line: line, column: key))
    }

    private var current: UInt8? { index < range.upperBound ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, Self.isWhitespace(byte) { index += 1 }
    }

    private func describeCurrent() -> String {
        guard let byte = current else { return "the end of the line" }
        return byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    /// The object's members in order. - Throws: for anything but exactly one object.
    mutating func parseObject() throws -> [(String, DataCell)] {
        skipWhitespace()
        guard current == UInt8(ascii: "{") else {
            let found = current == UInt8(ascii: "[") ? "an array" : describeCurrent()
            throw error("expected a JSON object on each line, found \(found)", grammar: false)
        }
        index += 1
        var members: [(String, DataCell)] = []
        var seen: [String: Int] = [:]
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else {
                    if current == UInt8(ascii: "}"), !members.isEmpty {
                        throw error("trailing comma before '}' (JSON allows none)")
                    }
                    throw error("expected a key in double quotes, found \(describeCurrent())")
                }
                let keyStart = index
                let key = try parseString()
                if let first = seen[key] {
                    throw error("duplicate key '\(key)' (first at character \(first - range.lowerBound + 1)); each key may appear once", key: key, at: keyStart)
                }
                seen[key] = keyStart
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw error("expected ':' after the key, found \(describeCurrent())", key: key) }
                index += 1
                skipWhitespace()
                members.append((key, try parseValue(key: key)))
                skipWhitespace()
                if current == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard current == UInt8(ascii: "}") else { throw error("expected ',' or '}', found \(describeCurrent())", key: key) }
                index += 1
                break
            }
        }
        skipWhitespace()
        guard current == nil else { throw error("text after the object: \(describeCurrent())") }
        return members
    }

    private mutating func parseValue(key: String) throws -> DataCell {
        guard let byte = current else { throw error("expected a value, found the end of the line", key: key) }
        switch byte {
        case UInt8(ascii: "\""):
            let text = try parseString()
            return text.isEmpty ? .empty : .text(text)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber(key: key))
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            for (word, cell) in [("true", DataCell.text("true")), ("false", .text("false")), ("null", .empty)] where matches(word) {
                index += word.utf8.count
                return cell
            }
            throw error("invalid literal (JSON has true, false and null)", key: key)
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            let start = index
            try skipNested(key: key)
            return .text(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
        default:
            throw error("expected a value, found \(describeCurrent())", key: key)
        }
    }

    private func matches(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        guard index + utf8.count <= range.upperBound else { return false }
        return bytes[index..<(index + utf8.count)].elementsEqual(utf8)
    }

    /// A JSON number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func parseNumber(key: String) throws -> Double {
        let start = index
        func digits() -> Int {
            var count = 0
            while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1; count += 1 }
            return count
        }
        if current == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        guard digits() > 0 else { throw error("invalid number: a digit must follow '-'", key: key) }
        if index - integerStart > 1, bytes[integerStart] == UInt8(ascii: "0") {
            throw error("invalid number: leading zeros are not allowed", key: key, at: integerStart)
        }
        if current == UInt8(ascii: "x") || current == UInt8(ascii: "X") {
            throw error("invalid number: hexadecimal is not JSON", key: key, at: start)
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw error("invalid number: a digit must follow '.'", key: key) }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw error("invalid number: the exponent has no digits", key: key) }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        switch DataCell.parseNumber(text) {
        case .value(let value): return value
        case .overflow: throw error("'\(text)' overflows a Double (largest is about 1.8e308)", key: key, at: start, grammar: false)
        case .underflow: throw error("'\(text)' underflows a Double (smallest is about 4.9e-324) and would read as 0", key: key, at: start, grammar: false)
        case .empty, .notNumeric: throw error("invalid number '\(text)'", key: key, at: start)
        }
    }

    /// A JSON string at `index` (which is a quote), unescaped.
    private mutating func parseString() throws -> String {
        let open = index
        index += 1
        var content: [UInt8] = []
        var segment = index
        while true {
            guard let byte = current else { throw error("string is never closed", at: open) }
            if byte == UInt8(ascii: "\"") {
                content.append(contentsOf: bytes[segment..<index])
                index += 1
                return String(decoding: content, as: UTF8.self)
            }
            if byte < 0x20 { throw error("control character in a string (escape it)") }
            guard byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            content.append(contentsOf: bytes[segment..<index])
            index += 1
            guard let escape = current else { throw error("string is never closed", at: open) }
            index += 1
            switch escape {
            case UInt8(ascii: "\""): content.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): content.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): content.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): content.append(0x08)
            case UInt8(ascii: "f"): content.append(0x0C)
            case UInt8(ascii: "n"): content.append(0x0A)
            case UInt8(ascii: "r"): content.append(0x0D)
            case UInt8(ascii: "t"): content.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hexQuad()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard matches("\\u") else { throw error("unpaired surrogate in \\u escape") }
                    index += 2
                    let low = try hexQuad()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw error("unpaired surrogate in \\u escape")
                }
                content.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
            default:
                throw error("invalid escape '\\\(Character(Unicode.Scalar(escape)))' in a string")
            }
            segment = index
        }
    }

    private mutating func hexQuad() throws -> UInt32 {
        guard index + 4 <= range.upperBound else { throw error("\\u needs four hexadecimal digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Character(Unicode.Scalar(bytes[index])).hexDigitValue else { throw error("\\u needs four hexadecimal digits") }
            value = value * 16 + UInt32(digit)
            index += 1
        }
        return value
    }

    /// Skips a nested array or object (kept as text), checking that brackets and strings close.
    private mutating func skipNested(key: String) throws {
        var depth: [UInt8] = []
        repeat {
            guard let byte = current else { throw error("array or object is never closed", key: key) }
            switch byte {
            case UInt8(ascii: "\""):
                _ = try parseString()
                continue
            case UInt8(ascii: "["): depth.append(UInt8(ascii: "]"))
            case UInt8(ascii: "{"): depth.append(UInt8(ascii: "}"))
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                guard depth.last == byte else { throw error("mismatched '\(Character(Unicode.Scalar(byte)))'", key: key) }
                depth.removeLast()
            default: break
            }
            index += 1
        } while !depth.isEmpty
    }
}
