import Foundation

/// The text of progress reports on stderr (`lawfit fit`, `compare`, `optimal`, `demo`).
///
/// On a terminal a status line is rewritten in place (``status(_:elapsed:)``): starts done of all,
/// the best objective so far, elapsed and estimated remaining time. Elsewhere (a file, a pipe, CI
/// logs) each stage prints one line when it ends (``summary(_:)``), without timings, so the text is
/// the same on every run with the same seed.
public enum ProgressLine {
    /// The status line of a stage in progress, e.g.
    /// `chinchilla: fitting (all points), start 5/8, best 1.2346e-03, 0:03 elapsed, ~0:02 left`.
    public static func status(_ event: SelectionProgress, elapsed: Double) -> String {
        var line = "\(event.law): \(action(event)), \(unit(event)) \(event.done)/\(event.total)"
        if let best = event.best { line += ", best \(number(best))" }
        line += ", \(duration(elapsed)) elapsed"
        if event.done > 0, event.done < event.total {
            line += ", ~\(duration(elapsed / Double(event.done) * Double(event.total - event.done))) left"
        }
        return line
    }

    /// The one line a finished (or skipped, or failed) stage prints outside a terminal, e.g.
    /// `chinchilla: fitting (all points): 8/8 starts, best objective 1.2346e-03`.
    public static func summary(_ event: SelectionProgress) -> String {
        switch event.stage {
        case .skipped: return "\(event.law): skipped: \(event.detail)"
        case .failed: return "\(event.law): failed: \(event.detail)"
        case .fit, .bootstrap, .search:
            var line = "\(event.law): \(action(event)): \(event.done)/\(event.total) \(unit(event))s"
            if let best = event.best { line += ", best \(event.stage == .search ? "predicted loss" : "objective") \(number(best))" }
            return line
        }
    }

    /// `m:ss` below an hour, `h:mm:ss` above.
    public static func duration(_ seconds: Double) -> String {
        let total = seconds.isFinite ? max(Int(seconds.rounded()), 0) : 0
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }

    private static func action(_ event: SelectionProgress) -> String {
        switch event.stage {
        case .fit: event.detail.isEmpty ? "fitting" : "fitting (\(event.detail))"
        case .bootstrap: "bootstrap"
        case .search: event.detail.isEmpty ? "searching" : "searching (\(event.detail))"
        case .skipped: "skipped"
        case .failed: "failed"
        }
    }

    private static func unit(_ event: SelectionProgress) -> String {
        switch event.stage {
        case .bootstrap: "resample"
        case .search: "evaluation"
        default: "start"
        }
    }

    private static func number(_ value: Double) -> String { String(format: "%.4e", value) }
}
