import Foundation
import Testing
@testable import LawfitCore

/// A deterministic uniform generator for test problems.
private struct LCG {
    var state: UInt64
    mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
}

/// Brute-force NNLS: the best unconstrained least-squares solution over every subset of columns
/// that is non-negative (by normal equations with Gaussian elimination; fine for tiny problems).
private func bruteForceNNLS(_ m: [[Double]], _ y: [Double]) -> (solution: [Double], sumOfSquares: Double) {
    let columns = m[0].count
    var best = ([Double](repeating: 0, count: columns), y.reduce(0) { $0 + $1 * $1 })
    for mask in 1..<(1 << columns) {
        let chosen = (0..<columns).filter { mask & (1 << $0) != 0 }
        let k = chosen.count
        var a = [[Double]](repeating: [Double](repeating: 0, count: k + 1), count: k)
        for (r, jr) in chosen.enumerated() {
            for (c, jc) in chosen.enumerated() { a[r][c] = zip(m, m).reduce(0) { $0 + $1.0[jr] * $1.1[jc] } }
            a[r][k] = zip(m, y).reduce(0) { $0 + $1.0[jr] * $1.1 }
        }
        for p in 0..<k {
            for r in (p + 1)..<max(k, p + 1) {
                let f = a[r][p] / a[p][p]
                for c in p...k { a[r][c] -= f * a[p][c] }
            }
        }
        var x = [Double](repeating: 0, count: k)
        for p in stride(from: k - 1, through: 0, by: -1) {
            x[p] = (a[p][k] - ((p + 1)..<max(k, p + 1)).reduce(0) { $0 + a[p][$1] * x[$1] }) / a[p][p]
        }
        guard x.allSatisfy({ $0 >= 0 }) else { continue }
        var full = [Double](repeating: 0, count: columns)
        for (i, j) in chosen.enumerated() { full[j] = x[i] }
        let ss = zip(m, y).reduce(0.0) { acc, row in
            let r = zip(row.0, full).reduce(0) { $0 + $1.0 * $1.1 } - row.1
            return acc + r * r
        }
        if ss < best.1 { best = (full, ss) }
    }
    return best
}

