/// Golden-section search (Kiefer 1953) on a bracket of a unimodal function, the refinement of the
/// grid searches in the DMFT spectral measure's contour and the FSL theory's compute-optimal allocation.
public enum GoldenSection {
    /// The bracket after narrowing [lower, upper] by the golden ratio until `done(lower, upper)`, with
    /// its two interior points (left, right) and f there.
    ///
    /// - Parameter ratio: (sqrt(5) - 1) / 2 as each caller writes it (the DMFT measure's literal is one
    ///   unit in the last place below the FSL allocation's computed value; each keeps its own, so that
    ///   their results keep their bits).
    public static func narrow(
        lower: Double, upper: Double, ratio: Double, until done: (_ lower: Double, _ upper: Double) -> Bool,
        _ f: (Double) -> Double
    ) -> (lower: Double, upper: Double, left: (x: Double, f: Double), right: (x: Double, f: Double)) {
        var lo = lower, hi = upper
        var x1 = hi - ratio * (hi - lo), x2 = lo + ratio * (hi - lo)
        var f1 = f(x1), f2 = f(x2)
        while !done(lo, hi) {
            if f1 < f2 {
                hi = x2; x2 = x1; f2 = f1
                x1 = hi - ratio * (hi - lo); f1 = f(x1)
            } else {
                lo = x1; x1 = x2; f1 = f2
                x2 = lo + ratio * (hi - lo); f2 = f(x2)
            }
        }
        return (lo, hi, (x1, f1), (x2, f2))
    }
}
