import Foundation

/// Locates the public datasets and reference values in `../shared` beside the checkout.
///
/// CI (any non-empty `CI`; .ci/run exports `CI=true` itself) has `../shared`: a missing file there is a
/// failure. Outside CI (a user's clone without `../shared`), tests that need the data skip as a whole
/// with a printed reason: a test over several files resolves them all first (``urls(_:)``), so it never
/// checks a part and passes.
public enum SharedData {
    /// The repository root (two levels above this file's folder).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the checkout (or `$LAWFIT_SHARED` when set).
    public static let root: URL = {
        if let path = ProcessInfo.processInfo.environment["LAWFIT_SHARED"] { return URL(fileURLWithPath: path) }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    /// Whether this is a CI run, where missing shared data is an error: `CI` set to any non-empty
    /// value (`true`, `1`, `yes`, ...), as CI services set it.
    public static var isCI: Bool { !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty }

    /// The URL of `relativePath` under `../shared`, or `nil` (after printing why) when it is missing
    /// outside CI. In CI a missing file throws.
    public static func url(_ relativePath: String) throws -> URL? {
        let url = root.appendingPathComponent(relativePath)
        if FileManager.default.fileExists(atPath: url.path) { return url }
        if isCI { throw MissingSharedData(path: url.path) }
        print("skipping: shared data \(url.path) is not present (it is beside the checkout in CI)")
        return nil
    }

    /// The URLs of every path under `../shared`, or `nil` (after printing why) when any is missing
    /// outside CI. In CI the first missing file throws.
    public static func urls(_ relativePaths: [String]) throws -> [URL]? {
        var found: [URL] = []
        for path in relativePaths {
            guard let url = try url(path) else { return nil }
            found.append(url)
        }
        return found
    }

    /// A dataset file: `datasets/<relativePath>`.
    public static func dataset(_ relativePath: String) throws -> URL? { try url("datasets/" + relativePath) }

    /// `reference/reference_values.json`, decoded as JSON.
    public static func referenceValues() throws -> [String: Any]? {
        guard let url = try url("reference/reference_values.json") else { return nil }
        let data = try Data(contentsOf: url)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    /// A file under `Fixtures/` in this repository.
    public static func fixture(_ relativePath: String) -> URL {
        repositoryRoot.appendingPathComponent("Fixtures").appendingPathComponent(relativePath)
    }
}

/// Thrown in CI when shared data the tests need is missing.
public struct MissingSharedData: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "shared data missing in CI: \(path)" }
}
