/// The syntax of a spec string, `name(value, ..., key=value, ...)`, parsed without knowing the names.
///
/// Values are numbers (`3e-4`), `step:value` pairs (`8000:9e-5`), bare words (`geometric`, `lr.csv`,
/// `1-sqrt`), quoted text (`"my file.csv"`) or a nested spec (`cosine(peak=1, total=10)`, kept as its
/// text). A token that starts like a number (a digit, sign or dot) must be a number unless it holds a
/// word of two or more letters (`1-sqrt`) or a `/` (`./a`, a path). Errors give the 1-based character position in the string.
struct SpecSyntax {
    /// One parsed argument value and the character (1-based) where it starts.
    struct Argument {
        var key: String?
        var value: SpecValue
        /// Where the argument starts (its key, if named).
        var position: Int
    }

    /// A parsed `name(arguments)`.
    struct Call {
        var name: String
        var arguments: [Argument]
    }

    /// The most calls a spec may nest (`warmup(steps=1, schedule=warmup(...))` is two): deeper specs
    /// are refused before any is built, so parsing stays linear in the text (each nested spec is
    /// parsed again by its factory, at most this many times).
    static let maximumNesting = 8
    /// The most characters a spec may have (64 KiB): far beyond any schedule written by hand (a
    /// `piecewise` or `table` with thousands of points); longer tables belong in a file (`table(path=...)`).
    static let maximumLength = 65_536

    private let text: String
    private let chars: [Character]
    /// Whether the outermost name may hold single dashes between words (a law name: `fsl-theory(...)`).
    private let dashedName: Bool
    private var index = 0
    private var depth = 0

    /// Parses the whole of `text` as one call; with `dashedName` the call's own name may be a law name
    /// such as `fsl-theory` (nested calls keep the schedule grammar). - Throws: ``LawfitError`` with the position.
    static func parse(_ text: String, dashedName: Bool = false) throws -> Call {
        guard text.utf8.count <= maximumLength else {
            throw LawfitError.input(
                "a spec may have at most \(maximumLength) bytes, this one has \(text.utf8.count); put long tables in a file: table(path=lr.csv) (spec '\(LawfitError.excerpt(text))')")
        }
        var parser = SpecSyntax(text: text, dashedName: dashedName)
        let call = try parser.call()
        parser.skipSpace()
        if parser.index < parser.chars.count {
            let rest = LawfitError.excerpt(String(parser.chars[parser.index...]))
            if parser.chars[parser.index] == ")" {
                throw parser.error("unbalanced parentheses: unexpected ')'")
            }
            throw parser.error("unexpected text '\(rest)' after the closing ')'")
        }
        return call
    }

    private init(text: String, dashedName: Bool) {
        self.text = text
        self.dashedName = dashedName
        self.chars = Array(text)
    }

    private func error(_ message: String, at position: Int? = nil) -> LawfitError {
        LawfitError.input("\(message) at character \((position ?? index) + 1) of spec '\(LawfitError.excerpt(text))'")
    }

    private mutating func skipSpace() {
        while index < chars.count, chars[index].isWhitespace { index += 1 }
    }

    private static func isNameStart(_ c: Character) -> Bool { c == "_" || (c.isASCII && c.isLetter) }
    private static func isNameChar(_ c: Character) -> Bool { isNameStart(c) || (c.isASCII && c.isNumber) }

    private mutating func name() -> String? {
        guard index < chars.count, Self.isNameStart(chars[index]) else { return nil }
        let start = index
        let dashes = dashedName && depth == 0
        while index < chars.count {
            if Self.isNameChar(chars[index]) {
                index += 1
            } else if dashes, chars[index] == "-", index + 1 < chars.count, Self.isNameChar(chars[index + 1]) {
                index += 2
            } else {
                break
            }
        }
        return String(chars[start..<index])
    }

    private mutating func call() throws -> Call {
        skipSpace()
        guard let name = name() else {
            if index >= chars.count { throw error("empty spec: expected a name such as cosine(peak=3e-4, total=24000)") }
            throw error("expected a name such as cosine(...), found '\(chars[index])'")
        }
        skipSpace()
        guard index < chars.count, chars[index] == "(" else {
            throw error("expected '(' after '\(name)' (write \(name)(...))")
        }
        let open = index
        guard depth < Self.maximumNesting else {
            throw error("'\(name)(' nests more than \(Self.maximumNesting) calls deep (the most a spec may nest)")
        }
        depth += 1
        defer { depth -= 1 }
        index += 1
        var arguments: [Argument] = []
        skipSpace()
        if index < chars.count, chars[index] == ")" {
            index += 1
            return Call(name: name, arguments: arguments)
        }
        while true {
            arguments.append(try argument())
            skipSpace()
            guard index < chars.count else {
                throw LawfitError.input("unbalanced parentheses: the '(' at character \(open + 1) of spec '\(LawfitError.excerpt(text))' is never closed")
            }
            switch chars[index] {
            case ",": index += 1
            case ")":
                index += 1
                return Call(name: name, arguments: arguments)
            default: throw error("expected ',' or ')', found '\(chars[index])'")
            }
        }
    }

    private mutating func argument() throws -> Argument {
        skipSpace()
        let start = index
        if let key = name() {
            skipSpace()
            if index < chars.count, chars[index] == "=" {
                index += 1
                skipSpace()
                return Argument(key: key, value: try value(), position: start)
            }
            index = start
        }
        return Argument(key: nil, value: try value(), position: start)
    }

    private mutating func value() throws -> SpecValue {
        guard index < chars.count else { throw error("expected a value") }
        let start = index
        let quote = chars[index]
        if quote == "\"" || quote == "'" {
            index += 1
            while index < chars.count, chars[index] != quote { index += 1 }
            guard index < chars.count else { throw error("unterminated quoted text", at: start) }
            index += 1
            return .text(String(chars[(start + 1)..<(index - 1)]))
        }
        if name() != nil {
            let afterName = index
            skipSpace()
            if index < chars.count, chars[index] == "(" {
                index = start
                _ = try call()
                return .text(String(chars[start..<index]))
            }
            index = afterName
        }
        index = start
        while index < chars.count, !chars[index].isWhitespace, !",()=\"'".contains(chars[index]) { index += 1 }
        let token = String(chars[start..<index])
        guard !token.isEmpty else { throw error("expected a value, found '\(chars[index])'") }
        return try classify(token, at: start)
    }

    private func classify(_ token: String, at position: Int) throws -> SpecValue {
        if let colon = token.firstIndex(of: ":") {
            let (left, right) = (String(token[..<colon]), String(token[token.index(after: colon)...]))
            guard let a = Double(left), a.isFinite, let b = Double(right), b.isFinite else {
                throw error("bad pair '\(LawfitError.excerpt(token))' (expected step:value, two numbers)", at: position)
            }
            return .pair(a, b)
        }
        guard let first = token.first, first.isNumber || "+-.".contains(first), !token.contains("/") else { return .text(token) }
        let letters = token.split(whereSeparator: { !($0.isASCII && $0.isLetter) })
        if letters.contains(where: { $0.count >= 2 }) { return .text(token) }
        guard let x = Double(token), x.isFinite else { throw error("bad number '\(LawfitError.excerpt(token))'", at: position) }
        return .number(x)
    }
}
