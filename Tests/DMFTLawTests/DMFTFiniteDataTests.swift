import Foundation
import LawfitCore
import Testing
import TestSupport
@testable import DMFTLaw

/// The registered finite-data DMFT laws: `dmft-unique` (any t, N, P; absent N or U infinite) and
/// `dmft-static` (t -> infinity, double descent), against the numpy reference at finite N and P.
@Suite struct DMFTFiniteDataTests {
    private static func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

    @Test func registersTheFiniteDataLaws() throws {
        let registry = PluginRegistry()
        try DMFTLawPlugin.register(into: registry)
        let unique = try registry.law(named: "dmft-unique"), statics = try registry.law(named: "dmft-static")
        #expect(unique.requiredInputs == [.tokens])
        #expect(unique.parameterSpace.names == ["a", "b", "s", "E", "tau", "nu", "pi"])
        #expect(statics.requiredInputs == [.parameters, .uniqueTokens])
        #expect(statics.parameterSpace.names == ["a", "b", "s", "E", "nu", "pi", "noise"])
    }

    /// With s = 1, E = 0 and unit scales, `dmft-unique` predicts the reference's L(t, N, P) at every
    /// finite-P reference point (N absent = infinite where the reference has N = None).
    @Test func uniqueLawMatchesTheReferenceAtFiniteSamples() throws {
        guard let reference = try SharedData.referenceValues() else { return }
        let points = try #require(reference["dmft_gradient_flow"] as? [[String: Any]]).filter { Self.number($0["P"]) != nil }
        #expect(points.count >= 20)
        let law = DMFTLaw(solver: .exact, samples: .uniqueTokens)
        var worst = 0.0
        for (key, group) in Dictionary(grouping: points, by: { "\($0["a"]!) \($0["b"]!)" }).sorted(by: { $0.key < $1.key }) {
            let a = try #require(Self.number(group[0]["a"])), b = try #require(Self.number(group[0]["b"]))
            let run = Run(name: key, observations: group.map {
                Observation(parameters: Self.number($0["N"]), tokens: Self.number($0["t"]), uniqueTokens: Self.number($0["P"]))
            })
            let predictions = try law.predict(["a": a, "b": b, "s": 1, "E": 0, "tau": 1, "nu": 1, "pi": 1], at: [run])
            for (point, predicted) in zip(group, predictions) {
                let expected = try #require(Self.number(point["loss"]))
                let error = abs(predicted / expected - 1)
                worst = max(worst, error)
                #expect(error < 1e-3, "a=\(a) b=\(b) N=\(String(describing: point["N"])) P=\(String(describing: point["P"])) t=\(String(describing: point["t"]))")
            }
        }
        print("dmft-unique vs reference at finite P: \(points.count) points, max relative error \(worst)")
    }

    /// The static law at every reference point (the double descent on both sides of N = P).
    @Test func staticLawMatchesTheReference() throws {
        guard let reference = try SharedData.referenceValues() else { return }
        let points = try #require(reference["dmft_static"] as? [[String: Any]])
        var worst = 0.0
        for point in points {
            let a = try #require(Self.number(point["a"])), b = try #require(Self.number(point["b"]))
            let run = Run(name: "r", observations: [Observation(parameters: Self.number(point["N"]), uniqueTokens: Self.number(point["P"]))])
            let predicted = try DMFTStaticLaw().predict(["a": a, "b": b, "s": 1, "E": 0, "nu": 1, "pi": 1, "noise": 0], at: [run])[0]
            let expected = try #require(Self.number(point["loss"]))
            worst = max(worst, abs(predicted / expected - 1))
            #expect(abs(predicted / expected - 1) < 1e-3, "a=\(a) b=\(b) N=\(String(describing: point["N"])) P=\(String(describing: point["P"]))")
        }
        print("dmft-static vs reference: \(points.count) points, max relative error \(worst)")
    }

    /// Below the peak the static loss is sigma_perp^2 P/(P - N) + sigma^2 N/(P - N) (closed form in the
    /// noise); it rises towards N = P from both sides.
    @Test func staticLawHasTheDoubleDescentPeak() throws {
        let law = DMFTStaticLaw()
        let theta: [String: Double] = ["a": 2.5, "b": 1.5, "s": 2, "E": 0.3, "nu": 1, "pi": 1, "noise": 0.1]
        let sizes = [50.0, 90, 99, 101, 110, 200]
        let run = Run(name: "r", observations: sizes.map { Observation(parameters: $0, uniqueTokens: 100) })
        let losses = try law.predict(theta, at: [run])
        let sperp = try RandomFeatureDMFT(a: 2.5, b: 1.5).unrepresentedPower(features: 50)
        let expected = 0.3 + 2 * (sperp * 100 / 50 + 0.1 * 50 / 50)
        #expect(abs(losses[0] / expected - 1) < 1e-12)
        #expect(losses[0] < losses[1] && losses[1] < losses[2])
        #expect(losses[3] > losses[4] && losses[4] > losses[5])
        #expect(losses[2] > 10 * losses[0] && losses[3] > 10 * losses[5])
    }

