import ChinchillaKernel
import Foundation
import Testing

/// The C kernel of the Chinchilla log-space evaluator (Plugins/ChinchillaKernel): its run-time choice
/// of build agrees with the portable build to the bit, and both agree with the log-sum-exp computed
/// by libm.
@Suite("Chinchilla C kernel")
struct ChinchillaKernelTests {
    /// 1001 points spread over Chinchilla's range of model and data sizes (N 7e7-1.6e10, D 5e9-5e11),
    /// an odd count so the vector loops' remainders run too.
    static let logN = (0...1000).map { Foundation.log(7e7) + Foundation.log(16e9 / 7e7) * Double($0 * 7919 % 1001) / 1000 }
    static let logD = (0...1000).map { Foundation.log(5e9) + Foundation.log(100.0) * Double($0) / 1000 }
    /// (a, b, e, alpha, beta): Hoffmann et al.'s fit, Epoch's grid corners, and a steep case.
    static let parameters: [[Double]] = [
        [Foundation.log(406.4), Foundation.log(410.7), Foundation.log(1.69), 0.34, 0.28],
        [0, 0, -1, 0, 0], [25, 25, 1, 2, 2], [25, 0, -1, 0.5, 2], [5, 20, 0.5, 1.5, 0.5],
    ]

    static func run(
        _ kernel: (Int, UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?) -> Int32,
        _ u: [Double], jacobian: Bool
    ) -> (logLoss: [Double], jacobian: [Double], inRange: Bool) {
        let n = logN.count
        var logLoss = [Double](repeating: .nan, count: n)
        var matrix = [Double](repeating: .nan, count: jacobian ? 5 * n : 0)
        let inRange = logLoss.withUnsafeMutableBufferPointer { out in
            matrix.withUnsafeMutableBufferPointer { j in
                kernel(n, logN, logD, u, out.baseAddress, jacobian ? j.baseAddress : nil)
            }
        }
        return (logLoss, matrix, inRange == 1)
    }

    @Test("the build chosen at run time gives the portable build's results to the bit")
    func buildsAgree() {
        print("Chinchilla kernel build on this machine: \(String(cString: lawfit_chinchilla_kernel_build()))")
        for u in Self.parameters {
            for jacobian in [false, true] {
                let chosen = Self.run(lawfit_chinchilla_log_loss, u, jacobian: jacobian)
                let portable = Self.run(lawfit_chinchilla_log_loss_portable, u, jacobian: jacobian)
                #expect(chosen.logLoss.map(\.bitPattern) == portable.logLoss.map(\.bitPattern), "u = \(u)")
                #expect(chosen.jacobian.map(\.bitPattern) == portable.jacobian.map(\.bitPattern), "u = \(u)")
                #expect(chosen.inRange && portable.inRange, "u = \(u)")
            }
        }
    }

    @Test("log L agrees with libm's log-sum-exp to 4 ulp of the shifted sum's scale, and the Jacobian to (8 + |x| + |m0|) eps relative")
    func matchesLibm() {
        let n = Self.logN.count
        for u in Self.parameters {
            let (a, b, e, alpha, beta) = (u[0], u[1], u[2], u[3], u[4])
            let withJacobian = Self.run(lawfit_chinchilla_log_loss, u, jacobian: true)
            let valuesOnly = Self.run(lawfit_chinchilla_log_loss, u, jacobian: false)
            for i in 0..<n {
                let x = [a - alpha * Self.logN[i], b - beta * Self.logD[i], e]
                let m = x.max()!
                let terms = x.map { Foundation.exp($0 - m) }
                let s = terms.reduce(0, +)
                let expected = m + Foundation.log(s)
                let weights = terms.map { $0 / s }
                // The kernel shifts every point by m0 = max(a, b, e) and adds log s_i back, so its
                // rounding scales with the larger of |log L| and |log L - m0|.
                let m0 = max(max(a, b), e)
                let tolerance = 4 * Double.ulpOfOne * max(abs(expected), abs(expected - m0), 1)
                #expect(abs(withJacobian.logLoss[i] - expected) <= tolerance, "u = \(u), point \(i)")
                #expect(valuesOnly.logLoss[i].bitPattern == withJacobian.logLoss[i].bitPattern, "u = \(u), point \(i)")
                let expectedColumns = [weights[0], weights[1], weights[2], -weights[0] * Self.logN[i], -weights[1] * Self.logD[i]]
                // A weight inherits the rounding of its exponent's argument x_k - m0, about
                // (|x_k| + |m0|) eps relative: 2e-14 at x = -90.
                let term = [0, 1, 2, 0, 1]
                for j in 0..<5 {
                    let got = withJacobian.jacobian[j * n + i]
                    let relative = (8 + abs(x[term[j]]) + abs(m0)) * Double.ulpOfOne
                    #expect(abs(got - expectedColumns[j]) <= relative * abs(expectedColumns[j]) + 1e-300, "u = \(u), point \(i), column \(j)")
                }
            }
        }
    }

    @Test("reports a shifted sum outside [1e-280, 1e280], with and without a Jacobian, in both builds")
    func reportsRange() {
        // e = 700 with a, b far below: s_i = 1 + tiny, in range. a = 0, b = 0, e = -700 with steep
        // exponents: every term is at most e^-700 / 1 relative to m0 = 0, so s_i < 1e-280.
        let inside = [-50.0, -50, 700, 0.1, 0.1], outside = [0.0, 0, -700, 40, 40]
        for kernel in [lawfit_chinchilla_log_loss, lawfit_chinchilla_log_loss_portable] {
            for jacobian in [false, true] {
                #expect(Self.run(kernel, inside, jacobian: jacobian).inRange)
                #expect(!Self.run(kernel, outside, jacobian: jacobian).inRange)
            }
        }
    }
}
