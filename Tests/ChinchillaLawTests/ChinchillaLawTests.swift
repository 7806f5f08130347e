import Foundation
import LawfitCore
import Optimization
import TestSupport
import Testing
@testable import ChinchillaLaw

/// Hoffmann et al.'s published Chinchilla parameters (TeX source), in parameter order A, B, E, alpha, beta.
let hoffmann = [406.40, 410.72, 1.6934, 0.33917, 0.28491]

@Suite("Chinchilla law")
struct ChinchillaLawTests {
    @Test("Default start grid is Epoch AI's 4500 points, a slowest, then b, e, alpha, beta")
    func epochGrid() throws {
        let grid = ChinchillaLaw().parameterSpace.defaultStartGrid
        #expect(grid.count == 4500)
        let u = grid.map { ChinchillaLaw().parameterSpace.toInternal($0) }
        #expect(zip(u[0], [0, 0, -1, 0, 0]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(zip(u[1], [0, 0, -1, 0, 0.5]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(zip(u[4499], [25, 25, 1, 2, 2]).allSatisfy { abs($0 - $1) < 1e-12 })
        // Index of (a, b, e, alpha, beta) = (5, 0, -1, 0, 0) is 6 * 5 * 5 * 5 = 750.
        #expect(zip(u[750], [5, 0, -1, 0, 0]).allSatisfy { abs($0 - $1) < 1e-12 })
        let distinct = (0..<5).map { j in Set(u.map { ($0[j] * 2).rounded() / 2 }).sorted() }
        #expect(distinct[0] == [0, 5, 10, 15, 20, 25] && distinct[1] == [0, 5, 10, 15, 20, 25])
        #expect(distinct[2] == [-1, -0.5, 0, 0.5, 1])
        #expect(distinct[3] == [0, 0.5, 1, 1.5, 2] && distinct[4] == [0, 0.5, 1, 1.5, 2])
    }

    @Test("Prediction matches E + A/N^alpha + B/D^beta")
    func closedForm() throws {
        let runs = [Run(name: "x", observations: [Observation(parameters: 7e10, tokens: 1.4e12)])]
        let predicted = try ChinchillaLaw().makeEvaluator(for: runs).predict(hoffmann)[0]
        let expected = 1.6934 + 406.40 / Foundation.pow(7e10, 0.33917) + 410.72 / Foundation.pow(1.4e12, 0.28491)
        #expect(abs(predicted - expected) <= 1e-14 * expected)
    }

    @Test("Analytic Jacobian matches central differences (natural units)")
    func naturalGradient() throws {
        let law = ChinchillaLaw()
        let evaluator = try law.makeEvaluator(for: try syntheticRuns(law: law, truth: hoffmann))
        #expect(jacobianError(evaluator, at: hoffmann) < 1e-6)
        #expect(jacobianError(evaluator, at: [3000, 12, 0.8, 0.7, 0.12]) < 1e-6)
    }

