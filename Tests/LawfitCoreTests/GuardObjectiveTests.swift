import Foundation
import LawfitCore
import Testing

/// Numerical guards of the fitting objective (issue 9): undefined data or parameters give a
/// LawfitError that says what and where, never a NaN objective.
@Suite("Objective guards")
struct GuardObjectiveTests {
    /// L = a + b N: a law that can predict zero, negative or non-finite losses on demand.
    struct AffineLaw: ScalingLaw {
        var bounds: (a: ClosedRange<Double>, b: ClosedRange<Double>) = (-10...10, -10...10)
        var name: String { "guard-affine" }
        var summary: String { "a + b N, a test law" }
        var parameterSpace: ParameterSpace {
            ParameterSpace([
                Parameter("a", "intercept", bounds: bounds.a, starts: [bounds.a.lowerBound]),
                Parameter("b", "slope", bounds: bounds.b, starts: [bounds.b.lowerBound]),
            ])
        }
        var requiredInputs: Set<LawInput> { [.parameters] }
        func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
            try validate(runs)
            return Evaluator(xs: runs.flatMap { $0.observations.map { $0.parameters! } })
        }

        struct Evaluator: LawEvaluator {
            let xs: [Double]
            var count: Int { xs.count }
            var parameterCount: Int { 2 }
            var hasAnalyticGradient: Bool { true }
            func predict(_ theta: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
                predictions = xs.map { theta[0] + theta[1] * $0 }
                if jacobian != nil { jacobian = xs.flatMap { [1, $0] } }
            }
        }
    }

    static func run(_ losses: [Double]) -> Run {
        let observations = losses.enumerated().map { i, loss in
            var observation = Observation(loss: loss)
            observation.parameters = Double(i + 1)
            observation.line = i + 2
            return observation
        }
        return Run(name: "guard", observations: observations, source: "guard.csv")
    }

    static func objective(_ losses: [Double], space: LossSpace = .log) throws -> BoundObjective {
        let law = AffineLaw()
        return try BoundObjective(
            evaluator: law.makeEvaluator(for: [run(losses)]), space: law.parameterSpace, observed: losses,
            spec: ObjectiveSpec(loss: .squared, space: space))
    }

    /// The error `body` throws, which must be a LawfitError.
    static func lawfitError(_ body: () throws -> Void) throws -> LawfitError {
        do {
            try body()
        } catch let error as LawfitError {
            return error
        }
        Issue.record("no error was thrown")
        throw LawfitError.fit("expected an error")
    }

    @Test("a non-positive prediction in log space continues the log residual linearly: closed-form value and gradient", arguments: [0.0, -1.5])
    func nonPositivePrediction(value: Double) throws {
        // a = value, b = 0 predicts `value` at all three points (observed 3); below the floor
        // x0 = 3e-30 the residual is r = log(1e-30) + (value - x0) / x0, squared and summed.
        let objective = try Self.objective([3, 3, 3])
        let floor = 3e-30
        let r = Foundation.log(1e-30) + (value - floor) / floor
        let expected = 3 * r * r
        #expect(abs(try objective.value(atNatural: [value, 0]) - expected) <= 1e-12 * expected)
        // Through the closure NLopt calls: d/da = sum 2 r / x0, d/db = sum 2 r N / x0 (N = 1, 2, 3).
        let function = objective.makeNLoptObjective()
        let u = objective.space.toInternal([value, 0])
        var gradient = [0.0, 0.0]
        let viaNLopt = try u.withUnsafeBufferPointer { u in try gradient.withUnsafeMutableBufferPointer { try function(u, $0) } }
        #expect(abs(viaNLopt - expected) <= 1e-12 * expected)
        #expect(abs(gradient[0] - 6 * r / floor) <= 1e-12 * abs(6 * r / floor))
        #expect(abs(gradient[1] - 12 * r / floor) <= 1e-12 * abs(12 * r / floor))
    }

    @Test("the continuation meets the log residual at the floor with the same value and slope")
    func continuationIsSmooth() throws {
        let objective = try Self.objective([3, 3, 3])
        let floor = 3e-30
        // Just above the floor the exact log residual is used, just below the continuation.
        let above = try objective.value(atNatural: [floor * (1 + 1e-9), 0])
        let below = try objective.value(atNatural: [floor * (1 - 1e-9), 0])
        let atFloor = 3 * Foundation.pow(Foundation.log(1e-30), 2)  // r = log(3e-30) - log(3) at each point
        #expect(abs(above - atFloor) <= 1e-6 * atFloor && abs(below - atFloor) <= 1e-6 * atFloor)
        // d f / d a = sum 2 r / Lhat on both sides (r = log(1e-30) at the floor).
        let slope = 6 * Foundation.log(1e-30) / floor
        #expect(abs((above - below) / (2e-9 * floor) - slope) <= 1e-4 * abs(slope))
    }

    @Test("a positive prediction in log space gives the closed-form objective")
    func positivePrediction() throws {
        // a = 3, b = 0: log residuals are 0 at every point; a = 3e, b = 0: 1 each, squared: 3.
        #expect(try Self.objective([3, 3, 3]).value(atNatural: [3, 0]) == 0)
        #expect(abs(try Self.objective([3, 3, 3]).value(atNatural: [3 * M_E, 0]) - 3) < 1e-12)
    }

    @Test("a non-finite prediction is a fit error naming the point", arguments: [LossSpace.log, .linear])
    func nonFinitePrediction(space: LossSpace) throws {
        let objective = try Self.objective([3, 3, 3], space: space)
        // a + b N with b = inf is inf at every point; with a = inf and b = -inf it is NaN.
        for theta in [[1, Double.infinity], [Double.infinity, -Double.infinity], [Double.nan, 0]] {
            let error = try Self.lawfitError { _ = try objective.value(atNatural: theta) }
            #expect(error.kind == .fit)
            #expect(error.message == "the law's prediction is not finite at point 1")
        }
    }

    @Test("an observed loss that is NaN, infinite, zero or negative cannot be fitted in log space",
          arguments: [Double.nan, .infinity, -.infinity, 0, -2])
    func badObservedLossLogSpace(loss: Double) throws {
        let error = try Self.lawfitError { _ = try Self.objective([3, loss, 3]) }
        #expect(error.kind == .input)
        #expect(error.message == "observed loss \(loss) at point 2 cannot be fitted in log space")
    }

    @Test("an observed loss that is NaN or infinite cannot be fitted in linear space", arguments: [Double.nan, .infinity])
    func badObservedLossLinearSpace(loss: Double) throws {
        let error = try Self.lawfitError { _ = try Self.objective([3, 3, loss], space: .linear) }
        #expect(error.kind == .input)
        #expect(error.message == "observed loss \(loss) at point 3 cannot be fitted in linear space")
    }

    @Test("LawFitter refuses a run built in code with a NaN loss before optimising")
    func fitterRefusesNaNLoss() async throws {
        let fitter = LawFitter(law: AffineLaw(), options: FitOptions(workers: 1))
        do {
            _ = try await fitter.fit([Self.run([3, .nan, 3])])
            Issue.record("the fit accepted a NaN loss")
        } catch let error as LawfitError {
            #expect(error.kind == .input)
            #expect(error.message == "observed loss nan at point 2 (guard.csv:3) cannot be fitted in log space")
        }
    }

    @Test("a fit whose best point still predicts a non-positive loss fails with a fit error naming it, not a NaN result")
    func everyStartFails() async throws {
        // a in [-10, -1], b in [-1, 0]: every prediction a + b N is negative, log residuals undefined.
        let law = AffineLaw(bounds: (-10 ... -1, -1...0))
        let fitter = LawFitter(law: law, options: FitOptions(starts: .count(4), workers: 1))
        do {
            let result = try await fitter.fit([Self.run([3, 2.5, 2.2])])
            Issue.record("the fit returned \(result.values)")
        } catch let error as LawfitError {
            #expect(error.kind == .fit)
            #expect(error.message.hasPrefix("a predicted loss is -"))
            #expect(error.message.hasSuffix(" at point 1 (guard.csv:2): log-space residuals need positive predictions"))
        }
    }

    @Test("a fit pinned at every bound reports each bound in its warnings")
    func fitAtEveryBound() async throws {
        // Losses near 3 but a + b N <= 1 + 0.1 * 3: the best fit raises both parameters to their upper bounds.
        let law = AffineLaw(bounds: (0.5...1, 0...0.1))
        let fitter = LawFitter(law: law, options: FitOptions(workers: 1))
        let result = try await fitter.fit([Self.run([3, 3.1, 3.2])])
        #expect(result.values == [1, 0.1])
        #expect(result.warnings.contains("parameter a is at its upper bound 1.0"))
        #expect(result.warnings.contains("parameter b is at its upper bound 0.1"))
        #expect(result.objective.isFinite)
    }
}
