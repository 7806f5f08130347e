import Foundation

/// The per-node decay factors e^(-2 eta s_j) of the continuum (Volterra) SGD step, kept current as the
/// learning rate eta changes from step to step.
///
/// A change of rate by d multiplies every factor by e^(-2 d s_j). For a smooth schedule d is tiny
/// (cosine over 24,000 steps at peak 0.3: |d| <= 2e-5), so that factor is taken from its Taylor
/// polynomial of degree 4 in p = -2 d s_j whenever |p| <= ``taylorLimit`` for every node: the
/// truncation error |p|^5/120 <= 2.7e-16 is at the rounding level. That replaces one complex
/// exponential (exp, cos, sin) per node and step by eight multiply-adds and a complex product.
/// A larger jump (the first step, a step schedule, a restart) and every ``resyncInterval``-th
/// update evaluate the exponentials exactly, so rounding cannot drift over long runs.
struct ContinuumDecay {
    /// Re and Im of e^(-2 eta s_j) for the current eta.
    private(set) var real: [Double], imaginary: [Double]
    private let nodeReal: [Double], nodeImaginary: [Double]
    /// Re and Im of s_j^2, s_j^3 and s_j^4.
    private let powers: [(real: [Double], imaginary: [Double])]
    /// max_j |s_j|.
    private let largestNode: Double
    /// Taylor updates since the factors were last evaluated exactly.
    private var updatesSinceExact = 0
    /// Whether every node is real (N = infinity): the factors stay real and the update skips the
    /// imaginary parts.
    private let isReal: Bool

    /// The largest |2 d s_j| for which the Taylor step is taken.
    static let taylorLimit = 2e-3
    /// Taylor updates between two exact evaluations.
    static let resyncInterval = 1000

    /// Factors for the nodes s_j, all 1 (eta = 0) until the first ``update(to:from:)``.
    init(nodeReal: [Double], nodeImaginary: [Double]) {
        self.nodeReal = nodeReal
        self.nodeImaginary = nodeImaginary
        real = [Double](repeating: 1, count: nodeReal.count)
        imaginary = [Double](repeating: 0, count: nodeReal.count)
        var powers: [(real: [Double], imaginary: [Double])] = []
        var (pr, pi) = (nodeReal, nodeImaginary)
        for _ in 2...4 {
            let next = (real: zip(pr, pi).enumerated().map { j, p in p.0 * nodeReal[j] - p.1 * nodeImaginary[j] },
                        imaginary: zip(pr, pi).enumerated().map { j, p in p.0 * nodeImaginary[j] + p.1 * nodeReal[j] })
            powers.append(next)
            (pr, pi) = next
        }
        self.powers = powers
        largestNode = zip(nodeReal, nodeImaginary).map { ($0 * $0 + $1 * $1).squareRoot() }.max() ?? 0
        isReal = nodeImaginary.allSatisfy { $0 == 0 }
    }

    /// Moves the factors from rate `old` (negative: none yet) to rate `eta`.
    mutating func update(to eta: Double, from old: Double) {
        let d = eta - old
        guard old >= 0, 2 * abs(d) * largestNode <= Self.taylorLimit, updatesSinceExact < Self.resyncInterval else {
            exact(eta)
            return
        }
        updatesSinceExact += 1
        let c1 = -2 * d, c2 = c1 * c1 / 2, c3 = c2 * c1 / 3, c4 = c3 * c1 / 4
        let (s2, s3, s4) = (powers[0], powers[1], powers[2])
        if isReal {
            real.withUnsafeMutableBufferPointer { dr in
                for j in 0..<dr.count {
                    dr[j] *= 1 + c1 * nodeReal[j] + c2 * s2.real[j] + c3 * s3.real[j] + c4 * s4.real[j]
                }
            }
            return
        }
        real.withUnsafeMutableBufferPointer { dr in
            imaginary.withUnsafeMutableBufferPointer { di in
                for j in 0..<dr.count {
                    let fr = 1 + c1 * nodeReal[j] + c2 * s2.real[j] + c3 * s3.real[j] + c4 * s4.real[j]
                    let fi = c1 * nodeImaginary[j] + c2 * s2.imaginary[j] + c3 * s3.imaginary[j] + c4 * s4.imaginary[j]
                    let (r, i) = (dr[j], di[j])
                    dr[j] = r * fr - i * fi
                    di[j] = r * fi + i * fr
                }
            }
        }
    }

    /// e^(-2 eta s_j) by the exponential itself.
    private mutating func exact(_ eta: Double) {
        updatesSinceExact = 0
        for j in real.indices {
            let magnitude = Foundation.exp(-2 * eta * nodeReal[j]), phase = -2 * eta * nodeImaginary[j]
            real[j] = magnitude * Foundation.cos(phase)
            imaginary[j] = magnitude * Foundation.sin(phase)
        }
    }
}
