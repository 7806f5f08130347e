import Foundation
import LawfitCore
import Testing
@testable import ChinchillaLaw

/// The log-space objective path (``LogLossEvaluator`` predictions, branch-free Huber, blocked
/// gradient sum) against its definition f = sum_i w_i rho(log Lhat_i - log L_i), computed here from
/// natural-unit predictions and libm.
@Suite("Chinchilla log-space objective")
struct LogSpaceObjectiveTests {
    /// 42 noisy points (2 % noise) so that, at the truth, residuals fall on both sides of delta = 1e-2.
    static func runs() throws -> [Run] { try syntheticRuns(law: ChinchillaLaw(), truth: hoffmann, noise: 0.04) }

    static func objective(_ loss: ResidualLoss, weights: [Double]?) throws -> BoundObjective {
        let law = ChinchillaLaw()
        let runs = try runs()
        return try BoundObjective(
            evaluator: try law.makeEvaluator(for: runs), space: law.parameterSpace,
            observed: try TrainingLog(runs: runs).requireLosses(), weights: weights,
            spec: ObjectiveSpec(loss: loss, space: .log))
    }

    static func evaluate(_ objective: BoundObjective, _ u: [Double]) throws -> (value: Double, gradient: [Double]) {
        let function = objective.makeNLoptObjective()
        var gradient = [Double](repeating: 0, count: u.count)
        let value = try u.withUnsafeBufferPointer { ub in try gradient.withUnsafeMutableBufferPointer { try function(ub, $0) } }
        return (value, gradient)
    }

    static let weights = (0..<42).map { 0.25 + Double($0 % 5) * 0.5 }

    /// rho(r) written out here, not through ``ResidualLoss``: scipy.special.huber(delta, r) (r^2/2 for
    /// |r| <= delta, delta (|r| - delta/2) beyond), as Epoch AI uses; r^2 for squared error.
    static func definition(_ loss: ResidualLoss, _ r: Double) -> Double {
        switch loss {
        case .huber(let delta): abs(r) <= delta ? r * r / 2 : delta * (abs(r) - delta / 2)
        case .squared: r * r
        }
    }

    @Test("value equals the definition, and the gradient central differences", arguments: [
        (ResidualLoss.huber(delta: 1e-2), false), (.huber(delta: 1e-2), true), (.squared, false), (.squared, true),
    ])
    func valueAndGradient(loss: ResidualLoss, weighted: Bool) throws {
        let weights = weighted ? Self.weights : nil
        let objective = try Self.objective(loss, weights: weights)
        let law = ChinchillaLaw()
        let theta = [410.0, 405.0, 1.70, 0.339, 0.285]
        let u = law.parameterSpace.toInternal(theta)
        let predictions = try law.makeEvaluator(for: try Self.runs()).predict(theta)
        var expected = 0.0, inside = 0
        for i in predictions.indices {
            let r = Foundation.log(predictions[i]) - Foundation.log(objective.observed[i])
            if abs(r) <= 1e-2 { inside += 1 }
            expected += (weights?[i] ?? 1) * Self.definition(loss, r)
        }
        #expect(inside > 5 && inside < 37, "residuals on both sides of delta: \(inside) of 42 inside")
        let (value, gradient) = try Self.evaluate(objective, u)
        #expect(abs(value - expected) <= 1e-13 * expected, "\(value) vs \(expected)")
        for j in 0..<5 {
            var up = u, down = u
            up[j] += 1e-6
            down[j] -= 1e-6
            let fd = (try Self.evaluate(objective, up).value - Self.evaluate(objective, down).value) / 2e-6
            #expect(abs(gradient[j] - fd) <= 1e-6 * max(abs(fd), 1e-4), "parameter \(j): \(gradient[j]) vs \(fd)")
        }
    }

    @Test("a non-finite prediction names the point; an overflowing sum of finite residuals says so")
    func nonFinite() throws {
        let objective = try Self.objective(.squared, weights: nil)
        let notFinite = try #require(throws: LawfitError.self) { _ = try Self.evaluate(objective, [.nan, 6, 0.5, 0.3, 0.3]) }
        #expect(notFinite.kind == .fit)
        #expect(notFinite.message == "the law's prediction is not finite at point 1")
        // a = 1e200: log L ~ 1e200 at every point, finite; its square is not.
        let overflow = try #require(throws: LawfitError.self) { _ = try Self.evaluate(objective, [1e200, 6, 0.5, 0.3, 0.3]) }
        #expect(overflow.kind == .fit)
        #expect(overflow.message == "the objective overflows: the residuals are finite but their weighted sum is not")
    }
}
