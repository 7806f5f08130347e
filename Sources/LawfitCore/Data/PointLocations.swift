/// Where each point of a fit comes from (file and line), for error messages about a point.
///
/// Either a list, or looked up on demand in the runs the points were taken from (run by run, in
/// order): a long log then costs no per-point storage, where a list of ``SourceLocation`` costs about
/// 50 bytes a point.
public struct PointLocations: Sendable {
    private let list: [SourceLocation]
    private let runs: [Run]
    /// The index of each run's first point, and the total count last.
    private let starts: [Int]

    /// The locations of a list, point i at `list[i]`.
    public init(_ list: [SourceLocation]) {
        self.list = list
        runs = []
        starts = [0]
    }

    /// The locations of the points of `runs` (run by run, in order): each run's file, or its name,
    /// and the point's line.
    public init(runs: [Run]) {
        list = []
        self.runs = runs
        var starts = [0]
        for run in runs { starts.append(starts.last! + run.observations.count) }
        self.starts = starts
    }

    /// The number of points located.
    public var count: Int { runs.isEmpty ? list.count : starts.last! }

    /// The location of point `i`.
    public subscript(i: Int) -> SourceLocation {
        guard !runs.isEmpty else { return list[i] }
        var low = 0, high = runs.count - 1  // the last run whose first point is <= i
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= i { low = mid } else { high = mid - 1 }
        }
        let run = runs[low]
        return SourceLocation(file: run.source ?? run.name, line: run.observations[i - starts[low]].line)
    }

    /// Every location, in order.
    public var all: [SourceLocation] { (0..<count).map { self[$0] } }
}
