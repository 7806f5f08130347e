/// The compute-optimal allocation of a budget C between model size N and data D, and the loss there.
public struct ComputeOptimum: Sendable, Hashable, Codable {
    public var compute: Double
    public var parameters: Double
    public var tokens: Double
    public var loss: Double

    public init(compute: Double, parameters: Double, tokens: Double, loss: Double) {
        self.compute = compute
        self.parameters = parameters
        self.tokens = tokens
        self.loss = loss
    }
}

/// A law of (N, D) that can say how best to spend compute C = 6 N D (`lawfit optimal --compute`).
///
/// Callers reach it through ``ScalingLaw/computeOptimal``, which wrappers such as ``BoundedLaw``
/// forward, not by casting a law to this protocol.
public protocol ComputeOptimalLaw: ScalingLaw {
    /// N*, D* minimising the predicted loss subject to 6 N D = `compute`, and L* there.
    ///
    /// - Parameter parameters: fitted values in ``ParameterSpace`` order (natural units).
    func computeOptimum(parameters: [Double], compute: Double) throws -> ComputeOptimum
}

extension ComputeOptimalLaw {
    /// Itself.
    public var computeOptimal: (any ComputeOptimalLaw)? { self }
}
