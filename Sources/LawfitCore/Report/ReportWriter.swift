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

/// Renders a ``SelectionReport`` and writes it to files atomically (temporary file, then rename).
public enum ReportWriter {
    /// The report in `format` as text.
    public static func render(_ report: SelectionReport, format: ReportFormat) throws -> String {
        switch format {
        case .json: try json(report)
        case .markdown: MarkdownReport.render(report)
        case .html: HTMLReport.render(report)
        }
    }

    /// JSON with sorted keys and no timings: byte-identical for the same input and seed.
    /// Non-finite numbers are written as the strings `"inf"`, `"-inf"`, `"nan"`.
    public static func json(_ report: SelectionReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }

    /// Writes the report in each format into `directory` (created if missing) and returns the paths.
    @discardableResult
    public static func write(_ report: SelectionReport, to directory: String, formats: [ReportFormat] = ReportFormat.allCases) throws -> [String] {
        try formats.map { format in
            let path = URL(fileURLWithPath: directory).appendingPathComponent(format.fileName).path
            try writeAtomically(try render(report, format: format), to: path)
            return path
        }
    }

    /// Writes `text` to `path` through a temporary file in the same folder and rename(2), so a reader
    /// never sees a partial file. - Throws: ``LawfitError`` (input) naming the path.
    public static func writeAtomically(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw LawfitError.input("cannot write \(path): \(error.localizedDescription)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw LawfitError.input("cannot write \(path): \(reason)")
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
