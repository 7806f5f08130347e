import Foundation
import TestSupport

/// Runs the built `lawfit` executable (beside the test bundle) and captures what it prints.
struct LawfitProcess {
    struct Outcome {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The `lawfit` binary in the same build folder as the running tests.
    static var executable: URL {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let beside = folder.appendingPathComponent("lawfit")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return SharedData.repositoryRoot.appendingPathComponent(".build/debug/lawfit")
    }

    /// Runs `lawfit arguments...` in `directory` (default: the repository root), with `input` on its
    /// standard input (default: none, an empty pipe).
    static func run(_ arguments: [String], in directory: URL = SharedData.repositoryRoot, input: Data? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe(), error = Pipe(), standardInput = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(input) }
        try standardInput.fileHandleForWriting.close()
        // Read before waiting so a large output cannot fill the pipe and block the child.
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            standardOutput: String(decoding: out, as: UTF8.self),
            standardError: String(decoding: err, as: UTF8.self))
    }

    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lawfit-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
