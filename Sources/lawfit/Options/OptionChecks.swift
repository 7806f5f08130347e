import ArgumentParser
import Foundation
import LawfitCore

/// Checks of numeric command-line options shared by the commands, with their documented limits
/// (Docs/Errors.md, "Limits"). They run in the options' `validate()`, before any work, and throw a
/// `ValidationError` (exit 2, printed as `lawfit: error: <message>`) naming the option, the value and
/// the limit.
enum OptionChecks {
    /// The most starts of a multi-start fit (`--starts N`): 100,000, twenty times Epoch AI's grid.
    static let maximumStarts = 100_000
    /// The most parallel workers (`--workers`): each is a thread with 8 MiB of stack.
    static let maximumWorkers = 256
    /// The most bootstrap resamples (`--bootstrap`).
    static let maximumResamples = 100_000

    /// `--starts`: `grid` or a whole number in 1...``maximumStarts``.
    static func starts(_ plan: StartPlan) throws {
        guard case .count(let count) = plan else { return }
        guard count >= 1 else {
            throw ValidationError("--starts must be grid or a whole number of starts >= 1, got '\(count)'")
        }
        guard count <= maximumStarts else {
            throw ValidationError("--starts \(count) is more than the \(maximumStarts) starts a fit may have")
        }
    }

    /// `--workers`: 1...``maximumWorkers``.
    static func workers(_ count: Int) throws {
        try within(count, 1...maximumWorkers, "--workers")
    }

    /// `--bootstrap`: 0 (none) ... ``maximumResamples``.
    static func resamples(_ count: Int) throws {
        try within(count, 0...maximumResamples, "--bootstrap")
    }

    /// A whole-number option that must lie in `range`.
    static func within(_ value: Int, _ range: ClosedRange<Int>, _ option: String) throws {
        guard range.contains(value) else {
            throw ValidationError("\(option) must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
    }

    /// A whole-number option that must be at least `minimum`.
    static func atLeast(_ value: Int, _ minimum: Int, _ option: String) throws {
        guard value >= minimum else { throw ValidationError("\(option) must be at least \(minimum), got \(value)") }
    }

    /// A number option that must be finite and positive.
    static func positive(_ value: Double, _ option: String) throws {
        guard value.isFinite, value > 0 else { throw ValidationError("\(option) must be a finite number > 0, got \(value)") }
    }
}
