import Foundation
import LawfitCore

/// The data both random-feature simulations draw (Bordelon, Atanasov & Pehlevan, ICML 2024,
/// Sec. 2): M modes x_k ~ N(0, lambda_k) with lambda_k = k^-b, and the target w*_k = k^((b - a) / 2),
/// so that lambda_k w*_k^2 = k^-a; label noise of variance `noise`.
enum PowerLawTask {
    /// lambda_k for k = 1...modes.
    static func eigenvalues(b: Double, modes: Int) -> [Double] { (1...modes).map { Foundation.pow(Double($0), -b) } }

    /// w*_k for k = 1...modes.
    static func target(a: Double, b: Double, modes: Int) -> [Double] { (1...modes).map { Foundation.pow(Double($0), (b - a) / 2) } }

    /// - Throws: ``LawfitError`` (input), naming the simulation `owner`, unless a, b > 0 and finite.
    static func checkExponents(a: Double, b: Double, in owner: String) throws {
        guard a.isFinite, a > 0, b.isFinite, b > 0 else {
            throw LawfitError.input("\(owner): exponents a and b must be positive, got a = \(a), b = \(b)")
        }
    }

    /// - Throws: ``LawfitError`` (input), naming the simulation `owner`, unless the noise variance is finite and >= 0.
    static func checkNoise(_ noise: Double, in owner: String) throws {
        guard noise.isFinite, noise >= 0 else { throw LawfitError.input("\(owner): noise must be >= 0, got \(noise)") }
    }
}
