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
