import Foundation
@testable import LawfitCore

/// E + A N^-alpha at fixed points, theta = (E, A, alpha), with its analytic Jacobian: the evaluator of
/// the small test laws that exercise the fitting engine without any plugin.
struct PowerLawInNEvaluator: LawEvaluator {
    let logN: [Double]
    var count: Int { logN.count }
    var parameterCount: Int { 3 }
    var hasAnalyticGradient: Bool { true }

    /// log N of every point of `runs`.
    init(_ runs: [Run]) {
        logN = runs.flatMap(\.observations).map { Foundation.log($0.parameters!) }
    }

    func predict(_ theta: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        predictions = logN.map { theta[0] + theta[1] * Foundation.exp(-theta[2] * $0) }
        guard jacobian != nil else { return }
        jacobian = logN.flatMap { x -> [Double] in
            let t = Foundation.exp(-theta[2] * x)
            return [1, t, -theta[1] * x * t]
        }
    }
}