    @Test("Log-space Jacobian d log L / d(a, b, e, alpha, beta) matches central differences")
    func logSpaceGradient() throws {
        let law = ChinchillaLaw()
        let bound = try law.makeEvaluator(for: try syntheticRuns(law: law, truth: hoffmann))
        let evaluator = try #require(bound as? any LogLossEvaluator)
        let n = evaluator.count
        let u = law.parameterSpace.toInternal(hoffmann)
        func logLoss(_ u: [Double]) -> [Double] {
            var out = [Double](repeating: 0, count: n)
            u.withUnsafeBufferPointer { ub in out.withUnsafeMutableBufferPointer { evaluator.predictLogLoss(internal: ub, into: $0, jacobian: nil) } }
            return out
        }
        var jacobian = [Double](repeating: 0, count: 5 * n)
        var values = [Double](repeating: 0, count: n)
        u.withUnsafeBufferPointer { ub in
            values.withUnsafeMutableBufferPointer { vb in
                jacobian.withUnsafeMutableBufferPointer { evaluator.predictLogLoss(internal: ub, into: vb, jacobian: $0) }
            }
        }
        let natural = evaluator.predict(hoffmann)
        for i in 0..<n { #expect(abs(values[i] - Foundation.log(natural[i])) < 1e-14) }
        for j in 0..<5 {
            var up = u, down = u
            up[j] += 1e-6
            down[j] -= 1e-6
            let plus = logLoss(up), minus = logLoss(down)
            for i in 0..<n {
                let fd = (plus[i] - minus[i]) / 2e-6
                #expect(abs(jacobian[j * n + i] - fd) <= 1e-7 * max(abs(fd), 1e-3), "point \(i), parameter \(j)")
            }
        }
    }

    @Test("Log-sum-exp prediction stays finite where A = e^a overflows")
    func noOverflow() throws {
        let law = ChinchillaLaw()
        let bound = try law.makeEvaluator(for: try syntheticRuns(law: law, truth: hoffmann))
        let evaluator = try #require(bound as? any LogLossEvaluator)
        let u = [800.0, 10, 0.5, 30, 0.3]
        var out = [Double](repeating: 0, count: evaluator.count)
        u.withUnsafeBufferPointer { ub in out.withUnsafeMutableBufferPointer { evaluator.predictLogLoss(internal: ub, into: $0, jacobian: nil) } }
        #expect(out.allSatisfy { $0.isFinite })
        // log L = 800 - 30 log N when that term dominates.
        #expect(abs(out[0] - (800 - 30 * Foundation.log(7e7))) < 1e-9)
    }

    @Test("Noise-free synthetic data: the grid fit recovers the parameters to 1e-6 relative")
    func recovery() async throws {
        let law = ChinchillaLaw()
        let runs = try syntheticRuns(law: law, truth: hoffmann)
        // Every 45th point of Epoch's grid (100 starts) keeps the debug test fast; the benchmark runs all 4500.
        let starts = law.parameterSpace.defaultStartGrid.enumerated().filter { $0.offset % 45 == 0 }.map(\.element)
        let result = try await LawFitter(law: law, options: FitOptions(starts: .points(starts))).fit(runs)
        for (fitted, expected) in zip(result.values, hoffmann) {
            #expect(abs(fitted - expected) <= 1e-6 * expected, "\(fitted) vs \(expected)")
        }
        #expect(result.objective < 1e-18)
    }

    @Test("Compute-optimal closed form matches a numeric minimisation along 6ND = C", arguments: [1e19, 1e22, 5.76e23, 1e26])
    func computeOptimum(compute: Double) throws {
        let law = ChinchillaLaw()
        let optimum = try law.computeOptimum(parameters: hoffmann, compute: compute)
        #expect(abs(6 * optimum.parameters * optimum.tokens - compute) <= 1e-12 * compute)
        let (a, b, e, alpha, beta) = (hoffmann[0], hoffmann[1], hoffmann[2], hoffmann[3], hoffmann[4])
        // L along the constraint as a function of x = log N.
        let loss: (Double) -> Double = { x in
            e + a * Foundation.exp(-alpha * x) + b * Foundation.exp(-beta * (Foundation.log(compute / 6) - x))
        }
        let minimizer = Minimizer(
            algorithm: .bobyqa, lowerBounds: [0], upperBounds: [80],
            stopping: StoppingCriteria(ftolRel: 0, xtolRel: 1e-13, maxEvaluations: 10_000))
        let numeric = try minimizer.minimize(from: [20]) { x, _ in loss(x[0]) }
        #expect(abs(numeric.x[0] - Foundation.log(optimum.parameters)) < 1e-5)
        #expect(abs(numeric.value - optimum.loss) <= 1e-12 * optimum.loss)
        #expect(abs(loss(Foundation.log(optimum.parameters)) - optimum.loss) <= 1e-14 * optimum.loss)
    }

    @Test("Compute-optimal allocation rejects a non-positive exponent")
    func computeOptimumNeedsPositiveExponents() {
        #expect(throws: LawfitError.self) {
            try ChinchillaLaw().computeOptimum(parameters: [406.4, 410.7, 1.69, 0, 0.28], compute: 1e22)
        }
    }

    @Test("Missing tokens are an input error naming the input and line")
    func missingInput() throws {
        let runs = [Run(name: "r", observations: [Observation(loss: 3, parameters: 1e9, line: 7)], source: "runs.csv")]
        do {
            _ = try ChinchillaLaw().makeEvaluator(for: runs)
            Issue.record("expected an error")
        } catch let error as LawfitError {
            #expect(error.kind == .input)
            #expect(error.description.contains("runs.csv:7") && error.description.contains("D"))
        }
    }
}
