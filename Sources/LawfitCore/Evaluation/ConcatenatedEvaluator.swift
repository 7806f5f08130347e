import Foundation

/// Several evaluators of one law, their points one after another: a run-level bootstrap resample
/// evaluates each of its distinct runs once, through the evaluator bound to that run when the
/// bootstrap began (``Bootstrap``), instead of every fitted run with zero weights on those left out.
///
/// Predictions and Jacobian rows are the parts' own, in order, so the result equals the law's
/// evaluator for the same runs (the laws bind each run independently).
struct ConcatenatedEvaluator: LawEvaluator {
    let parts: [any LawEvaluator]
    let count: Int
    let parameterCount: Int
    let hasAnalyticGradient: Bool

    /// - Precondition: `parts` is not empty and every part takes the same number of parameters.
    init(_ parts: [any LawEvaluator]) {
        precondition(!parts.isEmpty && parts.allSatisfy { $0.parameterCount == parts[0].parameterCount })
        self.parts = parts
        count = parts.reduce(0) { $0 + $1.count }
        parameterCount = parts[0].parameterCount
        hasAnalyticGradient = parts.allSatisfy(\.hasAnalyticGradient)
    }

    func predict(_ parameters: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        let wantJacobian = jacobian != nil && hasAnalyticGradient
        predictions.removeAll(keepingCapacity: true)
        predictions.reserveCapacity(count)
        var rows: [Double] = []
        if wantJacobian { rows.reserveCapacity(count * parameterCount) }
        var partPredictions: [Double] = []
        var partJacobian: [Double]? = wantJacobian ? [] : nil
        for part in parts {
            part.predict(parameters, into: &partPredictions, jacobian: &partJacobian)
            predictions.append(contentsOf: partPredictions)
            if wantJacobian { rows.append(contentsOf: partJacobian ?? []) }
        }
        if wantJacobian { jacobian = rows }
    }
}
