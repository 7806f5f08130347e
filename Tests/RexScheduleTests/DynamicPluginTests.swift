import Foundation
@testable import LawfitCore
import Testing
import TestSupport

/// The run-time plugin: `make test` builds `libRexSchedulePlugin.so` first; these tests load it with
/// `DynamicPluginLoader` and use its schedule, and check the errors for bad plugins.
@Suite(.serialized) struct DynamicPluginTests {
    static var buildFolder: String { SharedData.repositoryRoot.appendingPathComponent(".build/debug").resolvingSymlinksInPath().path }

    /// The plugin built by `swift build --product RexSchedulePlugin`; a failed expectation if missing.
    static func builtPlugin() throws -> String {
        let path = buildFolder + "/libRexSchedulePlugin.so"
        try #require(
            FileManager.default.fileExists(atPath: path),
            "\(path) is missing: run `swift build --product RexSchedulePlugin` before `swift test` (make test does)")
        return path
    }

    static func builtinRegistry() throws -> PluginRegistry {
        let registry = PluginRegistry()
        try BuiltinSchedules.register(into: registry)
        return registry
    }

    @Test func loadsThePluginAndUsesItsSchedule() throws {
        let path = try Self.builtPlugin()
        let registry = try Self.builtinRegistry()
        let loaded = try DynamicPluginLoader.load(path, into: registry)
        #expect(loaded == .init(path: path, names: ["schedule:rex"], warnings: []))
        #expect(registry.origin(of: "rex", kind: "schedule") == path)
        let rex = try ScheduleSpec.parse("rex(peak=3e-4, total=1000)", registry: registry)
        #expect(abs(rex.rate(at: 250) - 3e-4 * 0.75 / 0.875) <= 1e-19)
        #expect(rex.spec == "rex(peak=0.0003, total=1000)")
        // Intrinsic time through DenseSchedule, against the closed form summed here.
        let dense = DenseSchedule(rex)
        var tau = 0.0
        for k in 1...1000 {
            let z = 1 - Double(k) / 1000
            tau += 3e-4 * z / (0.5 + 0.5 * z)
        }
        #expect(abs(dense.intrinsicTime[1000] - tau) <= 1e-15 * tau)
        // Composes with a built-in and round-trips through its spec.
        let warm = try ScheduleSpec.parse("warmup(steps=100, schedule=\(rex.spec))", registry: registry)
        #expect(DenseSchedule(try ScheduleSpec.parse(warm.spec, registry: registry)).rates == DenseSchedule(warm).rates)
    }

    @Test func pluginFactoryErrorsArriveAsLawfitErrors() throws {
        let registry = try Self.builtinRegistry()
        try DynamicPluginLoader.load(try Self.builtPlugin(), into: registry)
        let error = try #require(throws: LawfitError.self) { try ScheduleSpec.parse("rex(peak=-1, total=10)", registry: registry) }
        #expect(error.message.contains("rex: parameter 'peak' must be finite and > 0, got -1"))
        let unknown = try #require(throws: LawfitError.self) { try ScheduleSpec.parse("rex(peak=1, total=10, floor=0)", registry: registry) }
        #expect(unknown.message.hasPrefix("rex: unknown parameter 'floor' at character 23"))
        #expect(unknown.message.contains("it accepts peak, total"))
    }

    @Test func loadingTwiceIsANameClashNamingBothLibraries() throws {
        let path = try Self.builtPlugin()
        let registry = try Self.builtinRegistry()
        try DynamicPluginLoader.load(path, into: registry)
        let copy = try Scratch()
        let second = copy.folder + "/libRexCopy.so"
        try FileManager.default.copyItem(atPath: path, toPath: second)
        let error = try #require(throws: LawfitError.self) { try DynamicPluginLoader.load(second, into: registry) }
        #expect(error.message == "the schedule 'rex' from \(second) clashes with the schedule of that name from \(path); names must be unique")
    }

    @Test func aClashKeepsTheFirstRegistration() throws {
        let path = try Self.builtPlugin()
        let registry = PluginRegistry()
        let mine = ScheduleFactory(name: "rex", summary: "a user's own rex", parameters: []) { _ in try ConstantSchedule(peak: 1, total: 1) }
        try registry.register(schedule: mine, origin: "my code")
        let error = try #require(throws: LawfitError.self) { try DynamicPluginLoader.load(path, into: registry) }
        #expect(error.message == "the schedule 'rex' from \(path) clashes with the schedule of that name from my code; names must be unique")
        #expect(registry.origin(of: "rex", kind: "schedule") == "my code")
        #expect(registry.schedules.map(\.name) == ["rex"])
    }

    /// A host whose LawfitCore differs from the plugin's refuses before calling the entry point (the
    /// registry stays empty). `make abi-break-check` tests the real case: a rebuilt host, an old plugin.
    @Test func fingerprintMismatchIsRefused() throws {
        let path = try Self.builtPlugin()
        let registry = PluginRegistry()
        let error = try #require(throws: LawfitError.self) {
            try DynamicPluginLoader.load(path, at: SourceLocation(file: path), into: registry, hostFingerprint: "0123456789abcdef")
        }
        #expect(error.message.hasPrefix("plugin ABI mismatch: the plugin was built against LawfitCore \(PluginABI.fingerprint), this lawfit is LawfitCore 0123456789abcdef; rebuild the plugin"))
        #expect(error.location?.file == path)
        #expect(registry.schedules.isEmpty)
    }

    @Test func fingerprintIsSixteenHexDigitsWrittenByTheAccessor() {
        #expect(PluginABI.fingerprint.count == 16 && PluginABI.fingerprint.allSatisfy(\.isHexDigit))
        var buffer = [CChar](repeating: 1, count: 8)
        #expect(PluginABI.writeFingerprint(into: &buffer, capacity: 8) == 16)
        #expect(String(decoding: buffer.prefix(7).map { UInt8(bitPattern: $0) }, as: UTF8.self) == String(PluginABI.fingerprint.prefix(7)))
        #expect(buffer[7] == 0)
    }

    @Test func missingFile() throws {
        let path = SharedData.fixture("bad/no_such_plugin.so").path
        let error = try #require(throws: LawfitError.self) { try DynamicPluginLoader.load(path, into: PluginRegistry()) }
        #expect(error.description == "\(path): plugin file not found")
    }

    @Test func textFileIsRefusedBeforeDlopen() throws {
        let path = SharedData.fixture("bad/not_a_plugin.so").path
        let error = try #require(throws: LawfitError.self) { try DynamicPluginLoader.load(path, into: PluginRegistry()) }
        #expect(error.description == "\(path): not a plugin library: the file is not an ELF shared library (no ELF header)")
        #expect(error.kind == .input)
    }

    /// The ELF reader checks every offset against the file: a plugin cut short is refused, not read out of bounds.
    @Test func truncatedLibraryIsRefused() throws {
        let scratch = try Scratch()
        let cut = scratch.folder + "/libCut.so"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: try Self.builtPlugin()))
        try bytes.prefix(4096).write(to: URL(fileURLWithPath: cut))
        let error = try #require(throws: LawfitError.self) { try DynamicPluginLoader.load(cut, into: PluginRegistry()) }
        #expect(error.description == "\(cut): not a plugin library: a truncated or malformed ELF file")
        try bytes.prefix(40).write(to: URL(fileURLWithPath: cut))
        let short = try #require(throws: LawfitError.self) { try DynamicPluginLoader.load(cut, into: PluginRegistry()) }
        #expect(short.message == "not a plugin library: the file is too short to be an ELF shared library")
    }

    @Test func libraryWithoutTheEntryPointIsRefusedBeforeItsCodeRuns() throws {
        let scratch = try Scratch()
        let marker = scratch.folder + "/constructor-ran"
        let library = try scratch.compile("""
            #include <stdio.h>
            __attribute__((constructor)) static void ran(void) { fclose(fopen("\(marker)", "w")); }
            int something_else(void) { return 0; }
            """)
        let error = try #require(throws: LawfitError.self) { try DynamicPluginLoader.load(library, into: PluginRegistry()) }
        #expect(error.message == "not a Lawfit plugin: the library exports no 'lawfit_register_plugin' function (see Docs/WritingPlugins.md)")
        #expect(!FileManager.default.fileExists(atPath: marker), "the library's constructor ran")
    }

    /// Issue 16.12: a data symbol named like the entry point used to be called (SIGSEGV).
    @Test func entryPointExportedAsDataIsRefused() throws {
        let scratch = try Scratch()
        let library = try scratch.compile("int lawfit_register_plugin[4] = {1, 2, 3, 4};\nint lawfit_plugin_abi_fingerprint(void) { return 0; }\n")
        let error = try #require(throws: LawfitError.self) { try DynamicPluginLoader.load(library, into: PluginRegistry()) }
        #expect(error.message == "not a Lawfit plugin: the library exports 'lawfit_register_plugin' as data, not as a function")
    }

    /// A plugin built before fingerprints (only `lawfit_register_plugin`) is refused without calling it.
    @Test func pluginWithoutFingerprintIsRefused() throws {
        let scratch = try Scratch()
        let library = try scratch.compile("#include <stdlib.h>\nint lawfit_register_plugin(void *r, int v, char *e, long n) { abort(); }\n")
        let error = try #require(throws: LawfitError.self) { try DynamicPluginLoader.load(library, into: PluginRegistry()) }
        #expect(error.message.hasPrefix("the plugin exports no 'lawfit_plugin_abi_fingerprint' function: it was built for an older Lawfit"))
    }

    /// Issue 16.13: a bare name is looked up in the current folder, then LAWFIT_PLUGIN_PATH, never in
    /// the system library path (where dlopen would find libz.so.1 and run its constructors).
    @Test func bareNameNeverSearchesTheSystemPath() throws {
        let scratch = try Scratch()
        let error = try #require(throws: LawfitError.self) {
            try DynamicPluginLoader.load("libz.so.1", into: PluginRegistry(), currentFolder: scratch.folder, searchPath: nil)
        }
        #expect(error.description == "libz.so.1: plugin file not found in the current folder (set LAWFIT_PLUGIN_PATH to search more folders); give a path with a '/' to load from elsewhere")
        let listed = try #require(throws: LawfitError.self) {
            try DynamicPluginLoader.load("libz.so.1", into: PluginRegistry(), currentFolder: scratch.folder, searchPath: "/nonexistent:\(scratch.folder)")
        }
        #expect(listed.message.hasPrefix("plugin file not found in the current folder and LAWFIT_PLUGIN_PATH (/nonexistent:\(scratch.folder))"))
    }

    @Test func bareNameResolvesInTheCurrentFolderThenThePluginPath() throws {
        let path = try Self.builtPlugin()
        let here = try DynamicPluginLoader.load("libRexSchedulePlugin.so", into: PluginRegistry(), currentFolder: Self.buildFolder, searchPath: nil)
        #expect(here.path == path)
        let scratch = try Scratch()
        let found = try DynamicPluginLoader.load("libRexSchedulePlugin.so", into: PluginRegistry(), currentFolder: scratch.folder, searchPath: "\(scratch.folder)/none:\(Self.buildFolder)")
        #expect(found.path == path && found.names == ["schedule:rex"])
    }

    @Test func specialFilesAreRefusedWithoutOpeningThem() throws {
        let scratch = try Scratch()
        let fifo = scratch.folder + "/libFifo.so"
        try #require(mkfifo(fifo, 0o600) == 0)
        let error = try #require(throws: LawfitError.self) { try DynamicPluginLoader.load(fifo, into: PluginRegistry()) }
        #expect(error.description == "\(fifo): the plugin path is a FIFO (named pipe), not a regular file (a plugin is a shared library file such as libMyPlugin.so)")
        let folder = try #require(throws: LawfitError.self) { try DynamicPluginLoader.load(scratch.folder, into: PluginRegistry()) }
        #expect(folder.message.hasPrefix("the plugin path is a folder, not a regular file"))
        let device = try #require(throws: LawfitError.self) { try DynamicPluginLoader.load("/dev/zero", into: PluginRegistry()) }
        #expect(device.message.hasPrefix("the plugin path is a character device, not a regular file"))
    }

    @Test func pluginWritableByOthersIsLoadedWithWarnings() throws {
        let scratch = try Scratch()
        let folder = scratch.folder + "/shared"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let copy = folder + "/libRexShared.so"
        try FileManager.default.copyItem(atPath: try Self.builtPlugin(), toPath: copy)
        try #require(chmod(copy, 0o666) == 0 && chmod(folder, 0o777) == 0)
        let loaded = try DynamicPluginLoader.load(copy, into: PluginRegistry())
        #expect(loaded.names == ["schedule:rex"])
        #expect(loaded.warnings == [
            "plugin \(copy) is writable by every user (chmod o-w it): anyone could change the code Lawfit runs",
            "the folder of plugin \(copy) is writable by every user (chmod o-w \(folder)): anyone could replace the plugin",
        ])
        // A sticky folder (like /tmp) lets no one else replace the file: no folder warning.
        try #require(chmod(copy, 0o644) == 0 && chmod(folder, 0o1777) == 0)
        #expect(try PluginFile.resolve(copy).warnings.isEmpty)
    }
}

/// A temporary folder removed at deinit, and C libraries compiled into it.
final class Scratch {
    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lawfit-plugin-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// Compiles `source` (C) into a shared library with the system C compiler; returns its path.
    func compile(_ source: String) throws -> String {
        let input = folder + "/library.c", output = folder + "/libtest\(UUID().uuidString.prefix(8)).so"
        try compileSharedLibrary(source, sourcePath: input, library: output)
        return output
    }
}
