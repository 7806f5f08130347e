/// A value in a spec string such as `wsd(peak=3e-4, shape=geometric)` or `piecewise(0:3e-4, end=16000)`.
public enum SpecValue: Sendable, Hashable, CustomStringConvertible {
    /// A number: `3e-4`, `2160`.
    case number(Double)
    /// A bare word or quoted text: `geometric`, `lr.csv`.
    case text(String)
    /// A `key:value` pair of numbers: `8000:9e-5` (a breakpoint).
    case pair(Double, Double)

    public var description: String {
        switch self {
        case .number(let x): SpecValue.format(x)
        case .text(let s): s
        case .pair(let a, let b): "\(SpecValue.format(a)):\(SpecValue.format(b))"
        }
    }

    /// Shortest text that reads back to exactly `x` (Swift's round-tripping description).
    public static func format(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}

/// The arguments of a parsed spec: positional values in order, then named values.
public struct SpecArguments: Sendable, Hashable {
    /// What the arguments belong to (`cosine`, `powerlaw`), for error messages.
    public var owner: String
    public var positional: [SpecValue]
    public var named: [String: SpecValue]
    /// The parameters the factory accepts, for error messages.
    public var accepted: [SpecParameter]

    public init(owner: String, positional: [SpecValue] = [], named: [String: SpecValue] = [:], accepted: [SpecParameter] = []) {
        self.owner = owner
        self.positional = positional
        self.named = named
        self.accepted = accepted
    }

    /// The arguments of the spec `text` (`name(...)`) bound to `parameters`, as the spec parser binds
    /// them before calling a factory: for tests and checks that call a factory with changed values.
    /// - Throws: ``LawfitError`` (input) for bad syntax, another name than `name`, or arguments the
    ///   parameters do not accept.
    public static func bind(_ text: String, name: String, parameters: [SpecParameter], acceptsPositional: Bool = false) throws -> SpecArguments {
        let call = try SpecSyntax.parse(text)
        guard call.name == name else { throw LawfitError.input("spec '\(text)' is not a \(name)(...) spec") }
        return try SpecBinding.bind(call, text: text, parameters: parameters, acceptsPositional: acceptsPositional)
    }

    private var acceptedList: String { accepted.map(\.name).joined(separator: ", ") }

    /// A required or defaulted number.
    public func number(_ name: String) throws -> Double {
        switch named[name] ?? accepted.first(where: { $0.name == name })?.defaultValue {
        case .number(let x): return x
        case nil:
            throw LawfitError.input("\(owner): missing parameter '\(name)'; it accepts \(acceptedList)")
        case let other?:
            throw LawfitError.input("\(owner): parameter '\(name)' must be a number, got '\(other)'")
        }
    }

    /// An optional number (nil when absent and without default).
    public func optionalNumber(_ name: String) throws -> Double? {
        if named[name] == nil && accepted.first(where: { $0.name == name })?.defaultValue == nil { return nil }
        return try number(name)
    }

    /// A required or defaulted whole number.
    public func integer(_ name: String) throws -> Int {
        let x = try number(name)
        guard x == x.rounded(), abs(x) < 1e15 else {
            throw LawfitError.input("\(owner): parameter '\(name)' must be a whole number, got \(SpecValue.format(x))")
        }
        return Int(x)
    }

    /// A required or defaulted word.
    public func text(_ name: String) throws -> String {
        switch named[name] ?? accepted.first(where: { $0.name == name })?.defaultValue {
        case .text(let s): return s
        case .number(let x): return SpecValue.format(x)
        case nil: throw LawfitError.input("\(owner): missing parameter '\(name)'; it accepts \(acceptedList)")
        case let other?: throw LawfitError.input("\(owner): parameter '\(name)' must be a word, got '\(other)'")
        }
    }
}

/// A parameter a spec-string factory accepts.
public struct SpecParameter: Sendable, Hashable {
    public var name: String
    public var summary: String
    /// The value used when the spec omits the parameter; `nil` makes it required.
    public var defaultValue: SpecValue?

    public init(_ name: String, _ summary: String, default defaultValue: SpecValue? = nil) {
        self.name = name
        self.summary = summary
        self.defaultValue = defaultValue
    }
}
