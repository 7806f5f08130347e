import Foundation
import LawfitCore

// Helpers every benchmark uses: wall and CPU time, and the public data in ../shared.

/// Wall-clock seconds taken by `body`.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// User plus system CPU time of this process so far (all threads), from getrusage(2): on a shared
/// machine the wall clock also counts time other processes held the cores.
func processorSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// `<relativePath>` under `$LAWFIT_SHARED`, else `../shared` beside the working directory or beside
/// the checkout this executable was built from (e.g. `datasets/chinchilla-epoch/...`,
/// `reference/reference_values.json`).
func sharedFile(_ relativePath: String) throws -> URL {
    var roots: [URL] = []
    if let path = ProcessInfo.processInfo.environment["LAWFIT_SHARED"] { roots.append(URL(fileURLWithPath: path)) }
    roots.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).deletingLastPathComponent().appendingPathComponent("shared"))
    let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    roots.append(checkout.deletingLastPathComponent().appendingPathComponent("shared"))
    for root in roots {
        let url = root.appendingPathComponent(relativePath)
        if FileManager.default.fileExists(atPath: url.path) { return url }
    }
    throw LawfitError.input("cannot find \(relativePath) under \(roots.map(\.path).joined(separator: " or ")) (set LAWFIT_SHARED)")
}

/// The process's peak resident memory so far in bytes (VmHWM of /proc/self/status; 0 where unavailable).
func peakResidentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
    else { return 0 }
    return kilobytes * 1024
}
