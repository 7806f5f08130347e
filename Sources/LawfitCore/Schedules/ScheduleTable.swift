import Foundation

/// Prints a schedule's rates and intrinsic time, for `lawfit schedule show`.
public enum ScheduleTable {
    /// The output layout.
    public enum Format: String, Sendable, CaseIterable {
        /// Aligned columns with a header line.
        case table
        /// `step,lr,tau` with a header line.
        case csv
    }

    /// The steps `FROM:TO:BY` (e.g. `0:24000:1000`, the `--steps` option).
    /// - Throws: ``LawfitError`` unless there are three whole numbers with BY > 0 and FROM <= TO.
    public static func steps(_ text: String) throws -> StrideThrough<Int> {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let from = parts[0], let to = parts[1], let by = parts[2], by > 0, from <= to else {
            throw LawfitError.input("steps must be FROM:TO:BY with whole numbers, FROM <= TO and BY > 0 (e.g. 0:24000:1000), got '\(text)'")
        }
        return stride(from: from, through: to, by: by)
    }

    /// One line per step (all of `0...totalSteps` when `steps` is nil, else the steps of `steps` that
    /// lie in that range) with the step, the rate eta_k and the intrinsic time tau_k = sum_{i<=k} eta_i.
    /// Numbers print with round-trip precision.
    public static func render(schedule: any LearningRateSchedule, steps: StrideThrough<Int>? = nil, format: Format = .table) -> String {
        let dense = DenseSchedule(schedule)
        let selected = steps.map { Array($0).filter { (0...dense.totalSteps).contains($0) } } ?? Array(0...dense.totalSteps)
        let rows = selected.map { ["\($0)", "\(dense.rates[$0])", "\(dense.intrinsicTime[$0])"] }
        let header = ["step", "lr", "tau"]
        switch format {
        case .csv:
            return ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .table:
            let widths = (0..<3).map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
            let lines = ([header] + rows).map { row in
                zip(row, widths).map { String(repeating: " ", count: $1 - $0.count) + $0 }.joined(separator: "  ")
            }
            return "# \(schedule.spec)\n" + lines.joined(separator: "\n") + "\n"
        }
    }
}
