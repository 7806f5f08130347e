import Foundation
import LawfitCore

/// Reads a `lawfit fit --format json` result: what `predict` and `optimal` take as `--params-file`.
enum FitResultFile {
    /// The fit stored at `path`, checked to be of `law` when one is named.
    ///
    /// - Throws: ``LawfitError`` (input) naming the file when it cannot be read, is not a fit result,
    ///   or holds a fit of another law.
    static func read(_ path: String, law: String? = nil) throws -> FitResult {
        let location = SourceLocation(file: path)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw LawfitError.input("cannot read the parameters file: \(error.localizedDescription)", at: location)
        }
        let fit: FitResult
        do {
            fit = try JSONDecoder().decode(FitResult.self, from: data)
        } catch {
            throw LawfitError.input("not a `lawfit fit --format json` result (it needs 'law' and 'parameters'): \(error)", at: location)
        }
        if let law, fit.law != law {
            throw LawfitError.input("the file holds a fit of '\(fit.law)', not '\(law)'", at: location)
        }
        return fit
    }
}
