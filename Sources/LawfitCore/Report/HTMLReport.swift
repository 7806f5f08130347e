import Foundation

/// The self-contained HTML report: inline CSS and SVG drawn by ``SVGPlot``, no script, no network.
enum HTMLReport {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"]

    static func render(_ report: SelectionReport) -> String {
        let e = SVGPlot.escape
        var body = [
            "<h1>Lawfit model-selection report</h1>",
            "<p class=\"verdict\"><b>Verdict.</b> \(e(report.verdict))</p>",
        ]
        if !report.warnings.isEmpty {
            body.append("<div class=\"warnings\"><b>Warnings</b><ul>" + report.warnings.map { "<li>\(e($0))</li>" }.joined() + "</ul></div>")
        }
        body += [
            "<ul>",
            "<li>Data: \(report.data.points) points in \(report.data.runs.count) run(s) (\(e(report.data.runs.map(\.name).joined(separator: ", ")))); inputs \(e(report.data.inputs.map(\.rawValue).joined(separator: ", ")))</li>",
            "<li>Split <code>\(e(report.split.strategy))</code>: \(e(report.split.description))</li>",
            "<li>Objective: \(e(report.objective)); ranked by \(e(report.rankedBy)); seed \(report.seed)</li>",
        ]
        if let listing = report.data.listingSentence { body.append("<li>\(e(listing))</li>") }
        if let b = report.ranked.compactMap(\.bootstrap).first {
            body.append("<li>Uncertainty: \(b.resamples) bootstrap resamples; \(e(b.resampling)).</li>")
        }
        body += ["</ul>", "<h2>Ranking</h2>", table(MarkdownReport.rankingTable(report))]
        if let s = report.significance { body.append("<p>Significance: \(e(s.statement))</p>") }
        let unranked = report.laws.filter { $0.status != .ranked }
        if !unranked.isEmpty {
            body.append("<ul>" + unranked.map { "<li><b>\(e($0.law))</b> \($0.status.rawValue): \(e($0.reason ?? ""))</li>" }.joined() + "</ul>")
        }
        if report.plotAxis == .step {
            body += curveSections(report)
        } else {
            body += pointSections(report)
        }
        body.append(splitDetails(report))
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Lawfit report</title>
            <style>
            body { font-family: sans-serif; max-width: 1240px; margin: 24px auto; padding: 0 12px; color: #222; }
            table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
            th, td { border: 1px solid #ccc; padding: 3px 7px; text-align: right; }
            th { background: #f3f3f3; } td:nth-child(2), th:nth-child(2) { text-align: left; }
            table.runs td:first-child, table.runs th:first-child { text-align: left; }
            .verdict { background: #eef5ff; padding: 8px; border-left: 4px solid #1f77b4; }
            .warnings { background: #fff4e5; padding: 8px; border-left: 4px solid #e08a00; }
            .flags li { color: #a33; } svg { display: block; margin: 8px 0; }
            .panels { display: flex; flex-wrap: wrap; gap: 4px; } .panels svg { margin: 0; }
            </style></head><body>
            \(body.joined(separator: "\n"))
            </body></html>

            """
    }

    /// Loss curves: schedules, per-run held-out errors, final losses, then per law every run, one
    /// panel per run, residuals per run, parameters and flags.
    static func curveSections(_ report: SelectionReport) -> [String] {
        var body: [String] = []
        if let schedules = CurvePlots.schedulePanel(report) { body += ["<h2>Schedules</h2>", schedules.render()] }
        let errors = RunErrors.table(report)
        if errors.count > 2 {
            body += [
                "<h2>Held-out error per run</h2>",
                "<p>Relative error |Lhat - L| / L over each run's held-out points (mean and max), and the signed error at its last held-out step (positive: predicted too high).</p>",
                table(errors, className: "runs"),
            ]
        }
        if let finals = CurvePlots.finalLossPlot(report) { body += ["<h2>Final loss</h2>", finals.render()] }
        for law in report.ranked {
            body += lawHeader(law)
            body.append(CurvePlots.overview(law, report: report).render())
            let panels = CurvePlots.runPanels(law, report: report)
            if !panels.isEmpty {
                body.append("<details\(law.rank == 1 ? " open" : "")><summary>One panel per run (own loss range)</summary><div class=\"panels\">"
                    + panels.map { $0.render() }.joined(separator: "\n") + "</div></details>")
            }
            body.append(CurvePlots.residualPlot(law, report: report).render())
            body += lawTables(law)
        }
        return body
    }

    /// (N, D) data: one residual plot for all laws, then per law its data, curves and parameters.
    static func pointSections(_ report: SelectionReport) -> [String] {
        guard !report.ranked.isEmpty else { return [] }
        var body = ["<h2>Residuals</h2>", PointPlots.residualPlot(report).render()]
        for law in report.ranked {
            body += lawHeader(law)
            body.append(PointPlots.lawPlot(law, report: report).render())
            body += lawTables(law)
        }
        return body
    }

    static func lawHeader(_ law: LawEvaluation) -> [String] {
        ["<h2>\(law.rank!). \(SVGPlot.escape(law.law))</h2>", "<p>\(SVGPlot.escape(law.summary))</p>"]
    }

    /// Parameter table, bootstrap and Laplace notes, flags as sentences.
    static func lawTables(_ law: LawEvaluation) -> [String] {
        let e = SVGPlot.escape
        var body = [table(MarkdownReport.parameterTable(law))]
        if let b = law.bootstrap {
            body.append("<p>Bootstrap: \(b.resamples) resamples (\(b.failed) failed), \(ReportFormatting.number(b.confidence * 100)) % percentile intervals; \(e(b.resampling)); \(e(b.refit)).</p>")
        }
        if let error = law.laplaceError { body.append("<p>Laplace intervals unavailable: \(e(error))</p>") }
        if !law.flags.isEmpty {
            body.append("<p><b>Flags</b></p><ul class=\"flags\">" + law.flags.map { "<li>\(e($0))</li>" }.joined() + "</ul>")
        }
        return body
    }

    static func table(_ rows: [[String]], className: String? = nil) -> String {
        guard rows.count >= 2 else { return "" }
        let head = "<tr>" + rows[0].map { "<th>\(SVGPlot.escape($0))</th>" }.joined() + "</tr>"
        let body = rows.dropFirst(2).map { "<tr>" + $0.map { "<td>\(SVGPlot.escape($0))</td>" }.joined() + "</tr>" }
        return "<table\(className.map { " class=\"\($0)\"" } ?? "")>" + ([head] + body).joined(separator: "\n") + "</table>"
    }

    /// The split's held-out points, listed under a disclosure element.
    static func splitDetails(_ report: SelectionReport) -> String {
        let names = report.data.runs.map(\.name)
        var rows: [String] = []
        for (f, fold) in report.split.folds.enumerated() {
            let byRun = Dictionary(grouping: fold.test, by: \.run)
            for run in byRun.keys.sorted() {
                let indices = byRun[run]!.map { "\($0.index + 1)" }.joined(separator: ", ")
                rows.append("<li>fold \(f + 1): run \(SVGPlot.escape(names[run])), points \(indices)</li>")
            }
        }
        return "<details><summary>Held-out points (1-based index within each run)</summary><ul>\(rows.joined())</ul></details>"
    }
}
