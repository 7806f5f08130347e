import Foundation

/// The report formats.
public enum ReportFormat: String, Sendable, Hashable, CaseIterable, Codable {
    case json
    case markdown
    case html

    /// The file name a report of this format gets inside a report folder.
    public var fileName: String {
        switch self {
        case .json: "report.json"
        case .markdown: "report.md"
        case .html: "report.html"
        }
    }
}

/// Renders a ``SelectionReport`` and writes it to files atomically (``AtomicFile``: temporary file, then rename).
public enum ReportWriter {
    /// The report in `format` as text.
    public static func render(_ report: SelectionReport, format: ReportFormat) throws -> String {
        switch format {
        case .json: try json(report)
        case .markdown: MarkdownReport.render(report)
        case .html: HTMLReport.render(report)
        }
    }

    /// JSON with sorted keys and no timings (``StableJSON``): byte-identical for the same input and
    /// seed. Non-finite numbers are written as the strings `"inf"`, `"-inf"`, `"nan"`.
    public static func json(_ report: SelectionReport) throws -> String {
        String(decoding: try StableJSON.encode(report), as: UTF8.self)
    }

    /// Writes the report in each format into `directory` (created if missing) and returns the paths.
    @discardableResult
    public static func write(_ report: SelectionReport, to directory: String, formats: [ReportFormat] = ReportFormat.allCases) throws -> [String] {
        try formats.map { format in
            let path = URL(fileURLWithPath: directory).appendingPathComponent(format.fileName).path
            try AtomicFile.write(try render(report, format: format), to: path)
            return path
        }
    }
}

/// Number formatting shared by the text reports.
enum ReportFormatting {
    static func number(_ v: Double?) -> String {
        guard let v else { return "–" }
        guard v.isFinite else { return "\(v)" }
        if v == 0 { return "0" }
        if abs(v) >= 1e5 || abs(v) < 1e-3 { return String(format: "%.4e", v) }
        return String(format: "%.5g", v)
    }

    static func interval(_ interval: Interval?) -> String {
        guard let interval else { return "–" }
        return "[\(number(interval.lower)), \(number(interval.upper))]"
    }

    static func percent(_ v: Double?) -> String {
        guard let v else { return "–" }
        return String(format: "%.3f %%", v * 100)
    }
}
