import Foundation
import LawfitCore

/// How ``ScheduledPoints`` may replace a block of consecutive change points by a few quadrature nodes
/// in a loss-drop sum sum_k d_k phi(T_k, y_k) of a law of the Multi-Power / FSL family.
///
/// A law's summand depends on a change point through its drop d_k, a time T_k (Multi-Power:
/// tau_{k-1}; FSL: tau_k), only by way of log(tau_t - T_k), and a shape variable y_k (Multi-Power:
/// log eta_k inside G with coefficient -gamma; FSL: log tau_k in tau_k^-s) with a coefficient of at most
/// ``shapeCoefficient`` in magnitude over the law's parameter box. Over a block, the summand is then a
/// smooth function of u = log(tau_t - T) + c y, and it varies by at most
///
///     V = log((tau_t - T_min) / (tau_t - T_max)) + shapeCoefficient (y_max - y_min).
///
/// A block of drops of one sign is replaced by the m-node Gauss rule (m = ``nodes``) of its discrete
/// measure sum_k |d_k| delta(T - T_k) (exact for polynomials in T of degree 2m - 1), with y at each
/// node from the weighted least-squares polynomial of degree m - 1 in T through the block's y_k
/// wherever V <= ``variation`` and the fit's largest residual times the coefficient is at most
/// ``residual``. The quadrature error of a block is then of order V^(2m) times the 2m-th derivative
/// of the summand in u (bounded for G(x) = 1 - (1 + C x)^-beta and F = 1 - w^-gamma whatever the
/// parameters), plus (coefficient x residual)^2; the measured error is in Docs/laws/multi-power.md.
public struct TermCompression: Sendable, Equatable {
    /// The change point's time in the summand.
    public enum Time: Sendable, Equatable {
        /// tau_{k-1} = sum_{j<k} eta_j (Multi-Power's S_k(t) = tau_t - tau_{k-1}).
        case tauBefore
        /// tau_k (FSL's tau_t - tau_k).
        case tau
    }

    /// The change point's shape variable.
    public enum Shape: Sendable, Equatable {
        /// log eta_k.
        case logRate
        /// log tau_k.
        case logTau
    }

    public var time: Time
    public var shape: Shape
    /// Largest magnitude of the shape variable's coefficient in the summand's exponent over the
    /// law's parameter box (Multi-Power: gamma <= 2; FSL: s <= 3).
    public var shapeCoefficient: Double
    /// Gauss nodes per merged block (blocks are aligned dyadic runs of at least 2 m change points).
    public var nodes: Int
    /// The largest variation V of a merged block.
    public var variation: Double
    /// The largest shape-fit residual times ``shapeCoefficient`` of a merged block.
    public var residual: Double

    /// A rule; by default 4 nodes, V <= 0.6 and a residual of 1e-3 (within 1e-9 relative of the
    /// exact sum on the multipower-400m curves whatever the parameters tried, see the laws' pages).
    public init(time: Time, shape: Shape, shapeCoefficient: Double, nodes: Int = 4, variation: Double = 0.6, residual: Double = 1e-3) {
        precondition((1...8).contains(nodes), "TermCompression: 1...8 nodes")
        self.time = time
        self.shape = shape
        self.shapeCoefficient = shapeCoefficient
        self.nodes = nodes
        self.variation = variation
        self.residual = residual
    }
}
