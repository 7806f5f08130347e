import Foundation
import Testing
@testable import LawfitSimulation

@Suite struct RandomFeatureSimulationTests {
    /// A V = V Lambda and orthonormal V for a random symmetric matrix; a 2 x 2 closed form.
    @Test func eigensolverDiagonalisesSymmetricMatrices() {
        let two = SymmetricEigendecomposition(symmetric: [2, 1, 1, 2], dimension: 2)
        #expect(abs(two.values[0] - 1) < 1e-14 && abs(two.values[1] - 3) < 1e-14)
        #expect(abs(abs(two.vectors[2]) - 0.5.squareRoot()) < 1e-14)

        let n = 37
        var rng = RandomFeatureRandom(seed: 7)
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in i..<n { let v = rng.gaussian(); a[i * n + j] = v; a[j * n + i] = v } }
        let eigen = SymmetricEigendecomposition(symmetric: a, dimension: n)
        var worstResidual = 0.0, worstOrthogonality = 0.0
        for r in 0..<n {
            for i in 0..<n {
                let av = (0..<n).reduce(0.0) { $0 + a[i * n + $1] * eigen.vectors[r * n + $1] }
                worstResidual = max(worstResidual, abs(av - eigen.values[r] * eigen.vectors[r * n + i]))
            }
            for s in 0..<n {
                let dot = (0..<n).reduce(0.0) { $0 + eigen.vectors[r * n + $1] * eigen.vectors[s * n + $1] }
                worstOrthogonality = max(worstOrthogonality, abs(dot - (r == s ? 1 : 0)))
            }
        }
        #expect(worstResidual < 1e-12)
        #expect(worstOrthogonality < 1e-12)
        #expect(zip(eigen.values, eigen.values.dropFirst()).allSatisfy { $0 <= $1 })
        let trace = (0..<n).reduce(0.0) { $0 + a[$1 * n + $1] }
        #expect(abs(eigen.values.reduce(0, +) - trace) < 1e-11)
    }

    /// Box-Muller normals have mean 0 and variance 1 (to sampling error), and a seed fixes the stream.
    @Test func gaussianSourceIsStandardAndDeterministic() {
        var rng = RandomFeatureRandom(seed: 42)
        let draws = (0..<200_000).map { _ in rng.gaussian() }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count)
        #expect(abs(mean) < 0.01)
        #expect(abs(variance - 1) < 0.01)
        var again = RandomFeatureRandom(seed: 42)
        #expect(again.gaussian() == draws[0])
    }

    /// At t -> 0 the readout is still zero: the loss is the whole target power sum_{k <= M} k^-a.
    /// Training lowers it; a seed fixes the draw.
    @Test func simulatorLimits() throws {
        let sim = try RandomFeatureRegression(a: 2.5, b: 1.5, modes: 300, features: 60, samples: 40)
        let losses = sim.losses(times: [1e-9, 1e9], seed: 3)
        let initial = (1...300).reduce(0.0) { $0 + Foundation.pow(Double($1), -2.5) }
        #expect(abs(losses[0] / initial - 1) < 1e-6)
        #expect(losses[1] < 0.5 * initial)
        #expect(sim.losses(times: [10], seed: 3) == sim.losses(times: [10], seed: 3))
        #expect(sim.losses(times: [10], seed: 3) != sim.losses(times: [10], seed: 4))
        #expect(throws: (any Error).self) { try RandomFeatureRegression(a: 2.5, b: 1.5, modes: 50, features: 60, samples: 40) }
    }
}
