import Foundation
import Testing
@testable import LawfitCore

/// The x positions of `<polyline>`s in `svg` drawn in `color`, and whether each is dashed.
private func polylines(_ svg: String, color: String) -> [(xs: [Double], dashed: Bool)] {
    svg.split(separator: "\n").filter { $0.hasPrefix("<polyline") && $0.contains("stroke=\"\(color)\"") }.map { line in
        let points = line.components(separatedBy: "points=\"")[1].components(separatedBy: "\"")[0]
        let xs = points.split(separator: " ").compactMap { Double($0.split(separator: ",")[0]) }
        return (xs, line.contains("stroke-dasharray"))
    }
}

@Suite("Reports: plot geometry")
struct ReportPlotGeometryTests {
    /// A curve report: the test step law fitted on r0, r1, r2 and predicting r3.
    static func curveReport() async throws -> SelectionReport {
        let selection = ModelSelection(
            laws: [TestStepLaw()], split: try SplitStrategy(parsing: "runs:r3"), fitOptions: FitOptions(starts: .count(2), seed: 1, workers: 1),
            bootstrap: BootstrapOptions(resamples: 6, seed: 1, workers: 1, extraStarts: 0))
        return try await selection.run(curveRuns())
    }

    @Test("Loss curves: log-step axis from the end of warmup, y range without the early loss, one colour and legend entry per run, held-out dashed, legend outside")
    func curveOverview() async throws {
        let report = try await Self.curveReport()
        let law = try #require(report.ranked.first)
        let plot = CurvePlots.overview(law, report: report)
        #expect(plot.xScale == .log)
        // The schedules warm up for 100 steps and never part: the focus is the middle of 100...1000
        // in log step, sqrt(1e5) = 316.2, and the drawn view runs from half of it to the last step.
        let focus = 1e5.squareRoot()
        let xLimits = try #require(plot.xLimits)
        #expect(abs(xLimits.lowerBound - focus / 2) <= 1e-9 && xLimits.upperBound == 1000)
        let (xRange, yRange) = plot.ranges()
        #expect(abs(xRange.0 - log10(focus / 2)) <= 1e-12 && abs(xRange.1 - 3) <= 1e-12)
        // The runs share one schedule, so the y range counts from the middle of the view, step
        // sqrt(100 * 1000) = 316.2: top, the observed loss of r3 at step 320 (1.06 (2 + 5/sqrt(320)));
        // bottom, the lowest observed or predicted loss from there; plus 5 % of the span each way.
        let top = 1.06 * (2 + 5 / 320.0.squareRoot())
        let bottom = try #require(law.points.filter { $0.x >= 316.2 }.flatMap { [$0.observed, $0.predicted] }.min())
        #expect(abs(yRange.1 - (top + 0.05 * (top - bottom))) <= 1e-9)
        #expect(abs(yRange.0 - (bottom - 0.05 * (top - bottom))) <= 1e-9)
        #expect(yRange.1 < 1.0 * (2 + 5 / 10.0.squareRoot()))
        let svg = plot.render()
        for (run, summary) in report.data.runs.enumerated() {
            let color = CurvePlots.runColor(run)
            let lines = polylines(svg, color: color)
            #expect(!lines.isEmpty, "no line for \(summary.name)")
            // r3 is held out: its prediction is dashed; the fitted runs' are solid.
            #expect(lines.allSatisfy { $0.dashed == (summary.name == "r3") })
            #expect(plot.legendEntries().filter { $0.label.hasPrefix("\(summary.name) (") && $0.color == color }.count == 1)
        }
        #expect(Set(report.data.runs.indices.map(CurvePlots.runColor)).count == 4)
        // The legend box lies right of the plot area (70 + 1100 - 70 - 230 = 870 px).
        let legendBox = try #require(svg.split(separator: "\n").first { $0.contains("fill-opacity=\"0.85\"") })
        let legendX = try #require(Double(legendBox.components(separatedBy: "x=\"")[1].components(separatedBy: "\"")[0]))
        #expect(legendX >= 870)
        // Every drawn line lies within the plot area.
        for run in report.data.runs.indices {
            for line in polylines(svg, color: CurvePlots.runColor(run)) { #expect(line.xs.allSatisfy { $0 >= 70 && $0 <= 870 }) }
        }
        // Bootstrap bands in the run's colour.
        #expect(svg.contains("<polygon points=") && svg.contains("fill=\"\(CurvePlots.runColor(3))\" fill-opacity=\"0.22\""))
    }

    @Test("The y range counts from the step where the schedules part")
    func divergence() {
        let constant = Curve(label: "a", x: [0, 100, 200, 300], y: [1, 1, 1, 1])
        let decaying = Curve(label: "b", x: [0, 150, 250, 300], y: [1, 0.95, 0.85, 0.5])
        // At 250 the rates are 1 and 0.85: more than a tenth of the peak apart; at 200, 1 and 0.95.
        #expect(CurvePlots.divergence([constant, decaying]) == 250)
        #expect(CurvePlots.divergence([constant, constant]) == nil)
        #expect(CurvePlots.divergence([constant]) == nil)
    }

    @Test("The schedule panel draws each run's learning rate; the final-loss plot puts a marker per run on predicted vs observed")
    func scheduleAndFinalLoss() async throws {
        let report = try await Self.curveReport()
        let schedules = try #require(CurvePlots.schedulePanel(report))
        #expect(report.schedules.count == 4)
        let cosine = report.schedules[0]
        #expect(cosine.y[cosine.x.firstIndex(of: 100)!] == 0.1)
        #expect(cosine.y.last! == 0.01)
        #expect(schedules.legendEntries().map(\.label) == ["r0 (fitted)", "r1 (fitted)", "r2 (fitted)", "r3 (held out)"])
        let finals = try #require(CurvePlots.finalLossPlot(report))
        let law = report.ranked[0]
        var markers: [(Double, Double)] = []
        for mark in finals.marks {
            if case .points(let x, let y, _, _, _) = mark { markers += zip(x, y).map { ($0, $1) } }
        }
        #expect(markers.count == 4)
        let r3 = try #require(law.points.filter { $0.run == 3 }.max { $0.index < $1.index })
        #expect(markers.contains { $0.0 == r3.observed && $0.1 == r3.heldOutPrediction! })
        // Per-run held-out errors: r3 only, against an independent computation.
        let errors = RunErrors.of(law)
        #expect(errors.map(\.run) == [3])
        let held = law.points.filter { $0.run == 3 }
        let mean = held.map { abs($0.heldOutPrediction! - $0.observed) / $0.observed }.reduce(0, +) / Double(held.count)
        #expect(abs(errors[0].meanRelativeError - mean) <= 1e-15)
        #expect(errors[0].finalStep == 1000)
    }

    @Test("(N, D) plots: points coloured by model size like their curve, y range from the data whatever a band does")
    func pointPlot() async throws {
        let selection = ModelSelection(
            laws: [TestChinchillaLaw()], fitOptions: FitOptions(starts: .count(6), seed: 3, workers: 1),
            bootstrap: BootstrapOptions(resamples: 6, seed: 3, workers: 1, extraStarts: 0))
        let report = try await selection.run(syntheticNDRuns())
        let law = try #require(report.ranked.first)
        var plot = PointPlots.lawPlot(law, report: report)
        var lineColors: [String: String] = [:]
        var pointColors: [String] = []
        for mark in plot.marks {
            switch mark {
            case .line(_, _, let color, _, let label?): lineColors[label] = color
            case .points(let x, _, let color, _, _) where !x.isEmpty: pointColors.append(color)
            default: break
            }
        }
        // Every series' points take its curve's colour; several sizes, several colours.
        for point in law.points {
            let series = try #require(point.series)
            #expect(lineColors[series] != nil)
        }
        #expect(Set(pointColors).isSubset(of: Set(lineColors.values)))
        #expect(Set(pointColors).count >= 3)
        let before = plot.ranges()
        let observed = law.points.map(\.observed)
        #expect(abs(before.1.0 - (log10(observed.min()!) - 0.08 * (log10(observed.max()!) - log10(observed.min()!)))) <= 0.05)
        plot.marks.append(.band(x: [1e18, 1e22], lower: [1e-3, 1e-3], upper: [1e6, 1e6], color: "#000000"))
        let after = plot.ranges()
        #expect(before.0 == after.0 && before.1 == after.1)
        #expect(plot.legendPlacement == .outside)
    }

    @Test("A long legend entry keeps its '(held out)' and shows the full name as a tooltip")
    func longLegendEntries() {
        let name = "cooldown0.4_50000_resumed (held out)"
        #expect(SVGPlot.legendLabel(name, characters: 30) == "cooldown0.4_50000_… (held out)")
        #expect(SVGPlot.legendLabel(name, characters: 30).count == 30)
        #expect(SVGPlot.legendLabel("wsd (held out)", characters: 30) == "wsd (held out)")
        #expect(SVGPlot.legendLabel(String(repeating: "a", count: 40), characters: 30) == String(repeating: "a", count: 29) + "…")
        // A qualifier too long to leave 8 characters of the name: cut at the end like any text.
        #expect(SVGPlot.legendLabel("run (" + String(repeating: "q", count: 30) + ")", characters: 30).hasSuffix("qq…"))
        var plot = SVGPlot(title: "t", xLabel: "x", yLabel: "y")
        plot.legendPlacement = .outside
        plot.marks = [.line(x: [1, 2], y: [1, 2], color: "#1f77b4", dashed: true, label: name)]
        let svg = plot.render()
        #expect(svg.contains("><title>cooldown0.4_50000_resumed (held out)</title>cooldown0.4_50000_… (held out)</text>"))
    }
}
