import Foundation

/// The self-contained HTML report: inline CSS and SVG drawn by ``SVGPlot``, no script, no network.
enum HTMLReport {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"]

    static func render(_ report: SelectionReport) -> String {
        let e = SVGPlot.escape
        var body = [
            "<h1>Lawfit model-selection report</h1>",
            "<p class=\"verdict\"><b>Verdict.</b> \(e(report.verdict))</p>",
            "<ul>",
            "<li>Data: \(report.data.points) points in \(report.data.runs.count) run(s) (\(e(report.data.runs.map(\.name).joined(separator: ", ")))); inputs \(e(report.data.inputs.map(\.rawValue).joined(separator: ", ")))</li>",
            "<li>Split <code>\(e(report.split.strategy))</code>: \(e(report.split.description))</li>",
            "<li>Objective: \(e(report.objective)); ranked by \(e(report.rankedBy)); seed \(report.seed)</li>",
            "</ul>",
            "<h2>Ranking</h2>",
            table(MarkdownReport.rankingTable(report)),
        ]
        if let s = report.significance { body.append("<p>Significance: \(e(s.statement))</p>") }
        let unranked = report.laws.filter { $0.status != .ranked }
        if !unranked.isEmpty {
            body.append("<ul>" + unranked.map { "<li><b>\(e($0.law))</b> \($0.status.rawValue): \(e($0.reason ?? ""))</li>" }.joined() + "</ul>")
        }
        if !report.ranked.isEmpty {
            body.append("<h2>Residuals</h2>")
            body.append(residualPlot(report).render())
        }
        for law in report.ranked {
            body.append("<h2>\(law.rank!). \(e(law.law))</h2>")
            body.append("<p>\(e(law.summary))</p>")
            body.append(lawPlot(law, report: report).render())
            body.append(table(MarkdownReport.parameterTable(law)))
            if let b = law.bootstrap {
                body.append("<p>Bootstrap: \(b.resamples) resamples of \(b.unit.rawValue) (\(b.failed) failed), \(ReportFormatting.number(b.confidence * 100)) % percentile intervals; \(e(b.refit)).</p>")
            }
            if let error = law.laplaceError { body.append("<p>Laplace intervals unavailable: \(e(error))</p>") }
            if !law.flags.isEmpty {
                body.append("<ul class=\"flags\">" + law.flags.map { "<li>\(e($0))</li>" }.joined() + "</ul>")
            }
        }
        body.append(splitDetails(report))
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Lawfit report</title>
            <style>
            body { font-family: sans-serif; max-width: 1000px; margin: 24px auto; color: #222; }
            table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
            th, td { border: 1px solid #ccc; padding: 3px 7px; text-align: right; }
            th { background: #f3f3f3; } td:nth-child(2), th:nth-child(2) { text-align: left; }
            .verdict { background: #eef5ff; padding: 8px; border-left: 4px solid #1f77b4; }
            .flags li { color: #a33; } svg { display: block; margin: 8px 0; }
            </style></head><body>
            \(body.joined(separator: "\n"))
            </body></html>

            """
    }

    static func table(_ rows: [[String]]) -> String {
        guard rows.count >= 2 else { return "" }
        let head = "<tr>" + rows[0].map { "<th>\(SVGPlot.escape($0))</th>" }.joined() + "</tr>"
        let body = rows.dropFirst(2).map { "<tr>" + $0.map { "<td>\(SVGPlot.escape($0))</td>" }.joined() + "</tr>" }
        return "<table>" + ([head] + body).joined(separator: "\n") + "</table>"
    }

    static func axisLabel(_ axis: PlotAxis) -> String {
        switch axis {
        case .compute: "compute C (FLOP)"
        case .parameters: "parameters N"
        case .tokens: "tokens D"
        case .step: "step"
        }
    }

    static func scales(_ axis: PlotAxis) -> (SVGPlot.Scale, SVGPlot.Scale) {
        axis == .step ? (.linear, .linear) : (.log, .log)
    }

    /// Data, fitted curves (solid over the fitted x range, dashed beyond it), bootstrap bands, and the
    /// held-out region shaded.
    static func lawPlot(_ law: LawEvaluation, report: SelectionReport) -> SVGPlot {
        let (xs, ys) = scales(report.plotAxis)
        var plot = SVGPlot(title: "\(law.law): data and fit", xLabel: axisLabel(report.plotAxis), yLabel: "loss", xScale: xs, yScale: ys)
        let train = law.points.filter { !$0.heldOut }, test = law.points.filter(\.heldOut)
        if let region = heldOutRegion(report, law: law) {
            plot.marks.append(.region(from: region, to: .infinity, label: "held out"))
        }
        let fittedMax = train.map(\.x).max() ?? -.infinity
        for (k, curve) in law.curves.enumerated() {
            let color = curve.highlighted ? "#000000" : palette[k % palette.count]
            if let lower = curve.lower, let upper = curve.upper {
                plot.marks.append(.band(x: curve.x, lower: lower, upper: upper, color: color))
            }
            let inside = curve.x.indices.filter { curve.x[$0] <= fittedMax }
            let beyond = curve.x.indices.filter { curve.x[$0] >= fittedMax }
            let label = k < 8 || curve.highlighted ? curve.label : nil
            let extrapolatedOnly = inside.count < 2
            if !extrapolatedOnly {
                plot.marks.append(.line(x: inside.map { curve.x[$0] }, y: inside.map { curve.y[$0] }, color: color, dashed: false, label: label))
            }
            let tail = (inside.last.map { [$0] } ?? []) + beyond.filter { $0 != inside.last }
            if tail.count >= 2 {
                plot.marks.append(.line(x: tail.map { curve.x[$0] }, y: tail.map { curve.y[$0] }, color: color, dashed: true, label: extrapolatedOnly ? label : nil))
            }
        }
        plot.marks.append(.points(x: train.map(\.x), y: train.map(\.observed), color: "#333333", hollow: false, label: "fitted data"))
        if !test.isEmpty {
            plot.marks.append(.points(x: test.map(\.x), y: test.map(\.observed), color: "#d62728", hollow: true, label: "held-out data"))
        }
        return plot
    }

    /// Where to start shading: the smallest held-out x for extrapolation and forecasting splits.
    static func heldOutRegion(_ report: SelectionReport, law: LawEvaluation) -> Double? {
        let strategy = report.split.strategy
        guard strategy.hasPrefix("largest-") || strategy.hasPrefix("last-steps") else { return nil }
        return law.points.filter(\.heldOut).map(\.x).min()
    }

    /// Log residuals of every ranked law (held-out points use the prediction that did not see them).
    static func residualPlot(_ report: SelectionReport) -> SVGPlot {
        let (xs, _) = scales(report.plotAxis)
        var plot = SVGPlot(title: "Residuals log Lhat - log L", xLabel: axisLabel(report.plotAxis), yLabel: "log residual", xScale: xs, yScale: .linear)
        if let first = report.ranked.first, let region = heldOutRegion(report, law: first) {
            plot.marks.append(.region(from: region, to: .infinity, label: "held out"))
        }
        plot.marks.append(.horizontal(y: 0, color: "#555555"))
        for (k, law) in report.ranked.enumerated() {
            let color = palette[k % palette.count]
            let train = law.points.filter { !$0.heldOut }, test = law.points.filter(\.heldOut)
            plot.marks.append(.points(x: train.map(\.x), y: train.map { Foundation.log($0.predicted / $0.observed) }, color: color, hollow: false, label: "\(law.law) fitted"))
            if !test.isEmpty {
                plot.marks.append(.points(
                    x: test.map(\.x), y: test.map { Foundation.log(($0.heldOutPrediction ?? $0.predicted) / $0.observed) },
                    color: color, hollow: true, label: "\(law.law) held out"))
            }
        }
        return plot
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
