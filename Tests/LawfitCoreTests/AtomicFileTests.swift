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

@Suite("Atomic output: modes, links, names, report sets")
struct AtomicFileSafetyTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lawfit-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        _ = stat(path, &info)
        return info.st_mode & 0o7777
    }

    @Test("an existing file keeps its permission bits; a new one gets 0666 without the umask")
    func keepsMode() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("out.json").path
        try AtomicFile.write("new", to: path)
        #expect(Self.mode(path) == 0o666 & ~AtomicFile.umaskBits)
        chmod(path, 0o600)
        try AtomicFile.write("again", to: path)
        #expect(Self.mode(path) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "again")
    }

    @Test("a link at the destination is replaced by the file; its target is untouched")
    func replacesLink() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("target.txt").path
        try "keep".write(toFile: target, atomically: false, encoding: .utf8)
        let link = folder.appendingPathComponent("out.txt").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        try AtomicFile.write("result", to: link)
        #expect(FileKind(path: link, followingLinks: false) == .regular)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep")
        #expect(try String(contentsOfFile: link, encoding: .utf8) == "result")
    }

    @Test("a 255-byte name is written (its temporary name is cut to fit), 256 bytes is refused")
    func longNames() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let longest = String(repeating: "é", count: 127) + "x"  // 255 bytes
        try AtomicFile.write("ok", to: folder.appendingPathComponent(longest).path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [longest])
        let error = try #require(throws: LawfitError.self) { try AtomicFile.write("no", to: folder.appendingPathComponent(longest + "y").path) }
        #expect(error.message.hasPrefix("--output: the file name is 256 bytes, more than the 255 a file name may have"))
    }

    @Test("the destination check names folders, special files and inputs")
    func destinationCheck() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.csv").path
        try "x".write(toFile: input, atomically: false, encoding: .utf8)
        let other = folder.appendingPathComponent("sub/../in.csv").path
        try FileManager.default.createDirectory(atPath: folder.appendingPathComponent("sub").path, withIntermediateDirectories: false)
        let same = try #require(throws: LawfitError.self) { try AtomicFile.checkDestination(other, inputs: [input]) }
        #expect(same.message.contains("is the input file"))
        let device = try #require(throws: LawfitError.self) { try AtomicFile.write("x", to: "/dev/null") }
        #expect(device.message.hasPrefix("cannot write /dev/null: it is a character device, not a regular file"))
    }

    static func report() async throws -> SelectionReport {
        try await ModelSelection(laws: [TestChinchillaLaw()], fitOptions: FitOptions(starts: .count(2), seed: 1, workers: 1)).run(syntheticNDRuns())
    }

    @Test("a report set replaces an old set as a whole and keeps other files of the folder")
    func reportSets() async throws {
        let report = try await Self.report()
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("report").path
        try ReportWriter.write(report, to: target)
        try ReportWriter.write(report, to: target, formats: [.json])
        #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["report.json"])  // the old md and html went with the old set
        try "notes".write(toFile: target + "/notes.txt", atomically: false, encoding: .utf8)
        try ReportWriter.write(report, to: target, formats: [.markdown])
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).sorted() == ["notes.txt", "report.json", "report.md"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report"])  // no staging folder, no lock left
        let held = try ReportFolderLock(target)
        let refused = try #require(throws: LawfitError.self) { try ReportWriter.write(report, to: target) }
        #expect(refused.message.hasPrefix("another lawfit run is writing the report folder \(target)"))
        held.release()
        try ReportWriter.write(report, to: target, formats: [.json])
    }
}

@Suite("Atomic output: streamed in blocks")
struct AtomicFileStreamingTests {
    struct Stop: Error {}

    @Test("blocks reach the temporary as they fill; the file appears whole only when the producer returns")
    func streams() throws {
        let folder = try AtomicFileSafetyTests.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("curve.csv").path
        let line = String(repeating: "x", count: 127) + "\n"  // 128 bytes: a block is 8192 lines
        let lines = 3 * BlockWriter.blockBytes / line.utf8.count + 7  // three blocks and a partial one
        var seen: [String] = []
        var temporaryBytes = 0
        try AtomicFile.write(to: path) { writer in
            for _ in 0..<lines { try writer.append(line) }
            seen = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            temporaryBytes = (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(seen.first ?? "").path)[.size] as? Int) ?? 0
        }
        // While producing: only the temporary, holding the three full blocks written so far.
        #expect(seen.count == 1 && seen.allSatisfy { $0.hasPrefix(".curve.csv.") }, "\(seen)")
        #expect(temporaryBytes == 3 * BlockWriter.blockBytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["curve.csv"])
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size == lines * line.utf8.count)
    }

    @Test("a producer that fails after writing blocks leaves no file, no temporary, and the old file untouched")
    func failureAfterBlocks() throws {
        let folder = try AtomicFileSafetyTests.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("curve.csv").path
        try AtomicFile.write("old", to: path)
        var bytesOnDisk = 0
        #expect(throws: Stop.self) {
            try AtomicFile.write(to: path) { writer in
                for _ in 0..<(4 * BlockWriter.blockBytes / 128 + 100) { try writer.append(String(repeating: "y", count: 128)) }
                let temporary = try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix(".curve.csv.") } ?? ""
                bytesOnDisk = (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(temporary).path)[.size] as? Int) ?? 0
                throw Stop()
            }
        }
        #expect(bytesOnDisk == 4 * BlockWriter.blockBytes)  // four blocks were written before the failure
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["curve.csv"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
    }
}

extension AtomicFileSafetyTests {
    /// Issue 16.6: the temporary used to be `.NAME.PID.tmp`, and a link planted there was written through.
    @Test("a link planted at the old predictable temporary name is never written through; temporary names are random")
    func plantedLink() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let victim = folder.appendingPathComponent("victim.txt").path
        try "keep".write(toFile: victim, atomically: false, encoding: .utf8)
        let planted = folder.appendingPathComponent(".out.csv.\(getpid()).tmp").path
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: victim)
        try AtomicFile.write("result", to: folder.appendingPathComponent("out.csv").path)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: planted) == victim)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [".out.csv.\(getpid()).tmp", "out.csv", "victim.txt"])
        let names = Set((0..<20).map { _ in AtomicFile.temporaryName(for: "out.csv") })
        #expect(names.count == 20 && names.allSatisfy { $0.hasPrefix(".out.csv.") && $0.utf8.count == ".out.csv.".utf8.count + 12 })
    }
}
