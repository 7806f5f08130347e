import Foundation
@testable import LawfitCore
import Testing

/// ``DiscreteGaussRule``, the quadrature behind ``TermCompression``: an m-node Gauss rule of a discrete
/// measure integrates every polynomial of degree <= 2m - 1 exactly (the defining property, checked
/// against the sums over the points themselves), and its least-squares fit reproduces a polynomial of
/// degree <= m - 1.
@Suite("Discrete Gauss rule")
struct DiscreteGaussRuleTests {
    @Test("m nodes integrate T^p exactly for p <= 2m - 1, not for p = 2m; the fit reproduces a degree m - 1 polynomial")
    func exactness() throws {
        // Unevenly spaced times like tau_{k-1} in a warmup (quadratic in k), positive uneven weights.
        let times = (0..<40).map { 5.0 + 0.01 * Double($0 * $0) + 0.3 * Double($0) }
        let weights = (0..<40).map { 1.0 + 0.5 * sin(Double($0)) }
        for m in 1...5 {
            let values = times.map { t in (0..<m).reduce(0.0) { $0 + pow(-0.3, Double($1)) * pow((t - 10) / 10, Double($1)) } }
            let rule = try #require(DiscreteGaussRule(times: times[...], weights: weights[...], values: values[...], nodes: m))
            #expect(rule.nodes.count == m && rule.weights.allSatisfy { $0 > 0 })
            #expect(rule.nodes.allSatisfy { $0 >= times.first! && $0 <= times.last! })
            for p in 0...(2 * m) {
                let exact = zip(times, weights).reduce(0.0) { $0 + $1.1 * pow(($1.0 - 10) / 10, Double(p)) }
                let quadrature = zip(rule.nodes, rule.weights).reduce(0.0) { $0 + $1.1 * pow(($1.0 - 10) / 10, Double(p)) }
                let error = abs(quadrature / exact - 1)
                if p < 2 * m {
                    #expect(error <= 1e-12, "m \(m), degree \(p): \(error)")
                } else {
                    #expect(error > 1e-6, "m \(m), degree \(p) must not be exact: \(error)")
                }
            }
            #expect(rule.residual <= 1e-12, "m \(m): residual \(rule.residual)")
            let atNodes = rule.nodes.map { t in (0..<m).reduce(0.0) { $0 + pow(-0.3, Double($1)) * pow((t - 10) / 10, Double($1)) } }
            #expect(worstDifference(rule.fitted, atNodes) <= 1e-12, "m \(m): fit at the nodes")
        }
    }

    @Test("fewer distinct times than nodes: no rule")
    func degenerate() {
        #expect(DiscreteGaussRule(times: [1, 1, 2, 2][...], weights: [1, 1, 1, 1][...], values: [0, 0, 0, 0][...], nodes: 3) == nil)
    }

    private func worstDifference(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0.0) { partial, pair in
            let d = abs(pair.0 - pair.1)
            return d.isNaN || partial.isNaN ? .nan : Swift.max(partial, d)
        }
    }
}
