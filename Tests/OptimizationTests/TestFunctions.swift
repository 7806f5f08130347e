import Foundation
import Optimization

/// Rosenbrock's function, sum over i of 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2, with its analytic
/// gradient; its only minimum is 0 at (1, ..., 1) (Rosenbrock 1960, the n-dimensional "extended" form).
enum Rosenbrock {
    static func value(_ x: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        if let gradient { for i in gradient.indices { gradient[i] = 0 } }
        var sum = 0.0
        for i in 0..<(x.count - 1) {
            let a = 1 - x[i], b = x[i + 1] - x[i] * x[i]
            sum += a * a + 100 * b * b
            if let gradient {
                gradient[i] += -2 * a - 400 * x[i] * b
                gradient[i + 1] += 200 * b
            }
        }
        return sum
    }

    /// The classic start (-1.2, 1, -1.2, 1, ...).
    static func start(dimension: Int) -> [Double] { (0..<dimension).map { $0.isMultiple(of: 2) ? -1.2 : 1 } }
}

/// Rastrigin's function 10 n + sum (x^2 - 10 cos 2 pi x): a grid of local minima near the integers,
/// the global minimum 0 at the origin.
enum Rastrigin {
    static func value(_ x: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        var sum = 10 * Double(x.count)
        for i in x.indices {
            sum += x[i] * x[i] - 10 * cos(2 * .pi * x[i])
            gradient?[i] = 2 * x[i] + 20 * .pi * sin(2 * .pi * x[i])
        }
        return sum
    }
}

/// Calls `f` on an array, for tests that evaluate test functions outside NLopt.
func evaluate(
    _ f: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>?) -> Double, at x: [Double], gradient: Bool = false
) -> (value: Double, gradient: [Double]) {
    var g = [Double](repeating: .nan, count: x.count)
    let value = x.withUnsafeBufferPointer { xs in
        g.withUnsafeMutableBufferPointer { gs in f(xs, gradient ? gs : nil) }
    }
    return (value, g)
}

/// Records every evaluation an objective sees (one optimiser, one thread).
final class EvaluationLog {
    private(set) var points: [[Double]] = []
    private(set) var values: [Double] = []
    private(set) var gradientCounts: [Int?] = []

    func record(_ x: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>?, value: Double) {
        points.append(Array(x))
        values.append(value)
        gradientCounts.append(gradient?.count)
    }

    /// An objective that evaluates `f` and records the call.
    func wrapping(
        _ f: @escaping (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>?) -> Double
    ) -> Objective {
        { x, gradient in
            let value = f(x, gradient)
            self.record(x, gradient, value: value)
            return value
        }
    }
}

/// The bit patterns of a result's point and value, for bit-for-bit comparisons.
func bits(_ result: OptimizationResult) -> [UInt64] {
    result.x.map(\.bitPattern) + [result.value.bitPattern]
}

/// Bounds [-a, a] in every coordinate.
func box(_ a: Double, dimension: Int) -> (lower: [Double], upper: [Double]) {
    (Array(repeating: -a, count: dimension), Array(repeating: a, count: dimension))
}
