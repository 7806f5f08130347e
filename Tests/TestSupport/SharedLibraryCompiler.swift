import Foundation

/// The system C compiler failed on a test library's source.
public struct CompilerFailed: Error, CustomStringConvertible {
    public let sourcePath: String
    public let status: Int32
    public var description: String { "cc failed (exit \(status)) on \(sourcePath)" }
}

/// Writes the C `code` to `sourcePath` and compiles it into the shared library `library` with the
/// system C compiler (`cc -shared -fPIC`), for tests of the dynamic plugin loader.
public func compileSharedLibrary(_ code: String, sourcePath: String, library: String) throws {
    try code.write(toFile: sourcePath, atomically: true, encoding: .utf8)
    let cc = Process()
    cc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    cc.arguments = ["cc", "-shared", "-fPIC", "-o", library, sourcePath]
    try cc.run()
    cc.waitUntilExit()
    guard cc.terminationStatus == 0 else { throw CompilerFailed(sourcePath: sourcePath, status: cc.terminationStatus) }
}
