import Foundation
import Testing
import TestSupport

/// The bad-input matrix of Docs/Errors.md, run through the `lawfit` executable: one row per class of
/// bad input, each with its exit code (2 input, 1 fit), the exact fragment of the message naming the
/// file and line/column or the parameter, and no output left behind in the output folder (not the
/// result, not AtomicFile's temporary file).
@Suite("Bad-input matrix")
struct BadInputMatrixTests {
    /// One row. In `arguments` and `message`, `{out}` stands for a fresh temporary folder.
    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var arguments: [String]
        var status: Int32
        /// Expected in stderr after `lawfit: error: ` (or, for status 0, in the written output).
        var message: String
        /// A folder made in `{out}` before the run (an output path that is taken), expected to stay.
        var existing: String? = nil

        var testDescription: String { name }
    }

    static func bad(_ file: String) -> String { "Fixtures/bad/\(file)" }

    /// `lawfit fit` of a loss-curve law on a step/loss file under a 10-step constant schedule.
    static func curveFit(_ file: String) -> [String] {
        ["fit", "--law", "multi-power", "--data", bad(file), "--schedule", "constant(peak=3e-4, total=10)", "--output", "{out}/fit.json"]
    }

    /// `lawfit fit` of chinchilla on an N, D, loss file.
    static func ndFit(_ file: String, law: String = "chinchilla") -> [String] {
        ["fit", "--law", law, "--data", file, "--starts", "4", "--output", "{out}/fit.json"]
    }

    static let cosine = "Fixtures/demo/curves/cosine.csv"

    static let rows: [Row] = [
        Row(name: "empty file", arguments: ndFit(bad("empty.csv")), status: 2,
            message: "Fixtures/bad/empty.csv:1: file is empty (no header, no rows)"),
        Row(name: "header only", arguments: ndFit(bad("header_only.csv")), status: 2,
            message: "Fixtures/bad/header_only.csv:1: file has a header but no data rows"),
        Row(name: "missing required column", arguments: curveFit("missing_column.csv"), status: 2,
            message: "Fixtures/bad/missing_column.csv:1 (column 'loss'): missing required column 'loss'; set it with --loss. The columns are: step, lr"),
        Row(name: "non-numeric cell", arguments: curveFit("non_numeric.csv"), status: 2,
            message: "Fixtures/bad/non_numeric.csv:3 (column 'loss'): 'abc' is not a number"),
        Row(name: "NaN loss", arguments: curveFit("nan_loss.csv"), status: 2,
            message: "Fixtures/bad/nan_loss.csv:3 (column 'loss'): loss is NaN; a loss must be a positive, finite number"),
        Row(name: "infinite loss", arguments: curveFit("inf_loss.csv"), status: 2,
            message: "Fixtures/bad/inf_loss.csv:3 (column 'loss'): loss is infinite; a loss must be a positive, finite number"),
        Row(name: "zero loss", arguments: curveFit("zero_loss.csv"), status: 2,
            message: "Fixtures/bad/zero_loss.csv:3 (column 'loss'): loss is zero; a loss must be a positive, finite number"),
        Row(name: "negative loss", arguments: curveFit("negative_loss.csv"), status: 2,
            message: "Fixtures/bad/negative_loss.csv:3 (column 'loss'): loss is negative (-1.5); a loss must be a positive, finite number"),
        Row(name: "non-positive input (N = 0)", arguments: ndFit(bad("zero_n.csv")), status: 2,
            message: "Fixtures/bad/zero_n.csv:3 (column 'N'): N must be a positive, finite number, got 0.0"),
        Row(name: "duplicate step", arguments: curveFit("duplicate_step.csv"), status: 2,
            message: "Fixtures/bad/duplicate_step.csv:4 (column 'step'): duplicate step 2 in run 'duplicate_step' (also on line 3); steps must increase within a run"),
        Row(name: "decreasing step", arguments: curveFit("decreasing_step.csv") + ["--run", "run"], status: 2,
            message: "Fixtures/bad/decreasing_step.csv:6 (column 'step'): decreasing step 1 in run 'a' (after step 2 on line 4); steps must increase within a run"),
        Row(name: "row shorter than the header", arguments: curveFit("ragged_row.csv"), status: 2,
            message: "Fixtures/bad/ragged_row.csv:3 (column 'loss'): row has 2 fields but the header has 3"),
        Row(
            name: "run longer than its schedule",
            arguments: ["fit", "--law", "multi-power", "--data", cosine, "--schedule", "cosine(peak=0.1, floor=0.001, total=2000)", "--output", "{out}/fit.json"],
            status: 2,
            message: "Fixtures/demo/curves/cosine.csv:82 (column 'step'): law 'multi-power': step 2025 of run 'cosine' is outside its schedule (1...2000)"),
        Row(
            name: "fewer schedules than runs",
            arguments: ["fit", "--law", "multi-power", "--data", cosine, "--data", "Fixtures/demo/curves/constant.csv",
                        "--schedule", "cosine(peak=0.1, floor=0.001, total=3000)", "--output", "{out}/fit.json"],
            status: 2, message: "give one --schedule per --data file: 1 schedules for 2 files"),
        Row(name: "invalid UTF-8", arguments: curveFit("bad_utf8.csv"), status: 2,
            message: "Fixtures/bad/bad_utf8.csv:3 (column 'note'): invalid UTF-8 (byte offset 33: 0xE9 0x0A); save the file as UTF-8"),
        Row(name: "UTF-16 with byte-order mark", arguments: ndFit(bad("utf16.csv")), status: 2,
            message: "Fixtures/bad/utf16.csv:1: the file is UTF-16 (byte-order mark 0xFF 0xFE); save it as UTF-8"),
        Row(name: "UTF-16 without byte-order mark", arguments: ndFit(bad("utf16le_no_bom.csv")), status: 2,
            message: "Fixtures/bad/utf16le_no_bom.csv:1: NUL byte at byte offset 1: the file is binary or UTF-16/UTF-32 text; save it as UTF-8"),
        Row(name: "UTF-8 byte-order mark and CRLF (accepted)", arguments: curveFit("bom.csv") + ["--starts", "1"], status: 0,
            message: "[[Fit: multi-power]]"),
        Row(name: "invalid JSON line", arguments: curveFit("bad.jsonl"), status: 2,
            message: "Fixtures/bad/bad.jsonl:3: invalid JSON"),
        Row(name: "number beyond a Double", arguments: ndFit(bad("overflow.csv")), status: 2,
            message: "Fixtures/bad/overflow.csv:3 (column 'D'): '1e999' overflows a Double (largest is about 1.8e308)"),
        Row(name: "huge N: C = 6ND overflows", arguments: ndFit(bad("huge_n.csv"), law: "two-phase"), status: 2,
            message: "Fixtures/bad/huge_n.csv:2 (column 'C'): law 'two-phase' needs a positive, finite C; got inf"),
        Row(name: "power law overflows at every start (fit diverges)", arguments: ndFit(bad("tiny_inputs.csv"), law: "kaplan"), status: 1,
            message: "every one of 4 starts of law 'kaplan' failed: the law's prediction is not finite at point 1 (Fixtures/bad/tiny_inputs.csv:2)"),
        Row(name: "unknown law", arguments: ndFit("Fixtures/demo/nd_runs.csv", law: "chinchila"), status: 2,
            message: "unknown law 'chinchila'; known laws: bnsl-1, bnsl-2, bnsl-3, chinchilla,"),
        Row(
            name: "unknown schedule",
            arguments: ["fit", "--law", "multi-power", "--data", cosine, "--schedule", "kosine(peak=0.1, total=3000)", "--output", "{out}/fit.json"],
            status: 2, message: "unknown schedule 'kosine'; known schedules: constant, cosine,"),
        Row(
            name: "bad spec string",
            arguments: ["fit", "--law", "multi-power", "--data", cosine, "--schedule", "cosine(peak=0.1, total=3000", "--output", "{out}/fit.json"],
            status: 2, message: "unbalanced parentheses: the '(' at character 7 of spec 'cosine(peak=0.1, total=3000' is never closed"),
        Row(name: "bad plugin library", arguments: ndFit("Fixtures/demo/nd_runs.csv") + ["--plugin", bad("not_a_plugin.so")], status: 2,
            message: "Fixtures/bad/not_a_plugin.so: not a plugin library: the file is not an ELF shared library (no ELF header)"),
        Row(name: "missing plugin library", arguments: ndFit("Fixtures/demo/nd_runs.csv") + ["--plugin", bad("no_such_plugin.so")], status: 2,
            message: "Fixtures/bad/no_such_plugin.so: plugin file not found"),
        Row(name: "plugin bare name is never looked up in the system path", arguments: ndFit("Fixtures/demo/nd_runs.csv") + ["--plugin", "libz.so.1"], status: 2,
            message: "libz.so.1: plugin file not found in the current folder"),
        Row(name: "plugin path is a folder", arguments: ndFit("Fixtures/demo/nd_runs.csv") + ["--plugin", "Fixtures/bad"], status: 2,
            message: "Fixtures/bad: the plugin path is a folder, not a regular file"),
        Row(name: "plugin path is a device", arguments: ndFit("Fixtures/demo/nd_runs.csv") + ["--plugin", "/dev/zero"], status: 2,
            message: "/dev/zero: the plugin path is a character device, not a regular file"),
        Row(
            name: "unwritable output folder",
            arguments: ["fit", "--law", "chinchilla", "--data", "Fixtures/demo/nd_runs.csv", "--starts", "2", "--output", "/proc/lawfit-cannot-write/fit.json"],
            status: 2, message: "cannot create the folder /proc/lawfit-cannot-write"),
        Row(
            name: "output path is a folder",
            arguments: ["fit", "--law", "chinchilla", "--data", "Fixtures/demo/nd_runs.csv", "--starts", "2", "--output", "{out}/taken"],
            status: 2, message: "cannot write {out}/taken: Is a directory", existing: "taken"),
        Row(name: "data lack the law's input", arguments: ndFit("Fixtures/demo/nd_runs.csv", law: "data-constrained"), status: 2,
            message: "Fixtures/demo/nd_runs.csv:1 (column 'U'): missing required column 'U'; set it with --unique-tokens. The columns are: N, D, loss"),
        Row(name: "schedule law without a schedule", arguments: ["fit", "--law", "multi-power", "--data", cosine, "--output", "{out}/fit.json"], status: 2,
            message: "Fixtures/demo/curves/cosine.csv: the law needs each run's learning-rate schedule: give --schedule SPEC (one per --data file) or --schedule-from lr (the file logs lr)"),
        Row(name: "bound not NAME=LOW:HIGH", arguments: ndFit("Fixtures/demo/nd_runs.csv") + ["--bound", "alpha=0.3"], status: 2,
            message: "--bound must be NAME=LOW:HIGH with numbers LOW < HIGH (e.g. alpha=0.2:0.5), got 'alpha=0.3'"),
        Row(name: "bound with LOW >= HIGH", arguments: ndFit("Fixtures/demo/nd_runs.csv") + ["--bound", "alpha=0.5:0.2"], status: 2,
            message: "the bound of 'alpha' must have LOW < HIGH, got 0.5:0.2"),
        Row(name: "bound of an unknown parameter", arguments: ndFit("Fixtures/demo/nd_runs.csv") + ["--bound", "gamma=0:1"], status: 2,
            message: "unknown parameter 'gamma'; the parameters are A, B, E, alpha, beta"),
        Row(name: "bound beyond the law's own", arguments: ndFit("Fixtures/demo/nd_runs.csv") + ["--bound", "alpha=0.1:20"], status: 2,
            message: "the bound 0.1:20.0 of 'alpha' is wider than law 'chinchilla' allows (0.0:10.0); a bound can only narrow the law's own"),
        Row(name: "bound with varpro", arguments: ndFit("Fixtures/demo/nd_runs.csv") + ["--method", "varpro", "--bound", "alpha=0.1:0.5"], status: 2,
            message: "--bound applies to the NLopt methods; --method varpro keeps E, A, B >= 0 and the exponents free"),
        Row(name: "fit at every bound", arguments: ndFit(bad("unreachable_loss.csv"), law: "sparse-feature"), status: 1,
            message: "every parameter of law 'sparse-feature' ends at a bound of its box (E at its upper bound 100.0, A at its upper bound 1000000000000.0, alpha_u at its lower bound 0.01, B at its upper bound 1000000000000.0, alpha_o at its lower bound 0.01, delta at its lower bound 1e-06): the law cannot describe these data within its bounds"),
        Row(
            name: "compare: empty file",
            arguments: ["compare", "--law", "chinchilla", "--data", bad("empty.csv"), "--report", "{out}/report", "--quiet"],
            status: 2, message: "Fixtures/bad/empty.csv:1: file is empty (no header, no rows)"),
        Row(
            name: "compare: unknown law",
            arguments: ["compare", "--law", "chinchilla", "--law", "kapplan", "--data", "Fixtures/demo/nd_runs.csv", "--report", "{out}/report", "--quiet"],
            status: 2, message: "unknown law 'kapplan'; known laws:"),
        Row(
            name: "predict: missing parameter",
            arguments: ["predict", "--law", "chinchilla", "--set", "A=406.4", "--at", "N=1e9,D=1e10", "--output", "{out}/predictions.csv"],
            status: 2, message: "missing parameter 'B'; the parameters are A, B, E, alpha, beta"),
        Row(
            name: "predict: power law overflows",
            arguments: ["predict", "--law", "chinchilla", "--set", "A=400", "--set", "B=400", "--set", "E=1.7", "--set", "alpha=2", "--set", "beta=2",
                        "--data", bad("tiny_inputs.csv"), "--output", "{out}/predictions.csv"],
            status: 1, message: "the prediction of law 'chinchilla' is not finite at Fixtures/bad/tiny_inputs.csv:2"),
        Row(
            name: "predict: parameters file with a non-number",
            arguments: ["predict", "--law", "chinchilla", "--params-file", bad("not_a_fit.json"), "--at", "N=1e9,D=1e10", "--output", "{out}/predictions.csv"],
            status: 2,
            message: "Fixtures/bad/not_a_fit.json: 'parameters.A' is not a number; expected a `lawfit fit --format json` result (keys 'law' and 'parameters') or a `lawfit compare` report.json (keys 'schema_version' and 'laws')"),
        Row(
            name: "predict: parameters file that is not JSON",
            arguments: ["predict", "--law", "chinchilla", "--params-file", "Fixtures/demo/nd_runs.csv", "--at", "N=1e9,D=1e10", "--output", "{out}/predictions.csv"],
            status: 2, message: "Fixtures/demo/nd_runs.csv: not a JSON object; expected a `lawfit fit --format json` result"),
        Row(
            name: "compare: unknown report format (before any fit)",
            arguments: ["compare", "--law", "chinchilla", "--data", "Fixtures/demo/nd_runs.csv", "--format", "pdf", "--report", "{out}/report", "--quiet"],
            status: 2, message: "unknown --format 'pdf'; use json, markdown or html"),
        Row(
            name: "compare: every law lacks an input",
            arguments: ["compare", "--law", "multi-power", "--law", "data-constrained", "--data", "Fixtures/demo/nd_runs.csv", "--report", "{out}/report", "--quiet"],
            status: 2, message: "no law could be fitted:\n  multi-power (skipped): the data lack "),
    ]

    @Test("bad input exits with its code, names where, and leaves no output", arguments: rows)
    func row(_ row: Row) throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        if let existing = row.existing {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(existing), withIntermediateDirectories: false)
        }
        let arguments = row.arguments.map { $0.replacingOccurrences(of: "{out}", with: folder.path) }
        let message = row.message.replacingOccurrences(of: "{out}", with: folder.path)
        let outcome = try LawfitProcess.run(arguments)
        #expect(outcome.status == row.status, "\(outcome.standardError)")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        if row.status == 0 {
            let written = try #require(left.first.map { folder.appendingPathComponent($0) })
            #expect(left.count == 1)
            #expect(try String(contentsOf: written, encoding: .utf8).contains(message))
        } else {
            #expect(outcome.standardError.contains("lawfit: error: \(message)"), "\(outcome.standardError)")
            #expect(left == (row.existing.map { [$0] } ?? []), "left behind: \(left)")
            #expect(!FileManager.default.fileExists(atPath: "/proc/lawfit-cannot-write"))
        }
    }
}
