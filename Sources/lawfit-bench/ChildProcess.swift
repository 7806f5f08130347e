import Foundation
import LawfitCore

/// The `lawfit` executable of the same build, beside this one, or nil when it is not built.
func lawfitBinary() -> String? {
    let path = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("lawfit").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}

/// The value after `name = ` on a line of `lawfit fit`'s text report.
func reportField(_ name: String, in text: String) -> String? {
    text.split(separator: "\n").lazy.map { $0.trimmingCharacters(in: .whitespaces) }
        .first { $0.hasPrefix(name + " ") }
        .flatMap { $0.split(separator: "=", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } }
}

/// What one child process used: wall seconds, user + system CPU seconds and peak resident bytes
/// (its own rusage from `wait4`, not the sum over earlier children).
struct ChildRun {
    var status: Int32, wall: Double, cpu: Double, peakBytes: Int, standardError: String
}

/// Runs `executable` with `arguments`, standard output discarded and standard error kept.
func runChild(_ executable: String, _ arguments: [String]) throws -> ChildRun {
    let errors = FileManager.default.temporaryDirectory.appendingPathComponent("lawfit-bench-stderr-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: errors) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let start = ContinuousClock.now
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard spawned == 0 else { throw LawfitError.fit("cannot start \(executable): \(String(cString: strerror(spawned)))") }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 {
        guard errno == EINTR else { throw LawfitError.fit("wait4 failed: \(String(cString: strerror(errno)))") }
    }
    let elapsed = ContinuousClock.now - start
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
    let exited = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return ChildRun(
        status: exited, wall: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
        cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime), peakBytes: usage.ru_maxrss * 1024,
        standardError: (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")
}
