import CNLopt

/// An NLopt algorithm, named as NLopt names it (`LD_LBFGS`, `LN_BOBYQA`, `GN_CRS2_LM`, `G_MLSL_LDS`).
///
/// Algorithms are resolved through `nlopt_algorithm_from_string`, never by enum number: the numbers
/// differ between NLopt 2.7 and 2.9. The prefix states what an algorithm needs: `G`/`L` global or
/// local, `D`/`N` with or without derivatives.
public struct Algorithm: Sendable, Hashable, CustomStringConvertible {
    /// NLopt's name, e.g. `LD_LBFGS`.
    public let name: String
    let raw: nlopt_algorithm

    /// The algorithm NLopt knows as `name` (case-insensitive).
    ///
    /// - Throws: ``OptimizationError/unknownAlgorithm(_:)`` if this NLopt build does not know it, or
    ///   knows the name but was built without it (Debian's 2.7.1 lacks `GD_STOGO`, `GD_STOGO_RAND`,
    ///   `LD_LBFGS_NOCEDAL` and `GN_AGS`, which would only fail later with INVALID_ARGS).
    public init(_ name: String) throws {
        let upper = name.uppercased()
        let raw = nlopt_algorithm_from_string(upper)
        guard Int32(bitPattern: raw.rawValue) >= 0, raw.rawValue < NLOPT_NUM_ALGORITHMS.rawValue,
              Algorithm.isCompiled(raw)
        else {
            throw OptimizationError.unknownAlgorithm(name)
        }
        self.name = upper
        self.raw = raw
    }

    /// NLopt's own one-line description of the algorithm.
    public var summary: String { String(cString: nlopt_algorithm_name(raw)) }

    /// Whether the algorithm uses the gradient (`LD_`, `GD_`).
    public var usesGradient: Bool { name.hasPrefix("LD_") || name.hasPrefix("GD_") }

    /// Whether the algorithm is a global one (`GN_`, `GD_`, `G_`), which needs finite bounds.
    public var isGlobal: Bool { name.hasPrefix("G") }

    /// Whether the algorithm runs a subsidiary local optimiser (`G_MLSL`, `G_MLSL_LDS`, `AUGLAG`).
    public var needsLocalOptimizer: Bool { name.hasPrefix("G_MLSL") || name.hasPrefix("AUGLAG") }

    public var description: String { name }

    public static func == (lhs: Algorithm, rhs: Algorithm) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// Every algorithm this NLopt build can run, by name (algorithms NLopt names but was built
    /// without are left out).
    public static var available: [String] {
        (0..<NLOPT_NUM_ALGORITHMS.rawValue).compactMap { n in
            let raw = nlopt_algorithm(rawValue: n)
            guard isCompiled(raw), let text = nlopt_algorithm_to_string(raw) else { return nil }
            return String(cString: text)
        }
    }

    /// Whether this NLopt build includes `raw`: NLopt names the ones it was built without
    /// "... (NOT COMPILED)" (`nlopt_algorithm_name`).
    static func isCompiled(_ raw: nlopt_algorithm) -> Bool {
        guard let text = nlopt_algorithm_name(raw) else { return false }
        return !String(cString: text).contains("NOT COMPILED")
    }
}

extension Algorithm {
    /// Limited-memory BFGS with analytic gradient: the default local method.
    public static var lbfgs: Algorithm { try! Algorithm("LD_LBFGS") }
    /// Powell's BOBYQA, derivative-free with bounds.
    public static var bobyqa: Algorithm { try! Algorithm("LN_BOBYQA") }
    /// Nelder-Mead simplex.
    public static var nelderMead: Algorithm { try! Algorithm("LN_NELDERMEAD") }
    /// Subplex, a robust Nelder-Mead variant.
    public static var sbplx: Algorithm { try! Algorithm("LN_SBPLX") }
    /// Controlled random search with local mutation (global, derivative-free).
    public static var crs2: Algorithm { try! Algorithm("GN_CRS2_LM") }
    /// Improved stochastic ranking evolution strategy (global, derivative-free).
    public static var isres: Algorithm { try! Algorithm("GN_ISRES") }
    /// Multi-level single-linkage with low-discrepancy starts (global; runs a local optimiser).
    public static var mlslLDS: Algorithm { try! Algorithm("G_MLSL_LDS") }
}
