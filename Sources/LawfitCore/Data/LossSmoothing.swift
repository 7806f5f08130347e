/// TensorBoard's scalar smoothing, which W&B's "exponential moving average (TensorBoard)" option
/// reproduces: a debiased exponential moving average of the values in order.
///
/// With weight w in [0, 1): m_0 = 0, m_k = w m_{k-1} + (1 - w) x_k, and the smoothed value is
/// m_k / (1 - w^k), so the first value is kept and early values are not pulled towards 0.
/// Source: tensorflow/tensorboard, `tensorboard/components/vz_line_chart2/line-chart.ts`
/// (`resmoothDataset`, commit 34877f1, line 699), which W&B's documentation ("What formula do you
/// use for your smoothing algorithm?", wandb/docs) names as its definition.
public struct LossSmoothing: Sendable, Hashable {
    /// w, the weight of the past (0: no smoothing).
    public let weight: Double

    /// - Throws: ``LawfitError`` (input) unless 0 <= weight < 1.
    public init(weight: Double) throws {
        guard weight >= 0, weight < 1 else { throw LawfitError.input("the smoothing weight must lie in [0, 1), got \(weight)") }
        self.weight = weight
    }

    /// The smoothed series of `values`, in order.
    public func smooth(_ values: [Double]) -> [Double] {
        var last = 0.0
        var debias = 1.0
        return values.map { value in
            last = last * weight + (1 - weight) * value
            debias *= weight
            return last / (1 - debias)
        }
    }

    /// `run` with the loss of its points (in step order, points without a loss skipped) smoothed.
    public func smooth(_ run: Run) -> Run {
        var run = run
        let indices = run.observations.indices.filter { run.observations[$0].loss != nil }
        let smoothed = smooth(indices.map { run.observations[$0].loss! })
        for (index, value) in zip(indices, smoothed) { run.observations[index].loss = value }
        return run
    }
}
