import Foundation
import Testing
@testable import LawfitCore

@Suite("Atomic output")
struct AtomicFileTests {
    @Test("Writes the content and leaves no temporary file behind")
    func writes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lawfit-atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sub/out.json").path
        try AtomicFile.write("first", to: path)
        try AtomicFile.write("second", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("sub").path)
        #expect(left == ["out.json"])
    }

    @Test("An unwritable destination is an input error naming the path, and nothing is written")
    func unwritable() throws {
        let path = "/proc/lawfit-cannot-write/out.json"
        let error = try #require(throws: LawfitError.self) { try AtomicFile.write("x", to: path) }
        #expect(error.kind == .input)
        #expect(error.message.contains("/proc/lawfit-cannot-write"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("Stable JSON sorts keys, so equal values give equal bytes")
    func stableJSON() throws {
        let data = try StableJSON.encode(["b": 2.5, "a": 1.0])
        #expect(String(decoding: data, as: UTF8.self) == "{\n  \"a\" : 1,\n  \"b\" : 2.5\n}\n")
    }
}
