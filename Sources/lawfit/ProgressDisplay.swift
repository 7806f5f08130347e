import Foundation
import LawfitCore

/// Progress on stderr for `fit`, `compare`, `optimal` and `demo` (text: ``ProgressLine``).
///
/// On a terminal one status line is rewritten in place, at most ten times a second: law, stage,
/// starts (or resamples) done of all, best objective so far, elapsed and remaining time. In a file
/// or pipe each stage prints one line when it ends, without timings. Counts only move forward: a
/// report with a count below the last one of the same stage is ignored.
final class ProgressDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private let interactive: Bool
    private let write: @Sendable (String) -> Void
    private var stage = ""
    private var stageStart = ContinuousClock.now
    private var lastDone = -1
    private var stageFinished = false
    private var lastDraw: ContinuousClock.Instant?

    init(interactive: Bool = isatty(STDERR_FILENO) != 0, write: @escaping @Sendable (String) -> Void = ProgressDisplay.standardError) {
        self.interactive = interactive
        self.write = write
    }

    static func standardError(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    /// Shows one event of a model selection (or a fit: see ``fit(law:detail:)``).
    func report(_ event: SelectionProgress) {
        lock.lock()
        defer { lock.unlock() }
        let key = "\(event.law) \(event.stage) \(event.detail)"
        if key != stage {
            stage = key
            stageStart = .now
            lastDone = -1
            stageFinished = false
            lastDraw = nil
        }
        let finished = event.stage == .skipped || event.stage == .failed || (event.total > 0 && event.done >= event.total)
        // A search reports its end with the count it reached (its total was only a bound until then).
        guard event.done > lastDone || event.stage == .skipped || event.stage == .failed || (finished && !stageFinished) else { return }
        lastDone = event.done
        stageFinished = finished
        if interactive {
            let now = ContinuousClock.now
            if !finished, let lastDraw, now - lastDraw < .milliseconds(100) { return }
            lastDraw = now
            let elapsed = Double((now - stageStart).components.attoseconds) * 1e-18 + Double((now - stageStart).components.seconds)
            let persistent = event.stage == .skipped || event.stage == .failed
            let text = persistent ? ProgressLine.summary(event) : ProgressLine.status(event, elapsed: elapsed)
            write("\r\u{1B}[K\(text)\(persistent ? "\n" : "")")
        } else if finished {
            write(ProgressLine.summary(event) + "\n")
        }
    }

    /// A progress callback for one multi-start fit of `law` (or, with `stage` ``SelectionProgress/Stage/search``,
    /// a schedule search that counts evaluations).
    func fit(law: String, detail: String = "", stage: SelectionProgress.Stage = .fit) -> @Sendable (StartProgress) -> Void {
        { [self] progress in
            report(SelectionProgress(law: law, stage: stage, detail: detail, done: progress.done, total: progress.total, best: progress.best))
        }
    }

    /// Clears the status line (terminal only).
    func finish() {
        if interactive { write("\r\u{1B}[K") }
    }
}
