/// The Markdown form of a selection report: verdict, split, ranking table, and per law the
/// parameters with intervals and the flags.
enum MarkdownReport {
    static func render(_ report: SelectionReport) -> String {
        typealias F = ReportFormatting
        var lines = [
            "# Lawfit model-selection report", "",
            "**Verdict.** \(report.verdict)", "",
        ]
        if !report.warnings.isEmpty {
            lines += ["**Warnings.**", ""] + report.warnings.map { "- \($0)" } + [""]
        }
        lines += [
            "- Data: \(report.data.points) points in \(report.data.runs.count) run(s); inputs \(report.data.inputs.map(\.rawValue).joined(separator: ", "))",
            "- Split (`\(report.split.strategy)`): \(report.split.description)",
            "- Objective: \(report.objective); ranked by \(report.rankedBy); seed \(report.seed)", "",
            "## Ranking", "",
        ]
        lines += rankingTable(report).map { "| " + $0.joined(separator: " | ") + " |" }
        if let s = report.significance {
            lines += ["", "Significance: \(s.statement)"]
        }
        for law in report.laws where law.status != .ranked {
            lines.append("")
            lines.append("- **\(law.law)** \(law.status.rawValue): \(law.reason ?? "")")
        }
        let runErrors = RunErrors.table(report)
        if report.plotAxis == .step, runErrors.count > 2 {
            lines += ["", "## Held-out error per run", "",
                      "Relative error |Lhat - L| / L over each run's held-out points (mean, max) and signed at its last held-out step.", ""]
            lines += runErrors.map { "| " + $0.joined(separator: " | ") + " |" }
        }
        for law in report.ranked {
            lines += ["", "## \(law.rank!). \(law.law)", "", law.summary, ""]
            lines += parameterTable(law).map { "| " + $0.joined(separator: " | ") + " |" }
            if let bootstrap = law.bootstrap {
                lines += ["", "Bootstrap: \(bootstrap.resamples) resamples (\(bootstrap.failed) failed), \(F.number(bootstrap.confidence * 100)) % percentile intervals; \(bootstrap.resampling); \(bootstrap.refit)."]
            }
            if let error = law.laplaceError { lines += ["", "Laplace intervals unavailable: \(error)"] }
            if !law.flags.isEmpty {
                lines += ["", "Flags:"] + law.flags.map { "- \($0)" }
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
                "\(law.rank!)", law.law, "\(law.criteria?.parameters ?? 0)",
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
            rows.append([name, F.number(fit.parameters[name]), F.interval(b), F.number(b?.standardError), F.interval(l), F.number(l?.standardError)])
        }
        return rows
    }
}
