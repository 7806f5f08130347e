import Foundation

/// Fitted points logged during a run's warmup (before its schedule first reaches its peak rate),
/// and how the fit does on them against the rest.
///
/// The loss-curve laws describe training after the warmup: multi-power and lr-annealing put
/// L0 + A S1^-alpha at the head of the curve (Luo et al., ICLR 2025; Tissue et al. 2024), which grows without bound as the intrinsic time S1 shrinks, and their published fits start
/// after the warmup (the multipower-400m curves begin at step 2176 of a 2160-step warmup). A W&B log
/// holds the warmup too; the fit keeps those points (it changes nothing silently), and when they are
/// where the law fails the statistics say so (``warning(fitted:)``).
public struct WarmupPoints: Sendable {
    /// The warmup points' largest relative error must exceed the other points' by this factor for
    /// ``warning(fitted:)`` to speak.
    public static let warningRatio = 2.0
    /// ... and reach this relative error (1 %), so that a fit to round-off says nothing.
    public static let warningError = 0.01

    /// Indices of the warmup points among all points (run after run, in order).
    public let indices: Set<Int>
    /// The last warmup step (the peak is first reached one step later) of each run with warmup points.
    public let warmupEnds: [(run: String, peakStep: Int)]
    private var warmupError = 0.0, otherError = 0.0
    /// Warmup points recorded by ``add(index:relativeError:)`` (the fitted ones).
    private var recorded = 0

    /// Whether `rate` has reached a schedule's largest rate `peak`, to 1e-9 relative: the end of the
    /// warmup is the first step where it has (here and in the report's post-warmup plots).
    static func reachesPeak(_ rate: Double, _ peak: Double) -> Bool { rate >= peak * (1 - 1e-9) }

    /// The warmup points of `runs`: points with a step before the first step at which the run's
    /// schedule reaches its largest rate (to 1e-9 relative). Nil when no run has a schedule with a
    /// warmup that holds a point.
    public init?(runs: [Run]) {
        var indices = Set<Int>(), ends: [(run: String, peakStep: Int)] = []
        var offset = 0
        for run in runs {
            defer { offset += run.observations.count }
            guard let schedule = run.schedule else { continue }
            // The schedule's steps one at a time: a long log's rate arrays are never built for this.
            let peak = schedule.peakRate
            var first: Int?
            schedule.forEachStep { step, rate, _ in if first == nil, Self.reachesPeak(rate, peak) { first = step } }
            guard peak > 0, let peakStep = first, peakStep > 1 else { continue }
            let before = run.observations.indices.filter { (run.observations[$0].step ?? .max) < peakStep }
            guard !before.isEmpty else { continue }
            indices.formUnion(before.map { offset + $0 })
            ends.append((run.name, peakStep))
        }
        guard !indices.isEmpty else { return nil }
        self.indices = indices
        warmupEnds = ends
    }

    /// Records point `index`'s relative error |predicted - observed| / observed.
    public mutating func add(index: Int, relativeError: Double) {
        if indices.contains(index) {
            warmupError = max(warmupError, relativeError)
            recorded += 1
        } else {
            otherError = max(otherError, relativeError)
        }
    }

    /// The sentence when the recorded warmup points' largest relative error exceeds ``warningRatio``
    /// times the other points' and ``warningError`` (`fitted`: the count of fitted points), or nil.
    public func warning(fitted: Int) -> String? {
        guard warmupError > Self.warningRatio * otherError, warmupError >= Self.warningError else { return nil }
        let latest = warmupEnds.map(\.peakStep).max()!
        let steps = Set(warmupEnds.map(\.peakStep)).count == 1
            ? "step < \(latest) in \(warmupEnds.map(\.run).joined(separator: ", "))"
            : warmupEnds.map { "step < \($0.peakStep) in \($0.run)" }.joined(separator: ", ")
        return "\(recorded) of the \(fitted) fitted points lie in a warmup (before the peak learning rate: \(steps)), "
            + "where the loss-curve laws do not hold (their published fits start after the warmup): their largest relative error is "
            + "\(String(format: "%.3g", warmupError * 100)) % against \(String(format: "%.3g", otherError * 100)) % for the other points, "
            + "and the fit's statistics include them; to fit after the warmup, add --fit-where 'step>=\(latest)'"
    }
}
