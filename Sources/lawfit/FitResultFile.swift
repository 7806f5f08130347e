import Foundation
import LawfitCore

/// A law's fitted parameters read from a file, with what the file knows besides: bootstrap draws
/// and the largest compute of the data the law was fitted to.
struct StoredFit {
    var law: String
    var parameters: [String: Double]
    /// Bootstrap parameter draws, each a name -> value map (compare reports made with --bootstrap).
    var bootstrapSamples: [[String: Double]] = []
    /// The largest compute C = 6ND (or logged C) in the data, when the file records it.
    var largestCompute: Double?
}

/// Reads what `predict` and `optimal` take as `--params-file`: a `lawfit fit --format json` result
/// or a `lawfit compare` report.json (one of its laws, chosen with `--law`).
enum FitResultFile {
    static let expected = "a `lawfit fit --format json` result (keys 'law' and 'parameters') or a `lawfit compare` report.json (keys 'schema_version' and 'laws')"

    /// The fit of `law` (or the file's only fit when nil) stored at `path`.
    ///
    /// - Throws: ``LawfitError`` (input) naming the file and what was expected when it cannot be
    ///   read, is not JSON, is neither kind of file, lacks a key, holds a fit of another law, or is a
    ///   report in which the law was not fitted.
    static func read(_ path: String, law: String? = nil) throws -> StoredFit {
        let location = SourceLocation(file: path)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw LawfitError.input("cannot read the parameters file: \(error.localizedDescription)", at: location)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw LawfitError.input("not a JSON object; expected \(expected)", at: location)
        }
        if object["laws"] != nil || object["schema_version"] != nil {
            return try fromReport(data, law: law, location: location)
        }
        let fit: FitFile
        do {
            fit = try StableJSON.decode(FitFile.self, from: data)
        } catch let error as DecodingError {
            throw LawfitError.input("\(describe(error)); expected \(expected)", at: location)
        }
        if let law, !sameLaw(fit.law, law) {
            throw LawfitError.input("the file holds a fit of '\(fit.law)', not '\(law)'", at: location)
        }
        return StoredFit(law: fit.law, parameters: fit.parameters, largestCompute: fit.largestCompute)
    }

    /// Whether a fit of `stored` serves `--law requested`: the same name, or the same registered law
    /// with other settings (`fsl-theory-scaling` for `fsl-theory-scaling(batch=8)`: the requested
    /// settings apply to the stored parameters).
    static func sameLaw(_ stored: String, _ requested: String) -> Bool {
        func base(_ name: String) -> String { String(name.prefix { $0 != "(" }).trimmingCharacters(in: .whitespaces) }
        return stored == requested || base(stored) == base(requested)
    }

    /// The fit of `law` in a compare report.
    static func fromReport(_ data: Data, law: String?, location: SourceLocation) throws -> StoredFit {
        let report: ReportFile
        do {
            report = try StableJSON.decode(ReportFile.self, from: data)
        } catch let error as DecodingError {
            throw LawfitError.input("\(describe(error)); expected a `lawfit compare` report.json", at: location)
        }
        let fitted = report.laws.filter { $0.fit != nil }
        let names = fitted.map(\.law).joined(separator: ", ")
        let entry: ReportFile.Law
        if let law {
            guard let found = report.laws.first(where: { $0.law == law }) ?? report.laws.first(where: { sameLaw($0.law, law) }) else {
                throw LawfitError.input("the report has no law '\(law)'; it compared \(report.laws.map(\.law).joined(separator: ", "))", at: location)
            }
            guard found.fit != nil else {
                throw LawfitError.input("law '\(law)' was \(found.status) in this report (\(found.reason ?? "no fit")); fitted laws: \(names.isEmpty ? "none" : names)", at: location)
            }
            entry = found
        } else {
            guard fitted.count == 1 else {
                throw LawfitError.input(
                    fitted.isEmpty ? "the report holds no fitted law" : "the report holds fits of \(names): choose one with --law", at: location)
            }
            entry = fitted[0]
        }
        let fit = entry.fit!
        let samples = (entry.bootstrap?.samples ?? []).map { draw in
            Dictionary(uniqueKeysWithValues: zip(fit.parameterOrder, draw))
        }
        let largest = report.plotAxis == "C" ? entry.points.map(\.x).filter(\.isFinite).max() : nil
        return StoredFit(law: entry.law, parameters: fit.parameters, bootstrapSamples: samples, largestCompute: largest)
    }

    /// A decoding error in words: which key is missing or has the wrong type, and where.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the top level" : "'\(keys.joined(separator: "."))'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)' in \(path(context))"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "\(path(context)) is not \(typeName(type))"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "unreadable JSON"
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Int.Type: "a number"
        case is String.Type: "a string"
        case is [String: Double].Type: "an object of numbers"
        case is [String].Type: "an array of strings"
        default: "of the expected type"
        }
    }

    /// The keys of a fit result that `predict` and `optimal` use.
    struct FitFile: Decodable {
        var law: String
        var parameters: [String: Double]
        var largestCompute: Double?

        enum CodingKeys: String, CodingKey {
            case law, parameters, largestCompute = "largest_compute"
        }
    }

    /// The keys of a compare report that `predict` and `optimal` use.
    struct ReportFile: Decodable {
        struct Law: Decodable {
            struct Fit: Decodable {
                var parameters: [String: Double]
                var parameterOrder: [String]
                enum CodingKeys: String, CodingKey {
                    case parameters, parameterOrder = "parameter_order"
                }
            }
            struct Bootstrap: Decodable {
                var samples: [[Double]]?
            }
            struct Point: Decodable {
                var x: Double
            }
            var law: String
            var status: String
            var reason: String?
            var fit: Fit?
            var bootstrap: Bootstrap?
            var points: [Point]
        }
        var laws: [Law]
        var plotAxis: String

        enum CodingKeys: String, CodingKey {
            case laws, plotAxis = "plot_axis"
        }
    }
}

/// What `lawfit fit --format json` writes: the fit's own keys plus `largest_compute`, the largest
/// compute C in the fitted data (when every point has one), which `lawfit optimal` compares budgets with.
struct FitFileOutput: Encodable {
    var fit: any Encodable
    var largestCompute: Double?

    init(fit: any Encodable, runs: [Run]) {
        self.fit = fit
        let compute = runs.flatMap(\.observations).map(\.effectiveCompute)
        largestCompute = compute.allSatisfy { $0 != nil } ? compute.compactMap { $0 }.max() : nil
    }

    enum CodingKeys: String, CodingKey {
        case largestCompute = "largest_compute"
    }

    func encode(to encoder: any Encoder) throws {
        try fit.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(largestCompute, forKey: .largestCompute)
    }
}
