import Foundation
import LawfitCore

/// Checks of numeric command-line options shared by the commands, with their documented limits
/// (Docs/Errors.md, "Limits"). Every check runs before any work and throws ``LawfitError`` (input,
/// exit 2) naming the option, the value and the limit.
enum OptionChecks {
    /// The most starts of a multi-start fit (`--starts N`): 100,000, twenty times Epoch AI's grid.
    static let maximumStarts = 100_000
    /// The most parallel workers (`--workers`): each is a thread with 8 MiB of stack.
    static let maximumWorkers = 256
    /// The most bootstrap resamples (`--bootstrap`).
    static let maximumResamples = 100_000

    /// `--starts`: `grid` or a whole number in 1...``maximumStarts``.
    static func starts(_ text: String) throws -> StartPlan {
        if text == "grid" { return .grid }
        guard let count = Int(text), count >= 1 else {
            throw LawfitError.input("--starts must be grid or a whole number of starts >= 1, got '\(LawfitError.excerpt(text))'")
        }
        guard count <= maximumStarts else {
            throw LawfitError.input("--starts \(count) is more than the \(maximumStarts) starts a fit may have")
        }
        return .count(count)
    }

    /// `--workers`: 1...``maximumWorkers``.
    static func workers(_ count: Int) throws -> Int {
        try within(count, 1...maximumWorkers, "--workers")
    }

    /// `--bootstrap`: 0 (none) ... ``maximumResamples``.
    static func resamples(_ count: Int) throws -> Int {
        try within(count, 0...maximumResamples, "--bootstrap")
    }

    /// A whole-number option that must lie in `range`.
    static func within(_ value: Int, _ range: ClosedRange<Int>, _ option: String) throws -> Int {
        guard range.contains(value) else {
            throw LawfitError.input("\(option) must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
        return value
    }

    /// A number option that must be finite and positive.
    static func positive(_ value: Double, _ option: String) throws -> Double {
        guard value.isFinite, value > 0 else { throw LawfitError.input("\(option) must be a finite number > 0, got \(value)") }
        return value
    }
}
