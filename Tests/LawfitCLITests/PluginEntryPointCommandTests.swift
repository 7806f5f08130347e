import Foundation
import TestSupport
import Testing

/// Issue 16.12 through the `lawfit` executable: a library exporting `lawfit_register_plugin` as data
/// used to be called and crash the process (SIGSEGV); now it is an input error and nothing is written.
@Suite("lawfit --plugin: entry point exported as data")
struct PluginEntryPointCommandTests {
    @Test("a data symbol named like the entry point exits 2 with the reason; no output, no temporary")
    func dataEntryPoint() throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("data_entry.c").path
        let library = folder.appendingPathComponent("libDataEntry.so").path
        try compileSharedLibrary(
            "int lawfit_register_plugin[4] = {1, 2, 3, 4};\nint lawfit_plugin_abi_fingerprint(void) { return 0; }\n",
            sourcePath: source, library: library)
        let outcome = try LawfitProcess.run([
            "fit", "--law", "chinchilla", "--data", "Fixtures/demo/nd_runs.csv", "--starts", "2", "--plugin", library,
            "--output", folder.appendingPathComponent("fit.json").path,
        ])
        #expect(outcome.status == 2, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("lawfit: error: \(library): not a Lawfit plugin: the library exports 'lawfit_register_plugin' as data, not as a function"),
                "\(outcome.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["data_entry.c", "libDataEntry.so"])
    }
}
