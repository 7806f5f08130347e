import ArgumentParser
import Foundation
import LawfitCore

/// The `lawfit` executable of the same build, beside this one (found from `/proc/self/exe`, as
/// ``runChild(_:_:)`` finds its launcher, so that a `lawfit-bench` run from `PATH` finds it too), or
/// nil when it is not built.
func lawfitBinary() -> String? {
    let path = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
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

/// Runs `executable` with `arguments` as a user would, standard output discarded and standard error
/// kept, and measures it through a fresh `lawfit-bench measure-child` process.
///
/// Linux counts a spawned child's peak resident memory from the memory its parent had at the
/// spawn (exec records the peak of the address space it replaces, which a posix_spawn child shares
/// with its parent): spawned from this process after the in-process jobs, the 1e6-row lr-annealing
/// fit reported 152 MB against its own 121 MB. The launcher is small when it spawns the child.
func runChild(_ executable: String, _ arguments: [String]) throws -> ChildRun {
    let launcher = try spawnAndWait("/proc/self/exe", ["measure-child", executable] + arguments, captureOutput: true)
    let fields = launcher.output.split(separator: " ")
    guard launcher.run.status == 0, fields.count == 4, let status = Int32(fields[0]), let wall = Double(fields[1]),
          let cpu = Double(fields[2]), let peak = Int(fields[3]) else {
        throw LawfitError.fit("lawfit-bench measure-child failed (exit \(launcher.run.status)): \(launcher.run.standardError)")
    }
    return ChildRun(status: status, wall: wall, cpu: cpu, peakBytes: peak, standardError: launcher.run.standardError)
}

extension LawfitBench {
    /// Runs a command and prints its exit status, wall and CPU seconds and peak resident bytes on
    /// one line (its standard error passed through): ``runChild(_:_:)``'s launcher.
    struct MeasureChild: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "measure-child", abstract: "Run a command; print its exit status, wall s, CPU s and peak resident bytes.",
            shouldDisplay: false)
        @Argument(parsing: .captureForPassthrough) var command: [String]
        func run() throws {
            guard let executable = command.first else { throw ValidationError("give the command to run") }
            let child = try spawnAndWait(executable, Array(command.dropFirst()), captureOutput: false).run
            FileHandle.standardError.write(Data(child.standardError.utf8))
            print("\(child.status) \(child.wall) \(child.cpu) \(child.peakBytes)")
        }
    }
}

/// Spawns `executable` with `arguments` and waits for it: its measurements and standard error, and
/// its standard output when `captureOutput` (else discarded).
private func spawnAndWait(_ executable: String, _ arguments: [String], captureOutput: Bool) throws -> (run: ChildRun, output: String) {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lawfit-bench-child-\(getpid())")
    let errors = scratch.path + ".stderr", output = scratch.path + ".stdout"
    defer {
        try? FileManager.default.removeItem(atPath: errors)
        try? FileManager.default.removeItem(atPath: output)
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, captureOutput ? output : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
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
    let run = ChildRun(
        status: exited, wall: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
        cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime), peakBytes: usage.ru_maxrss * 1024,
        standardError: (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")
    let text = captureOutput ? ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "") : ""
    return (run, text.trimmingCharacters(in: .whitespacesAndNewlines))
}