@Suite("Non-negative least squares and fast objective paths")
struct FittingProjectionTests {
    @Test("Lawson-Hanson NNLS matches a brute-force search over active sets", arguments: 0..<20)
    func nnlsMatchesBruteForce(seed: Int) {
        var random = LCG(state: UInt64(seed) &+ 11)
        let rows = 12, columns = 4
        let m = (0..<rows).map { _ in (0..<columns).map { _ in random.next() - 0.3 } }
        let y = (0..<rows).map { _ in 2 * random.next() - 1 }
        let expected = bruteForceNNLS(m, y)
        let solver = NonNegativeLeastSquares(rows: rows, columns: columns)
        var solution = [Double](repeating: 0, count: columns)
        let flat = m.flatMap { $0 }
        let ss = flat.withUnsafeBufferPointer { mb in
            y.withUnsafeBufferPointer { yb in solution.withUnsafeMutableBufferPointer { solver.solve(matrix: mb, target: yb, solution: $0) } }
        }
        #expect(abs(ss - expected.sumOfSquares) <= 1e-10 * max(expected.sumOfSquares, 1e-12))
        for (a, b) in zip(solution, expected.solution) { #expect(abs(a - b) <= 1e-8, "\(solution) vs \(expected.solution)") }
        #expect(solution.allSatisfy { $0 >= 0 })
    }

    @Test("NNLS with a duplicated column and badly scaled columns")
    func nnlsDegenerate() {
        // Columns 1, 1 (duplicate) and 1e-4 x: y = 2 + 3e-4 x exactly.
        let xs = (0..<30).map { Double($0) }
        let flat: [Double] = xs.flatMap { x -> [Double] in [1, 1, 1e-4 * x] }
        let y = xs.map { 2 + 3e-4 * $0 }
        var solution = [0.0, 0, 0]
        let solver = NonNegativeLeastSquares(rows: 30, columns: 3)
        let ss = flat.withUnsafeBufferPointer { mb in
            y.withUnsafeBufferPointer { yb in solution.withUnsafeMutableBufferPointer { solver.solve(matrix: mb, target: yb, solution: $0) } }
        }
        #expect(ss < 1e-24)
        #expect(abs(solution[0] + solution[1] - 2) < 1e-12)
        #expect(abs(solution[2] - 3) < 1e-9)
    }

    @Test("The log-loss fast path gives the same objective and gradient as the natural-units path")
    func logLossPathAgrees() throws {
        let law = LogPowerLaw()
        let runs = [Run(name: "r", observations: (0..<25).map { k in
            let n = 1e6 * Foundation.pow(10, Double(k) / 6)
            return Observation(loss: 1.7 + 400 * Foundation.pow(n, -0.34) * (1 + 0.03 * sin(Double(k))), parameters: n)
        })]
        let observed = try TrainingLog(runs: runs).requireLosses()
        let u = law.parameterSpace.toInternal([1.5, 300, 0.3])
        var results: [(Double, [Double])] = []
        for evaluator in [try law.makeEvaluator(for: runs), PlainEvaluator(base: try law.makeEvaluator(for: runs) as! LogPowerLaw.Evaluator)] {
            let objective = try BoundObjective(
                evaluator: evaluator, space: law.parameterSpace, observed: observed, spec: ObjectiveSpec(loss: .huber(delta: 1e-2)))
            #expect((objective.logLossEvaluator != nil) == (evaluator is LogPowerLaw.Evaluator))
            let f = objective.makeNLoptObjective()
            var g = [0.0, 0, 0]
            let value = try u.withUnsafeBufferPointer { ub in try g.withUnsafeMutableBufferPointer { try f(ub, $0) } }
            results.append((value, g))
        }
        #expect(abs(results[0].0 - results[1].0) <= 1e-12 * results[1].0)
        for j in 0..<3 { #expect(abs(results[0].1[j] - results[1].1[j]) <= 1e-9 * abs(results[1].1[j]) + 1e-15) }
    }
}

/// L = E + A N^-alpha with a log-loss evaluator (E and A log-transformed).
private struct LogPowerLaw: ScalingLaw {
    let name = "test-log-power"
    let summary = "E + A N^-alpha"
    let requiredInputs: Set<LawInput> = [.parameters]
    let parameterSpace = ParameterSpace([
        Parameter("E", "offset", bounds: 0...100, transform: .log, starts: [1]),
        Parameter("A", "scale", bounds: 0...1e8, transform: .log, starts: [100]),
        Parameter("alpha", "exponent", bounds: 0...3, starts: [0.3]),
    ])

    func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        Evaluator(logN: runs.flatMap(\.observations).map { Foundation.log($0.parameters!) })
    }

    struct Evaluator: LogLossEvaluator {
        let logN: [Double]
        var count: Int { logN.count }
        var parameterCount: Int { 3 }
        var hasAnalyticGradient: Bool { true }
        var transforms: [ParameterTransform] { [.log, .log, .identity] }

        func predict(_ theta: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
            predictions = logN.map { theta[0] + theta[1] * Foundation.exp(-theta[2] * $0) }
            guard jacobian != nil else { return }
            jacobian = logN.flatMap { x -> [Double] in
                let t = Foundation.exp(-theta[2] * x)
                return [1, t, -theta[1] * x * t]
            }
        }

        func predictLogLoss(
            internal u: UnsafeBufferPointer<Double>, into logLoss: UnsafeMutableBufferPointer<Double>,
            jacobian: UnsafeMutableBufferPointer<Double>?
        ) {
            let e = Foundation.exp(u[0]), a = Foundation.exp(u[1])
            let n = logN.count
            for i in logN.indices {
                let t = a * Foundation.exp(-u[2] * logN[i])
                logLoss[i] = Foundation.log(e + t)
                guard let jacobian else { continue }
                jacobian[i] = e / (e + t)
                jacobian[n + i] = t / (e + t)
                jacobian[2 * n + i] = -logN[i] * t / (e + t)
            }
        }
    }
}

/// The same evaluator seen only as a plain ``LawEvaluator`` (natural-units path).
private struct PlainEvaluator: LawEvaluator {
    let base: LogPowerLaw.Evaluator
    var count: Int { base.count }
    var parameterCount: Int { 3 }
    var hasAnalyticGradient: Bool { true }
    func predict(_ theta: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        base.predict(theta, into: &predictions, jacobian: &jacobian)
    }
}
