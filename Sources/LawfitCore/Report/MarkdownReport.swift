/// The Markdown form of a selection report: verdict, split, ranking table, and per law the
/// parameters with intervals and the flags.
enum MarkdownReport {
    static func render(_ report: SelectionReport) -> String {
        typealias F = ReportFormatting
        var lines = [
            "# Lawfit model-selection report", "",
            "**Verdict.** \(escape(report.verdict))", "",
        ]
        if !report.warnings.isEmpty {
            lines += ["**Warnings.**", ""] + report.warnings.map { "- \(escape($0))" } + [""]
        }
        lines += [
            "- Data: \(report.data.points) points in \(report.data.runs.count) run(s); inputs \(report.data.inputs.map(\.rawValue).joined(separator: ", "))",
            "- Split (\(code(report.split.strategy))): \(escape(report.split.description))",
            "- Objective: \(report.objective); ranked by \(report.rankedBy); seed \(report.seed)",
        ]
        if let listing = report.data.listingSentence { lines.append("- \(escape(listing))") }
        lines += ["", "## Ranking", ""]
        lines += rankingTable(report).map { "| " + $0.joined(separator: " | ") + " |" }
        if let s = report.significance {
            lines += ["", "Significance: \(s.statement)"]
        }
        for law in report.laws where law.status != .ranked {
            lines.append("")
            lines.append("- **\(escape(law.law))** \(law.status.rawValue): \(escape(law.reason ?? ""))")
        }
        let runErrors = RunErrors.table(report)
        if report.plotAxis == .step, runErrors.count > 2 {
            lines += ["", "## Held-out error per run", "",
                      "Relative error |Lhat - L| / L over each run's held-out points (mean, max) and signed at its last held-out step.", ""]
            lines += runErrors.map { "| " + $0.joined(separator: " | ") + " |" }
        }
        for law in report.ranked {
            lines += ["", "## \(law.rank!). \(escape(law.law))", "", escape(law.summary), ""]
            lines += parameterTable(law).map { "| " + $0.joined(separator: " | ") + " |" }
            if let bootstrap = law.bootstrap {
                lines += ["", "Bootstrap: \(bootstrap.resamples) resamples (\(bootstrap.failed) failed), \(F.number(bootstrap.confidence * 100)) % percentile intervals; \(escape(bootstrap.resampling)); \(escape(bootstrap.refit))."]
            }
            if let error = law.laplaceError { lines += ["", "Laplace intervals unavailable: \(escape(error))"] }
            if !law.flags.isEmpty {
                lines += ["", "Flags:"] + law.flags.map { "- \(escape($0))" }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Header, separator and one row per ranked law.
    static func rankingTable(_ report: SelectionReport) -> [[String]] {
        typealias F = ReportFormatting
        var rows = [
            ["rank", "law", "k", "held-out log-RMSE", "held-out RMSE", "held-out mean rel. err", "held-out max rel. err", "held-out R²",
             "train log-RMSE", "AIC", "AICc", "BIC"],
        ]
        rows.append(rows[0].map { _ in "---" })
        for law in report.ranked {
            rows.append([
                "\(law.rank!)", escape(law.law), "\(law.criteria?.parameters ?? 0)",
                F.number(law.test?.logRMSE), F.number(law.test?.rmse), F.percent(law.test?.meanRelativeError),
                F.percent(law.test?.maxRelativeError), F.number(law.test?.r2 ?? nil), F.number(law.train?.logRMSE),
                F.number(law.criteria?.aic), F.number(law.criteria?.aicc ?? nil), F.number(law.criteria?.bic),
            ])
        }
        return rows
    }

    /// Header, separator and one row per parameter.
    static func parameterTable(_ law: LawEvaluation) -> [[String]] {
        typealias F = ReportFormatting
        guard let fit = law.fit else { return [] }
        var rows = [["parameter", "value", "bootstrap interval", "bootstrap SE", "Laplace interval", "Laplace SE"]]
        rows.append(rows[0].map { _ in "---" })
        for name in fit.parameterOrder {
            let b = law.bootstrap?.parameters.first { $0.name == name }?.interval
            let l = law.laplace?.first { $0.name == name }?.interval
            rows.append([escape(name), F.number(fit.parameters[name]), F.interval(b), F.number(b?.standardError), F.interval(l), F.number(l?.standardError)])
        }
        return rows
    }

    /// `text` (a run, law or file name, a message quoting them) as literal Markdown: the characters
    /// that would start emphasis, code, links, HTML or a table cell are backslash-escaped and line
    /// breaks become spaces, so a run named `a|b *c* <i>` cannot break the table or the layout.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "!", "&":
                escaped.append("\\")
                escaped.append(character)
            case "\n", "\r", "\r\n": escaped.append(" ")
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// `text` as inline code, with a fence longer than any run of backticks inside it.
    static func code(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        let longest = flat.split(whereSeparator: { $0 != "`" }).map(\.count).max() ?? 0
        if longest == 0 { return "`\(flat)`" }
        let fence = String(repeating: "`", count: longest + 1)
        return "\(fence) \(flat) \(fence)"
    }
}
