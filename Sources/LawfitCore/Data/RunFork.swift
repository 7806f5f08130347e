/// A run that branched from another at a step (a WSD cooldown forked from a constant-rate run, a
/// run resumed from a checkpoint with a new schedule): up to the fork step its schedule, and so its
/// intrinsic time, are the parent's; after it, its own.
///
/// Command-line syntax (`--fork`): `RUN=PARENT@STEP`, where RUN names a run of the data, PARENT
/// names another run of the data or is a schedule spec (containing `(`), and STEP is the fork step,
/// e.g. `cooldown0.2_25000=stable_50000@20000`.
public struct RunFork: Sendable, Hashable, CustomStringConvertible {
    /// Where the schedule before the fork comes from.
    public enum Parent: Sendable, Hashable {
        /// Another run of the data (its schedule, given or read from its `lr` column).
        case run(String)
        /// A schedule spec.
        case spec(String)
    }

    /// The branch's run name.
    public var run: String
    public var parent: Parent
    /// F: steps 0...F follow the parent's schedule.
    public var step: Int

    public init(run: String, parent: Parent, step: Int) {
        self.run = run
        self.parent = parent
        self.step = step
    }

    /// Parses `RUN=PARENT@STEP`. - Throws: ``LawfitError`` (input) naming the text.
    public init(parsing text: String) throws {
        func invalid(_ reason: String) -> LawfitError {
            LawfitError.input("invalid --fork '\(text)': \(reason) (expected RUN=PARENT@STEP, e.g. cooldown=stable@20000)")
        }
        guard let equals = text.firstIndex(of: "=") else { throw invalid("no '='") }
        guard let at = text.lastIndex(of: "@"), at > equals else { throw invalid("no '@STEP' after the parent") }
        let run = String(String(text[..<equals]).trimmingSpacesAndTabs)
        let parent = String(String(text[text.index(after: equals)..<at]).trimmingSpacesAndTabs)
        let stepText = String(String(text[text.index(after: at)...]).trimmingSpacesAndTabs)
        guard !run.isEmpty else { throw invalid("no run name") }
        guard !parent.isEmpty else { throw invalid("no parent") }
        guard let step = Int(stepText), step >= 0 else { throw invalid("the step '\(stepText)' is not a whole number >= 0") }
        self.init(run: run, parent: parent.contains("(") ? .spec(parent) : .run(parent), step: step)
    }

    public var description: String {
        switch parent {
        case .run(let name): "\(run)=\(name)@\(step)"
        case .spec(let spec): "\(run)=\(spec)@\(step)"
        }
    }
}
