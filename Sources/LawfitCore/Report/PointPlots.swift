import Foundation

/// The figures of an (N, D) report: loss against compute (or N, or D) on log axes.
///
/// Data points take the colour of their model-size series (the curve drawn for that size); the
/// legend sits outside the plot so it never covers the held-out zone; the y range comes from the
/// observed losses and the predictions at the data points, so a curve or band that runs away in the
/// extrapolation is clipped instead of flattening the data.
enum PointPlots {
    static func axisLabel(_ axis: PlotAxis) -> String {
        switch axis {
        case .compute: "compute C (FLOP)"
        case .parameters: "parameters N"
        case .tokens: "tokens D"
        case .step: "step"
        }
    }

    /// Log-axis y range of the observed losses and the predictions at the data points, padded by
    /// 8 % of the span (in log10).
    static func lossLimits(_ points: [PointPrediction]) -> ClosedRange<Double>? {
        let values = points.flatMap { [$0.observed, $0.heldOutPrediction ?? $0.predicted] }.filter { $0.isFinite && $0 > 0 }
        guard let low = values.min(), let high = values.max(), high > low else { return nil }
        let span = Foundation.log10(high) - Foundation.log10(low)
        return Foundation.pow(10, Foundation.log10(low) - 0.08 * span)...Foundation.pow(10, Foundation.log10(high) + 0.08 * span)
    }

    /// Data, fitted curves (solid over the fitted x range, dashed beyond it), bootstrap bands, and the
    /// held-out region shaded.
    static func lawPlot(_ law: LawEvaluation, report: SelectionReport) -> SVGPlot {
        var plot = SVGPlot(title: "\(law.law): data and fit", xLabel: axisLabel(report.plotAxis), yLabel: "loss", xScale: .log, yScale: .log)
        plot.width = 1000
        plot.height = 480
        plot.legendPlacement = .outside
        plot.yLimits = lossLimits(law.points)
        let train = law.points.filter { !$0.heldOut }, test = law.points.filter(\.heldOut)
        if let region = heldOutRegion(report, law: law) {
            plot.marks.append(.region(from: region, to: .infinity, label: "held out"))
        }
        let fittedMax = train.map(\.x).max() ?? -.infinity
        var colors: [String: String] = [:]
        for (k, curve) in law.curves.enumerated() {
            let color = curve.highlighted ? "#000000" : HTMLReport.palette[k % HTMLReport.palette.count]
            colors[curve.label] = color
            if let lower = curve.lower, let upper = curve.upper {
                plot.marks.append(.band(x: curve.x, lower: lower, upper: upper, color: color))
            }
            let inside = curve.x.indices.filter { curve.x[$0] <= fittedMax }
            let beyond = curve.x.indices.filter { curve.x[$0] >= fittedMax }
            let extrapolatedOnly = inside.count < 2
            if !extrapolatedOnly {
                plot.marks.append(.line(x: inside.map { curve.x[$0] }, y: inside.map { curve.y[$0] }, color: color, dashed: false, label: curve.label))
            }
            let tail = (inside.last.map { [$0] } ?? []) + beyond.filter { $0 != inside.last }
            if tail.count >= 2 {
                plot.marks.append(.line(x: tail.map { curve.x[$0] }, y: tail.map { curve.y[$0] }, color: color, dashed: true, label: extrapolatedOnly ? curve.label : nil))
            }
        }
        // Points in their series' colour (grey when the series has no curve).
        let groups = Dictionary(grouping: law.points) { $0.series ?? "" }
        for key in groups.keys.sorted() {
            let members = groups[key]!
            let color = colors[key] ?? "#555555"
            let fitted = members.filter { !$0.heldOut }, held = members.filter(\.heldOut)
            plot.marks.append(.points(x: fitted.map(\.x), y: fitted.map(\.observed), color: color, hollow: false, label: nil))
            plot.marks.append(.points(x: held.map(\.x), y: held.map(\.observed), color: color, hollow: true, label: nil))
        }
        plot.marks.append(.key(label: "fitted data", color: "#444444", line: false, dashedOrHollow: false))
        if !test.isEmpty { plot.marks.append(.key(label: "held-out data", color: "#444444", line: false, dashedOrHollow: true)) }
        plot.marks.append(.key(label: "dashed: extrapolated", color: "#444444", line: true, dashedOrHollow: true))
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
        var plot = SVGPlot(title: "Residuals log Lhat - log L", xLabel: axisLabel(report.plotAxis), yLabel: "log residual", xScale: .log, yScale: .linear)
        plot.width = 1000
        plot.legendPlacement = .outside
        if let first = report.ranked.first, let region = heldOutRegion(report, law: first) {
            plot.marks.append(.region(from: region, to: .infinity, label: "held out"))
        }
        plot.marks.append(.horizontal(y: 0, color: "#555555"))
        for (k, law) in report.ranked.enumerated() {
            let color = HTMLReport.palette[k % HTMLReport.palette.count]
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
}
