/// Puts a run's rows in step order and merges rows of the same step (``RepeatedStepPolicy``).
struct StepOrdering {
    let policy: RepeatedStepPolicy
    /// The step column's name, for locations.
    let stepColumn: String?
    /// Whether to suggest `--run` (the file has no run column, so interleaved runs look like repeats).
    let severalRunsHint: Bool

    /// Orders `run` in place; returns a note when rows were sorted or values replaced.
    ///
    /// - Throws: ``LawfitError`` (input) under ``RepeatedStepPolicy/error`` for a decreasing step or
    ///   a key logged twice at one step, and under any policy for a decreasing or repeated step in a
    ///   run where some rows have no step (their order cannot be recovered).
    func order(_ run: inout Run, file: String) throws -> String? {
        let observations = run.observations
        var increasing = true
        var previous: Int?
        var missingStep = false
        for observation in observations {
            guard let step = observation.step else {
                missingStep = true
                continue
            }
            if let previous, step <= previous { increasing = false }
            previous = step
        }
        if increasing { return nil }
        if missingStep || policy == .error { try check(run, strict: missingStep, file: file) }
        // Stable sort by step, then merge equal steps in file order.
        let order = observations.indices.sorted { a, b in
            let (sa, sb) = (observations[a].step!, observations[b].step!)
            return sa < sb || (sa == sb && a < b)
        }
        let wasSorted = zip(order, order.dropFirst()).allSatisfy { $0 < $1 }
        var merged: [Observation] = []
        merged.reserveCapacity(observations.count)
        var replaced = 0, repeatedRows = 0
        for index in order {
            let observation = observations[index]
            if let last = merged.last, last.step == observation.step {
                repeatedRows += 1
                switch policy {
                case .last, .error:
                    replaced += merged[merged.count - 1].merge(observation)
                case .first:
                    var combined = observation
                    replaced += combined.merge(last)
                    merged[merged.count - 1] = combined
                }
            } else {
                merged.append(observation)
            }
        }
        run.observations = merged
        guard replaced > 0 || !wasSorted else { return nil }
        var parts: [String] = []
        if !wasSorted { parts.append("rows were not in step order and were sorted") }
        if replaced > 0 {
            let winner = policy == .last ? "later" : "earlier"
            parts.append("\(replaced) value\(replaced == 1 ? "" : "s") logged twice at the same step (\(repeatedRows) repeated row\(repeatedRows == 1 ? "" : "s")) kept the \(winner) record (--repeated-steps \(policy.rawValue); 'error' refuses)")
        }
        let hint = severalRunsHint ? "; if the file holds several runs, name their column with --run" : ""
        return "\(file): run '\(run.name)': " + parts.joined(separator: "; ") + hint
    }

    /// Throws for the first decreasing step or key logged twice at one step; with `strict`, for
    /// any repeated step.
    private func check(_ run: Run, strict: Bool, file: String) throws {
        var previous: Observation?
        var seen: [Int: Observation] = [:]
        for observation in run.observations {
            guard let step = observation.step else { continue }
            if let previous, let before = previous.step, step < before {
                throw error(
                    "decreasing step \(step) in run '\(run.name)' (after step \(before)\(previous.line.map { " on line \($0)" } ?? ""))", "",
                    observation, file: file)
            }
            if let earlier = seen[step] {
                let both = Self.sharedKeys(earlier, observation)
                if strict || !both.isEmpty {
                    let keys = both.isEmpty ? "" : "; both rows log \(both.joined(separator: ", "))"
                    throw error(
                        "duplicate step \(step) in run '\(run.name)' (also\(earlier.line.map { " on line \($0)" } ?? " earlier"))", keys,
                        observation, file: file)
                }
            }
            seen[step] = observation
            previous = observation
        }
    }

    private func error(_ detail: String, _ keys: String, _ observation: Observation, file: String) -> LawfitError {
        let fix = policy == .error
            ? "; steps must increase within a run\(keys) (--repeated-steps error; 'last' merges repeated steps)"
            : "; steps must increase within a run some of whose rows have no step\(keys)"
        let hint = severalRunsHint ? " (if the file holds several runs, name their column with --run)" : ""
        return LawfitError.input(detail + fix + hint, at: SourceLocation(file: file, line: observation.line, column: stepColumn))
    }

    /// The names of the keys both observations log (besides the step).
    private static func sharedKeys(_ a: Observation, _ b: Observation) -> [String] {
        var keys: [String] = []
        if a.loss != nil, b.loss != nil { keys.append("loss") }
        if a.learningRate != nil, b.learningRate != nil { keys.append("lr") }
        if a.parameters != nil, b.parameters != nil { keys.append("N") }
        if a.tokens != nil, b.tokens != nil { keys.append("D") }
        if a.compute != nil, b.compute != nil { keys.append("C") }
        if a.uniqueTokens != nil, b.uniqueTokens != nil { keys.append("U") }
        keys += a.extra.keys.filter { b.extra[$0] != nil }.sorted()
        return keys
    }
}
