import Foundation
import Testing
import TestSupport

/// Output files under signals and concurrency (issue 16, items 7 and 8), through the `lawfit` executable.
@Suite("Output safety: signals and concurrent runs")
struct OutputSafetyTests {
    /// Starts `lawfit arguments...` with its output discarded.
    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = LawfitProcess.executable
        process.arguments = arguments
        process.currentDirectoryURL = SharedData.repositoryRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Polls `condition` every half millisecond while `process` runs; true once it holds.
    static func waitFor(_ process: Process, _ condition: () -> Bool) -> Bool {
        while process.isRunning {
            if condition() { return true }
            usleep(500)
        }
        return condition()
    }

    @Test("SIGTERM while a large output is written leaves no temporary file and no output")
    func sigtermRemovesTemporary() throws {
        var caught = false
        // The temporary exists only while the CSV is written and synced; a run that finishes before
        // the poll sees it is retried with a larger output.
        for attempt in 1...4 where !caught {
            let folder = try LawfitProcess.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let process = try Self.start([
                "predict", "--law", "chinchilla", "--set", "A=400", "--set", "B=400", "--set", "E=1.7", "--set", "alpha=0.3", "--set", "beta=0.3",
                "--grid", "N=1e8:1e10:\(200 * attempt)", "--grid", "D=1e9:1e11:1000", "--output", folder.appendingPathComponent("p.csv").path,
            ])
            let sawTemporary = Self.waitFor(process) {
                ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).contains { $0.hasPrefix(".p.csv.") }
            }
            if sawTemporary { kill(process.processIdentifier, SIGTERM) }
            process.waitUntilExit()
            guard sawTemporary, process.terminationReason == .uncaughtSignal else { continue }
            caught = true
            #expect(process.terminationStatus == SIGTERM)
            let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(left == [], "left behind: \(left)")
        }
        #expect(caught, "the temporary file was never seen while the process ran")
    }

    @Test("a second compare into a folder another compare holds is refused; the first writes a complete set")
    func concurrentCompares() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = folder.appendingPathComponent("report").path
        let compare = ["compare", "--law", "chinchilla", "--law", "kaplan", "--data", "Fixtures/demo/nd_runs.csv", "--starts", "4", "--quiet", "--report", report]
        let first = try Self.start(compare + ["--bootstrap", "40"])
        let locked = Self.waitFor(first) { FileManager.default.fileExists(atPath: folder.appendingPathComponent(".report.lock").path) }
        try #require(locked, "the first compare never took the lock")
        let second = try LawfitProcess.run(compare)
        first.waitUntilExit()
        #expect(second.status == 2)
        #expect(second.standardError.contains("lawfit: error: another lawfit run is writing the report folder \(report)"), "\(second.standardError)")
        #expect(first.terminationStatus == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report"])  // lock file gone
        #expect(try FileManager.default.contentsOfDirectory(atPath: report).sorted() == ["report.html", "report.json", "report.md"])
    }

    @Test("progress outside a terminal: one line per finished stage, the best objective being the fit's")
    func progressLines() throws {
        let outcome = try LawfitProcess.run(["fit", "--law", "chinchilla", "--data", "Fixtures/demo/nd_runs.csv", "--starts", "4", "--format", "json", "--no-timing"])
        #expect(outcome.status == 0)
        let fit = try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let objective = try #require(fit["objective"] as? Double)
        #expect(outcome.standardError == "chinchilla: fitting: 4/4 starts, best objective \(String(format: "%.4e", objective))\n")
        let quiet = try LawfitProcess.run(["fit", "--law", "chinchilla", "--data", "Fixtures/demo/nd_runs.csv", "--starts", "4", "--quiet"])
        #expect(quiet.status == 0 && quiet.standardError.isEmpty)
    }

    /// `simulate` streams its curve into the temporary for the whole run (about 40 MB of rows here, some
    /// seconds in debug), so the signal reliably lands while blocks are being written.
    @Test("SIGINT or SIGTERM while simulate streams a large curve leaves no temporary file and no output", arguments: [SIGINT, SIGTERM])
    func signalDuringStreamedSimulation(_ signal: Int32) throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = try Self.start([
            "simulate", "--kernel", "powerlaw(modes=20)", "--schedule", "cosine(peak=0.1, floor=0, total=1000000)",
            "--output", folder.appendingPathComponent("curve.csv").path,
        ])
        // Wait until the temporary holds at least one block, so the signal interrupts a write in progress.
        let streaming = Self.waitFor(process) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            guard let temporary = names.first(where: { $0.hasPrefix(".curve.csv.") }) else { return false }
            let size = (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(temporary).path)[.size] as? Int) ?? 0
            return size >= 1 << 20
        }
        if streaming { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        try #require(streaming, "the run ended before a block was written")
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(left == [], "left behind: \(left)")
    }
}
