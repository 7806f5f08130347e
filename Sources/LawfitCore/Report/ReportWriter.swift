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

    /// Writes the report in each format into `directory` as one set and returns the final paths.
    ///
    /// The files are written into a fresh temporary folder `.NAME.RANDOM` beside `directory` (made by mkdir, which fails on an existing name), which is
    /// then moved into place as a whole: renamed to `directory` when it does not exist, swapped with
    /// it when it holds nothing but report files (the old set is removed), and otherwise, when the
    /// folder holds other files too, each report file is renamed into it (after checking that none of
    /// the report names is taken by a folder or special file). A failure before the move leaves
    /// nothing behind; so does SIGINT or SIGTERM (``TemporaryCleanup``). While writing, the folder is
    /// locked (``ReportFolderLock``): pass the lock taken before the work, or one is taken here.
    ///
    /// - Throws: ``LawfitError`` (input) when `directory` is not a folder, a report name in it is
    ///   taken, another run holds the folder, or a file cannot be written.
    /// Refuses a report folder that cannot take the report before any work: `directory` exists but
    /// is not a folder, or one of the formats' file names in it is a folder or a special file.
    /// - Throws: ``LawfitError`` (input).
    public static func checkDestination(_ directory: String, formats: [ReportFormat] = ReportFormat.allCases) throws {
        _ = try ReportSet.check(directory, names: formats.map(\.fileName), shown: directory)
    }

    @discardableResult
    public static func write(
        _ report: SelectionReport, to directory: String, formats: [ReportFormat] = ReportFormat.allCases, lock: ReportFolderLock? = nil
    ) throws -> [String] {
        let lock = try lock ?? ReportFolderLock(directory)
        let target = lock.directory
        let formats = formats.reduce(into: [ReportFormat]()) { if !$0.contains($1) { $0.append($1) } }
        let contents = try ReportSet.check(target, names: formats.map(\.fileName), shown: directory)
        let rendered = try formats.map { (name: $0.fileName, data: Data(try render(report, format: $0).utf8)) }
        let staging = try ReportSet.stage(rendered, beside: target)
        defer { staging.remove() }
        try ReportSet.move(staging, to: target, existing: contents)
        return formats.map { URL(fileURLWithPath: directory).appendingPathComponent($0.fileName).path }
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