    /// The static evaluator's Jacobian against relative-step central differences of its predictions.
    @Test func staticJacobianMatchesFiniteDifferences() throws {
        let run = Run(name: "r", observations: [30.0, 70, 150, 400].map { Observation(parameters: $0, uniqueTokens: 100) })
        let evaluator = try DMFTStaticLaw().makeEvaluator(for: [run])
        let theta = [2.2, 1.6, 1.5, 0.2, 1.0, 1.3, 0.05]
        let (predictions, analytic) = evaluator.predictWithJacobian(theta)
        for j in theta.indices {
            let h = j == 6 ? 1e-3 : 1e-4 * theta[j]
            var up = theta, down = theta
            up[j] += h
            down[j] -= h
            let plus = evaluator.predict(up), minus = evaluator.predict(down)
            for i in predictions.indices {
                let numeric = (plus[i] - minus[i]) / (2 * h)
                #expect(abs(analytic[i * 7 + j] - numeric) <= 1e-5 * abs(numeric) + 1e-9, "row \(i), column \(j)")
            }
        }
    }

    /// A fit to noise-free double-descent data varying both N and P recovers the exponents, the noise
    /// and the peak position nu/pi from starts 10-50 % off (with every point on its own side of the
    /// peak at the start: the pole at nu N = pi U is a barrier no fit crosses).
    @Test func staticFitRecoversTheDoubleDescent() async throws {
        let law = DMFTStaticLaw()
        let truth = [2.4, 1.6, 3.0, 0.5, 1.0, 1.0, 0.08]
        let observations = [60.0, 200].flatMap { p in [0.3, 0.8, 1.25, 3].map { Observation(parameters: $0 * p, uniqueTokens: p) } }
        let clean = try law.makeEvaluator(for: [Run(name: "r", observations: observations)]).predict(truth)
        let runs = [Run(name: "r", observations: zip(observations, clean).map { o, loss in var o = o; o.loss = loss; return o })]
        let start = zip(truth, [1.1, 0.92, 1.3, 0.8, 1.1, 1.1, 1.5]).map { $0 * $1 }
        let options = FitOptions(objective: ObjectiveSpec(loss: .squared, space: .log), starts: .points([start]), workers: 1)
        let result = try await LawFitter(law: law, options: options).fit(runs)
        print("dmft-static fit: truth \(truth) fitted \(result.values)")
        #expect(abs(try result.value(of: "a") / truth[0] - 1) < 1e-3)
        #expect(abs(try result.value(of: "b") / truth[1] - 1) < 1e-3)
        #expect(abs(try result.value(of: "noise") / truth[6] - 1) < 1e-2)
        #expect(abs(try result.value(of: "nu") / (try result.value(of: "pi")) - 1) < 1e-3)
    }

    /// dmft-unique starts tau, nu, pi where the median point maps to t, N, P = 1000 (a fit from the
    /// fixed 1e-4 starts ended in a wrong basin on unit-scale data); dmft keeps its starts.
    @Test func uniqueLawStartsAtTheDataScale() throws {
        let run = Run(name: "r", observations: [10.0, 100, 1000].map { Observation(parameters: 400, tokens: $0, uniqueTokens: 4 * $0) })
        let space = DMFTLaw(solver: .exact, samples: .uniqueTokens).parameterSpace(adaptedTo: [run])
        #expect(space.parameters.first { $0.name == "tau" }?.startValues == [10])
        #expect(space.parameters.first { $0.name == "nu" }?.startValues == [2.5])
        #expect(space.parameters.first { $0.name == "pi" }?.startValues == [2.5])
        #expect(DMFTLaw(solver: .exact).parameterSpace(adaptedTo: [run]).parameters.first { $0.name == "tau" }?.startValues == [1e-4])
    }

    /// An absent N is infinite: `dmft-unique` without N equals the solver at N = infinity.
    @Test func absentSizesAreInfinite() throws {
        let law = DMFTLaw(solver: .exact, samples: .uniqueTokens)
        let run = Run(name: "r", observations: [Observation(tokens: 50, uniqueTokens: 300), Observation(parameters: 200, tokens: 50)])
        let predictions = try law.predict(["a": 2.5, "b": 1.5, "s": 1, "E": 0, "tau": 1, "nu": 1, "pi": 1], at: [run])
        let solver = try RandomFeatureDMFT(a: 2.5, b: 1.5)
        #expect(abs(predictions[0] / (try solver.loss(time: 50, features: nil, samples: 300)) - 1) < 1e-12)
        #expect(abs(predictions[1] / (try solver.loss(time: 50, features: 200, samples: nil)) - 1) < 1e-12)
        let bad = Run(name: "r", observations: [Observation(parameters: -3, tokens: 50, line: 4)], source: "x.csv")
        #expect(throws: LawfitError.self) { try law.makeEvaluator(for: [bad]) }
    }
}
