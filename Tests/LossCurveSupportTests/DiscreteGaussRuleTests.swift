import Foundation
@testable import LossCurveSupport
import Testing

/// ``DiscreteGaussRule``, the quadrature behind ``TermCompression``: an m-node Gauss rule of a discrete
/// measure integrates every polynomial of degree <= 2m - 1 exactly (the defining property, checked
/// against the sums over the points themselves), and its least-squares fit reproduces a polynomial of
/// degree <= m - 1.
@Suite("Discrete Gauss rule")
struct DiscreteGaussRuleTests {
    /// ((t - 10) / 10)^p.
    private static func power(_ t: Double, _ p: Int) -> Double {
        pow((t - 10) / 10, Double(p))
    }

    /// sum_{i < m} (-0.3)^i ((t - 10) / 10)^i: a polynomial of degree m - 1.
    private static func polynomial(_ t: Double, degreeBelow m: Int) -> Double {
        var sum = 0.0
        for i in 0..<m { sum += pow(-0.3, Double(i)) * power(t, i) }
        return sum
    }

    /// sum_k w_k ((t_k - 10) / 10)^p.
    private static func moment(_ times: [Double], _ weights: [Double], _ p: Int) -> Double {
        var sum = 0.0
        for k in times.indices { sum += weights[k] * power(times[k], p) }
        return sum
    }

    @Test("m nodes integrate T^p exactly for p <= 2m - 1, not for p = 2m; the fit reproduces a degree m - 1 polynomial")
    func exactness() throws {
        // Unevenly spaced times like tau_{k-1} in a warmup (quadratic in k), positive uneven weights.
        var times: [Double] = [], weights: [Double] = []
        for k in 0..<40 {
            let x = Double(k)
            times.append(5.0 + 0.01 * x * x + 0.3 * x)
            weights.append(1.0 + 0.5 * sin(x))
        }
        for m in 1...5 {
            let values: [Double] = times.map { Self.polynomial($0, degreeBelow: m) }
            let rule = try #require(DiscreteGaussRule(times: times[...], weights: weights[...], values: values[...], nodes: m))
            #expect(rule.nodes.count == m && rule.weights.allSatisfy { $0 > 0 })
            #expect(rule.nodes.allSatisfy { $0 >= times[0] && $0 <= times[39] })
            for p in 0...(2 * m) {
                let exact = Self.moment(times, weights, p)
                let quadrature = Self.moment(rule.nodes, rule.weights, p)
                let error: Double = abs(quadrature / exact - 1)
                if p < 2 * m {
                    #expect(error <= 1e-12, "m \(m), degree \(p): \(error)")
                } else {
                    #expect(error > 1e-6, "m \(m), degree \(p) must not be exact: \(error)")
                }
            }
            let residual: Double = rule.residual
            #expect(residual <= 1e-12, "m \(m): residual \(residual)")
            for j in 0..<m {
                let difference: Double = abs(rule.fitted[j] - Self.polynomial(rule.nodes[j], degreeBelow: m))
                #expect(difference <= 1e-12, "m \(m): fit at node \(j)")
            }
        }
    }

    @Test("fewer distinct times than nodes: no rule")
    func degenerate() {
        let times: [Double] = [1, 1, 2, 2], ones: [Double] = [1, 1, 1, 1], zeros: [Double] = [0, 0, 0, 0]
        #expect(DiscreteGaussRule(times: times[...], weights: ones[...], values: zeros[...], nodes: 3) == nil)
    }
}
