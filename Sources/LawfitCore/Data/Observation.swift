/// One measured (or to-be-predicted) point of a training log.
///
/// Every quantity is optional because logs differ: a loss curve has `step` and `learningRate`,
/// a scaling-law table has `parameters` (N) and `tokens` (D). A law states which inputs it needs
/// (``LawInput``) and ``ScalingLaw/validate(_:)`` rejects data that lacks them.
public struct Observation: Sendable, Hashable {
    /// Observed loss; `nil` for a point where only a prediction is wanted.
    public var loss: Double?
    /// Optimiser step (update index, 1-based as in the logs).
    public var step: Int?
    /// Learning rate logged at this step.
    public var learningRate: Double?
    /// Model size N (parameters).
    public var parameters: Double?
    /// Training tokens D.
    public var tokens: Double?
    /// Training compute C in FLOP (6ND when not logged).
    public var compute: Double?
    /// Unique tokens U (data-constrained laws).
    public var uniqueTokens: Double?
    /// Any further numeric columns, by their header name.
    public var extra: [String: Double]
    /// The 1-based line of the source file this came from, for error messages.
    public var line: Int?

    public init(
        loss: Double? = nil, step: Int? = nil, learningRate: Double? = nil,
        parameters: Double? = nil, tokens: Double? = nil, compute: Double? = nil,
        uniqueTokens: Double? = nil, extra: [String: Double] = [:], line: Int? = nil
    ) {
        self.loss = loss
        self.step = step
        self.learningRate = learningRate
        self.parameters = parameters
        self.tokens = tokens
        self.compute = compute
        self.uniqueTokens = uniqueTokens
        self.extra = extra
        self.line = line
    }

    /// Compute C: the logged value, else 6 N D when both are known.
    public var effectiveCompute: Double? {
        if let compute { return compute }
        if let n = parameters, let d = tokens { return 6 * n * d }
        return nil
    }

    /// The value of a law input at this point, if present (`schedule` is a property of the run).
    public func value(of input: LawInput) -> Double? {
        switch input {
        case .parameters: parameters
        case .tokens: tokens
        case .compute: effectiveCompute
        case .uniqueTokens: uniqueTokens
        case .step: step.map(Double.init)
        case .schedule: nil
        }
    }
}
