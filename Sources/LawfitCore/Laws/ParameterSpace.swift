import Foundation

/// How the optimiser sees a parameter.
public enum ParameterTransform: String, Sendable, Hashable, Codable {
    /// The optimiser works on the value itself.
    case identity
    /// The optimiser works on log(value): for positive scales spanning orders of magnitude (A, B, E of
    /// Chinchilla, fitted as a = log A as in Hoffmann et al. 2022 and Epoch AI 2024).
    case log

    /// Natural value -> optimiser coordinate.
    public func toInternal(_ value: Double) -> Double {
        switch self {
        case .identity: value
        case .log: Foundation.log(value)
        }
    }

    /// Optimiser coordinate -> natural value.
    public func toNatural(_ value: Double) -> Double {
        switch self {
        case .identity: value
        case .log: Foundation.exp(value)
        }
    }

    /// d(natural)/d(internal) at a natural value.
    public func derivative(atNatural value: Double) -> Double {
        switch self {
        case .identity: 1
        case .log: value
        }
    }
}

/// One named parameter of a law, in the law's natural units.
public struct Parameter: Sendable, Hashable {
    public var name: String
    public var summary: String
    /// Lower and upper bound in natural units (a log-transformed parameter needs lower > 0).
    public var lowerBound: Double
    public var upperBound: Double
    public var transform: ParameterTransform
    /// Start values (natural units) whose cartesian product with the other parameters' forms the
    /// law's default start grid.
    public var startValues: [Double]

    public init(
        _ name: String, _ summary: String, bounds: ClosedRange<Double>,
        transform: ParameterTransform = .identity, starts: [Double]
    ) {
        precondition(!starts.isEmpty, "parameter \(name) needs at least one start value")
        self.name = name
        self.summary = summary
        self.lowerBound = bounds.lowerBound
        self.upperBound = bounds.upperBound
        self.transform = transform
        self.startValues = starts
    }
}

extension Parameter {
    /// The parameter's box in optimiser coordinates, the bounds NLopt is given: a log-transformed
    /// parameter whose lower bound is 0 has no finite lower end (log 0 = -inf).
    public var internalBounds: (lower: Double, upper: Double) {
        (transform == .log && lowerBound <= 0 ? -.infinity : transform.toInternal(lowerBound), transform.toInternal(upperBound))
    }
}

/// The named parameters of a law, with bounds, transforms and a default start grid.
public struct ParameterSpace: Sendable, Hashable {
    public var parameters: [Parameter]

    public init(_ parameters: [Parameter]) {
        self.parameters = parameters
    }

    public var count: Int { parameters.count }
    public var names: [String] { parameters.map(\.name) }

    /// Index of a parameter by name.
    public func index(of name: String) throws -> Int {
        guard let i = parameters.firstIndex(where: { $0.name == name }) else {
            throw LawfitError.input("unknown parameter '\(name)'; the parameters are \(names.joined(separator: ", "))")
        }
        return i
    }

    /// The cartesian product of every parameter's start values (natural units), first parameter
    /// varying slowest. Chinchilla's is Epoch AI's 4500-point grid.
    public var defaultStartGrid: [[Double]] {
        var grid: [[Double]] = [[]]
        for parameter in parameters {
            grid = grid.flatMap { prefix in parameter.startValues.map { prefix + [$0] } }
        }
        return grid
    }

    /// Natural values -> optimiser coordinates.
    public func toInternal(_ values: [Double]) -> [Double] {
        zip(parameters, values).map { $0.transform.toInternal($1) }
    }

    /// Optimiser coordinates -> natural values.
    public func toNatural(_ values: [Double]) -> [Double] {
        zip(parameters, values).map { $0.transform.toNatural($1) }
    }

    /// Values by name, in order.
    public func named(_ values: [Double]) -> [(name: String, value: Double)] {
        zip(names, values).map { ($0, $1) }
    }

    /// Values in parameter order from a name -> value map.
    ///
    /// - Throws: ``LawfitError`` naming a missing or unknown parameter.
    public func values(from map: [String: Double]) throws -> [Double] {
        for key in map.keys where !names.contains(key) {
            throw LawfitError.input("unknown parameter '\(key)'; the parameters are \(names.joined(separator: ", "))")
        }
        return try names.map { name in
            guard let value = map[name] else {
                throw LawfitError.input("missing parameter '\(name)'; the parameters are \(names.joined(separator: ", "))")
            }
            return value
        }
    }

    /// A copy with new start values for `name`, each clamped into the parameter's bounds.
    public func replacingStarts(of name: String, with values: [Double]) -> ParameterSpace {
        var copy = self
        guard let i = parameters.firstIndex(where: { $0.name == name }), !values.isEmpty else { return copy }
        let p = parameters[i]
        copy.parameters[i].startValues = values.map { min(max($0, p.lowerBound), p.upperBound) }
        return copy
    }

    /// A copy with the start values of `name` multiplied by `factor` (clamped into the bounds).
    public func scalingStarts(of name: String, by factor: Double) -> ParameterSpace {
        guard let p = parameters.first(where: { $0.name == name }), factor.isFinite, factor > 0 else { return self }
        return replacingStarts(of: name, with: p.startValues.map { $0 * factor })
    }
}

