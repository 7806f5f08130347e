import Foundation

extension ScheduledPoints {
    /// Calls `body(n, point, entries)` for every observed point in order, where `entries[i]` is
    /// (drop_i, time_i, exp(-exponent log_i), log_i) for the i-th change point of the point's run:
    /// the per-evaluation table a loss-curve law's inner loop reads, one vector per change point and
    /// no bounds checks, rebuilt only when the run changes (points are grouped by run).
    ///
    /// `time` and `log` pick the change points' fields: (tau_i, log tau_i) for the FSL surrogate,
    /// (tau_{i-1}, log eta_i) for Multi-Power. exp(-exponent log_i) is the law's parameter-dependent
    /// factor (tau_i^-s, eta_i^-gamma); it is +inf for eta_i = 0 with a positive exponent.
    @inlinable
    public func forEachPoint(
        packing time: KeyPath<ChangePoints, [Double]>, log: KeyPath<ChangePoints, [Double]>, exponent: Double,
        _ body: (_ n: Int, _ point: Point, _ entries: UnsafePointer<SIMD4<Double>>) -> Void
    ) {
        var packed = UnsafeMutableBufferPointer<SIMD4<Double>>.allocate(capacity: 0)
        defer { packed.deallocate() }
        var packedRun = -1
        for (n, point) in points.enumerated() {
            if point.run != packedRun {
                let run = runs[point.run]
                let times = run[keyPath: time], logs = run[keyPath: log]
                packed.deallocate()
                packed = .allocate(capacity: max(run.count, 1))
                for i in 0..<run.count {
                    packed[i] = SIMD4(run.drop[i], times[i], Foundation.exp(-exponent * logs[i]), logs[i])
                }
                packedRun = point.run
            }
            body(n, point, UnsafePointer(packed.baseAddress!))
        }
    }
}
