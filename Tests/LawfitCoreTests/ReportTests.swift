import Foundation
import Testing
@testable import LawfitCore

private func selectionReport(workers: Int = 2) async throws -> SelectionReport {
    let selection = ModelSelection(
        laws: [TestChinchillaLaw(), TestSizeOnlyLaw(), TestStepLaw()],
        fitOptions: FitOptions(starts: .count(8), seed: 3, workers: workers),
        bootstrap: BootstrapOptions(resamples: 12, seed: 3, workers: workers, extraStarts: 1))
    return try await selection.run(syntheticNDRuns())
}

@Suite("Reports: SVG writer")
struct ReportSVGTests {
    @Test("Log-axis ticks are powers of ten; 1-2-5 under two decades; more under one")
    func logTicks() {
        let plot = SVGPlot(title: "t", xLabel: "x", yLabel: "y", xScale: .log)
        #expect(plot.ticks(range: (0.9, 5.2), scale: .log) == [10, 100, 1000, 10000, 100_000])
        #expect(plot.ticks(range: (0.1, 1.5), scale: .log) == [2, 5, 10, 20])
        #expect(plot.ticks(range: (0.25, 0.7), scale: .log) == [2, 3, 4, 5])
        #expect(plot.tickLabel(1e21, .log) == "1e21")
        #expect(plot.tickLabel(20, .log) == "20")
    }

    @Test("Linear-axis ticks step by 1, 2 or 5 times a power of ten")
    func linearTicks() {
        let plot = SVGPlot(title: "t", xLabel: "x", yLabel: "y")
        #expect(plot.ticks(range: (0, 10), scale: .linear) == [0, 2, 4, 6, 8, 10])
        #expect(plot.ticks(range: (-0.013, 0.021), scale: .linear) == [-0.01, 0, 0.01, 0.02])
        #expect(plot.ticks(range: (0.3, 1.1), scale: .linear) == [0.4, 0.6, 0.8, 1.0])
    }

    @Test("Marks render as SVG elements at the right pixel positions; text is escaped")
    func rendering() {
        var plot = SVGPlot(title: "a < b & c", xLabel: "x", yLabel: "y")
        plot.marks = [
            .region(from: 5, to: .infinity, label: "held out"),
            .line(x: [0, 10], y: [0, 10], color: "#111111", dashed: true, label: "fit"),
            .points(x: [5], y: [5], color: "#222222", hollow: true, label: "data"),
        ]
        let svg = plot.render()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("a &lt; b &amp; c"))
        // Plot area 70...620 x 34...350; data 0...10 padded by 4 % (-0.4...10.4).
        let x0 = 70 + 550 * 0.4 / 10.8, x10 = 70 + 550 * 10.4 / 10.8
        #expect(svg.contains("<polyline points=\"\(String(format: "%.1f", x0)),\(String(format: "%.1f", 34 + 316 * 10.4 / 10.8)) \(String(format: "%.1f", x10)),\(String(format: "%.1f", 34 + 316 * 0.4 / 10.8))\""))
        #expect(svg.contains("stroke-dasharray=\"6 4\""))
        #expect(svg.contains("<circle cx=\"345.0\" cy=\"192.0\" r=\"3\" fill=\"white\""))
        #expect(svg.contains("<rect x=\"345.0\" y=\"34.0\" width=\"275.0\""))
        #expect(svg.contains(">fit</text>") && svg.contains(">data</text>"))
        #expect(!svg.contains("<script"))
    }
}

@Suite("Reports: JSON, Markdown, HTML")
struct ReportTests {
    @Test("JSON is byte-identical for a seed whatever the worker count, with sorted keys and no timings")
    func jsonDeterminism() async throws {
        let one = try ReportWriter.json(try await selectionReport(workers: 1))
        let two = try ReportWriter.json(try await selectionReport(workers: 3))
        #expect(one == two)
        #expect(!one.contains("seconds"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(one.utf8)) as? [String: Any])
        #expect(object["schema_version"] as? Int == 1)
        #expect(Array(object.keys).sorted() == ["data", "laws", "objective", "plot_axis", "ranked_by", "schema_version", "seed", "significance", "split", "verdict", "warnings"])
        let keyOrder = ["\"data\"", "\"laws\"", "\"objective\"", "\"plot_axis\""].map { one.range(of: $0)!.lowerBound }
        #expect(keyOrder == keyOrder.sorted())
        let laws = try #require(object["laws"] as? [[String: Any]])
        #expect(laws.map { $0["status"] as? String } == ["ranked", "ranked", "skipped"])
        let decoded = try JSONDecoder().decode(SelectionReport.self, from: Data(one.utf8))
        #expect(decoded.laws[0].fit == (try await selectionReport()).laws[0].fit)
    }

    @Test("Markdown has the verdict, the ranking table and parameter intervals")
    func markdown() async throws {
        let report = try await selectionReport()
        let text = try ReportWriter.render(report, format: .markdown)
        #expect(text.contains("**Verdict.** test-chinchilla ranks first"))
        #expect(text.contains("| 1 | test-chinchilla | 6 |"))
        #expect(text.contains("| alpha | "))
        #expect(text.contains("Bootstrap: 12 resamples (0 failed), 95 % percentile intervals; the 38 fitted points were resampled with replacement, as if independent;"))
        #expect(text.contains("**test-step** skipped: the data lack step"))
    }

    @Test("HTML is self-contained: inline SVG plots, tables, no script, no external resource")
    func html() async throws {
        let report = try await selectionReport()
        let html = try ReportWriter.render(report, format: .html)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 3)  // residuals + two laws
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=") && !html.contains("href="))
        #expect(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http") == false)
        #expect(html.contains("held out"))
        #expect(html.contains("<details>"))
    }

    @Test("Writing a report folder is atomic and leaves no temporary file")
    func writeFolder() async throws {
        let report = try await selectionReport()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lawfit-report-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let paths = try ReportWriter.write(report, to: folder)
        #expect(paths.map { URL(fileURLWithPath: $0).lastPathComponent } == ["report.json", "report.md", "report.html"])
        let listing = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(listing == ["report.html", "report.json", "report.md"])
        #expect(try String(contentsOfFile: paths[0], encoding: .utf8) == (try ReportWriter.json(report)))
        if let out = ProcessInfo.processInfo.environment["LAWFIT_REPORT_SAMPLE"] {
            try ReportWriter.write(report, to: out, formats: [.html])
        }
    }
}

extension ReportTests {
    /// Issue 16.14: run names went into the Markdown report unescaped (the HTML report escaped them).
    @Test("Markdown escapes what would start emphasis, code, links, HTML or a table cell in a run name")
    func markdownEscapesRunNames() {
        #expect(MarkdownReport.escape("a|b *c* <i>_d_ [e](f) `g` #h !i &j \\k\nl") == ##"a\|b \*c\* \<i\>\_d\_ \[e\](f) \`g\` \#h \!i \&j \\k l"##)
        #expect(MarkdownReport.escape("run-1 (seed 3)") == "run-1 (seed 3)")
    }
}
