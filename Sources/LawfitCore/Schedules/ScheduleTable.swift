import Foundation

/// Prints a schedule's rates and intrinsic time, for `lawfit schedule show`.
///
/// Rows are computed in one streaming pass (the running sum tau_k), never as dense arrays, so
/// printing a few steps of a 10^8-step schedule takes constant memory; the table layout makes a
/// second pass for its column widths.
public enum ScheduleTable {
    /// The output layout.
    public enum Format: String, Sendable, CaseIterable {
        /// Aligned columns with a header line.
        case table
        /// `step,lr,tau` with a header line.
        case csv
    }

    /// Steps `from`, `from + by`, ... up to `to`.
    public struct StepRange: Sequence, Sendable, Equatable {
        public var from: Int
        public var to: Int
        public var by: Int

        /// - Precondition: by > 0.
        public init(from: Int, to: Int, by: Int) {
            precondition(by > 0, "a step range needs by > 0")
            (self.from, self.to, self.by) = (from, to, by)
        }

        /// The last step of the range (nil when it is empty).
        public var last: Int? { from <= to ? from + (to - from) / by * by : nil }

        public func makeIterator() -> StrideThroughIterator<Int> { stride(from: from, through: to, by: by).makeIterator() }
    }

    /// The steps `FROM:TO:BY` (e.g. `0:24000:1000`, the `--steps` option).
    /// - Throws: ``LawfitError`` unless there are three whole numbers with 0 <= FROM <= TO and BY > 0.
    public static func steps(_ text: String) throws -> StepRange {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let from = parts[0], let to = parts[1], let by = parts[2], by > 0, from <= to, from >= 0 else {
            throw LawfitError.input(
                "steps must be FROM:TO:BY with whole numbers, 0 <= FROM <= TO and BY > 0 (e.g. 0:24000:1000), got '\(LawfitError.excerpt(text))'")
        }
        return StepRange(from: from, to: to, by: by)
    }

    /// The table as text: one line per step (all of `0...totalSteps` when `steps` is nil) with the
    /// step, the rate eta_k and the intrinsic time tau_k = sum_{i<=k} eta_i, round-trip precision.
    ///
    /// - Throws: ``LawfitError`` (input) as ``write(schedule:steps:format:to:)``.
    public static func render(schedule: any LearningRateSchedule, steps: StepRange? = nil, format: Format = .table) throws -> String {
        var text = ""
        try write(schedule: schedule, steps: steps, format: format) { text += $0 }
        return text
    }

    /// Streams the table to `sink`, a line at a time (each with its newline).
    ///
    /// - Throws: ``LawfitError`` (input) when `steps` reaches beyond `0...totalSteps`, or when a rate
    ///   up to the last step shown is not a finite number >= 0 or the intrinsic time overflows
    ///   (``ScheduleRateCheck``); nothing is written then.
    public static func write(
        schedule: any LearningRateSchedule, steps: StepRange? = nil, format: Format = .table, to sink: (String) -> Void
    ) throws {
        let total = max(schedule.totalSteps, 0)
        let range = steps ?? StepRange(from: 0, to: total, by: 1)
        if let steps, steps.to > total {
            throw LawfitError.input(
                "--steps \(steps.from):\(steps.to):\(steps.by) reaches beyond the schedule's last step \(total); give TO <= \(total)")
        }
        let header = ["step", "lr", "tau"]
        var widths = header.map(\.count)
        // First pass: check every rate up to the last step shown and measure the columns.
        try rows(schedule, range) { row in
            for c in 0..<3 { widths[c] = max(widths[c], row[c].count) }
        }
        switch format {
        case .csv:
            sink(header.joined(separator: ",") + "\n")
            try rows(schedule, range) { sink($0.joined(separator: ",") + "\n") }
        case .table:
            let line = { (row: [String]) in
                zip(row, widths).map { String(repeating: " ", count: $1 - $0.count) + $0 }.joined(separator: "  ") + "\n"
            }
            sink("# \(schedule.spec)\n")
            sink(line(header))
            try rows(schedule, range) { sink(line($0)) }
        }
    }

    /// Calls `body` with each row of `range`, computing tau as a running sum up to its last step.
    private static func rows(_ schedule: any LearningRateSchedule, _ range: StepRange, _ body: ([String]) -> Void) throws {
        guard let last = range.last else { return }
        var next = range.from
        var tau = 0.0
        for k in 0...last {
            let eta = schedule.rate(at: k)
            if k > 0 { tau += eta }
            try ScheduleRateCheck.check(rate: eta, intrinsicTime: tau, step: k, of: schedule)
            if k == next {
                body(["\(k)", "\(eta)", "\(tau)"])
                next += range.by
            }
        }
    }
}
