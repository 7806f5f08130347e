import Testing

/// The test functions' analytic gradients against central finite differences, and their known minima.
@Suite struct TestFunctionTests {
    @Test(arguments: [
        [-1.2, 1.0], [0.3, -0.7, 1.9, 0.2], [1.0, 1.0, 1.0, 1.0],
    ])
    func rosenbrockGradientMatchesFiniteDifferences(x: [Double]) {
        checkGradient(Rosenbrock.value, at: x)
    }

    @Test func rastriginGradientMatchesFiniteDifferences() {
        checkGradient(Rastrigin.value, at: [0.37, -1.21, 2.6])
    }

    @Test func minimaAreZero() {
        #expect(evaluate(Rosenbrock.value, at: [1, 1, 1, 1]).value == 0)
        #expect(evaluate(Rastrigin.value, at: [0, 0, 0]).value == 0)
        #expect(abs(evaluate(Rosenbrock.value, at: [-1.2, 1]).value - 24.2) < 1e-13)
    }

    private func checkGradient(
        _ f: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>?) -> Double, at x: [Double]
    ) {
        let analytic = evaluate(f, at: x, gradient: true).gradient
        let h = 1e-6
        for i in x.indices {
            var plus = x, minus = x
            plus[i] += h
            minus[i] -= h
            let numeric = (evaluate(f, at: plus).value - evaluate(f, at: minus).value) / (2 * h)
            #expect(abs(numeric - analytic[i]) <= 1e-6 * max(1, abs(analytic[i])), "coordinate \(i)")
        }
    }
}
