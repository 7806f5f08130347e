/// Runs `body` on the Jacobian buffer of ``LawEvaluator/predict(_:into:jacobian:)`` moved out of its
/// optional and sized `points` x `columns` (row-major), then moves it back: rows are written in place,
/// with no copy-on-write copy of the caller's array. When the caller asked for no Jacobian, `body`
/// gets an empty array and `wanted == false`, and `jacobian` stays nil.
public func withJacobianRows(
    _ jacobian: inout [Double]?, points: Int, columns: Int, _ body: (_ rows: inout [Double], _ wanted: Bool) -> Void
) {
    let wanted = jacobian != nil
    var rows = jacobian ?? []
    jacobian = nil
    if wanted && rows.count != points * columns { rows = [Double](repeating: 0, count: points * columns) }
    body(&rows, wanted)
    if wanted { jacobian = rows }
}

extension LawEvaluator {
    /// Sizes the buffers ``predict(_:into:jacobian:)`` fills, as its contract states: `predictions` to
    /// ``count`` points and, when the caller asked for one, `jacobian` to `count` x ``parameterCount``
    /// (row-major). A buffer that already has its size is kept, not cleared: the law overwrites every entry.
    public func sizeBuffers(_ predictions: inout [Double], _ jacobian: inout [Double]?) {
        if predictions.count != count { predictions = [Double](repeating: 0, count: count) }
        if jacobian != nil, jacobian!.count != count * parameterCount {
            jacobian = [Double](repeating: 0, count: count * parameterCount)
        }
    }
}
