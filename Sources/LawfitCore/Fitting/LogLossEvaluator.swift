/// An evaluator that predicts log L directly from the optimiser's coordinates.
///
/// Laws written in log space (Chinchilla's log L = LSE(a - alpha log N, b - beta log D, e), Epoch AI
/// 2024, arXiv 2404.10102, eq. 2) conform so that a log-space objective never leaves log space: no
/// overflow of A = e^a for large a, and no exp/log round trip per point. ``BoundObjective`` uses this
/// path for log-space residuals whenever ``transforms`` match the parameter space it is bound to.
///
/// Implementations must not allocate: the buffers are owned by the caller and reused.
public protocol LogLossEvaluator: LawEvaluator {
    /// The transform of each parameter that maps it to the coordinates ``predictLogLoss(internal:into:jacobian:)`` takes.
    var transforms: [ParameterTransform] { get }

    /// Writes log Lhat_i for optimiser coordinates `u` into `logLoss` (length ``LawEvaluator/count``)
    /// and, when `jacobian` is non-nil, d log Lhat_i / d u_j into it parameter-major, at `j * count + i`
    /// (length count x parameterCount; unlike ``LawEvaluator/predict(_:into:jacobian:)``'s point-major
    /// rows, so that both the law's stores and the objective's sums over points are contiguous).
    func predictLogLoss(
        internal u: UnsafeBufferPointer<Double>, into logLoss: UnsafeMutableBufferPointer<Double>,
        jacobian: UnsafeMutableBufferPointer<Double>?)
}

extension LogLossEvaluator {
    /// Itself.
    public var logLossEvaluator: (any LogLossEvaluator)? { self }
}
