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
        /// Paths made in `{out}` before the run (inputs, special files), expected to stay unchanged.
        var made: [Made] = []
        /// Standard input of the run.
        var input: String? = nil

        var testDescription: String { name }
    }

    /// Something made in `{out}` before a row runs: a file with content, a folder, a FIFO, a socket, a symbolic link.
    enum Made: Sendable {
        case file(String, String)
        case folder(String)
        case fifo(String)
        case socket(String)
        case link(String, to: String)

        var path: String {
            switch self {
            case .file(let path, _), .folder(let path), .fifo(let path), .socket(let path), .link(let path, _): path
            }
        }

        func make(in folder: URL) throws {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            switch self {
            case .file(_, let content): try Data(content.utf8).write(to: url)
            case .folder: try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            case .fifo: guard mkfifo(url.path, 0o644) == 0 else { throw CocoaError(.fileWriteUnknown) }
            case .socket: guard mknod(url.path, S_IFSOCK | 0o644, 0) == 0 else { throw CocoaError(.fileWriteUnknown) }
            case .link(_, let target): try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
            }
        }

        /// Whether the path is still what was made (same content for a file).
        func isIntact(in folder: URL) -> Bool {
            let url = folder.appendingPathComponent(path)
            switch self {
            case .file(_, let content): return (try? String(contentsOf: url, encoding: .utf8)) == content
            case .folder: return (try? FileManager.default.contentsOfDirectory(atPath: url.path)) != nil
            case .fifo:
                var info = stat()
                return lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO
            case .socket:
                var info = stat()
                return lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK
            case .link(_, let target): return (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) == target
            }
        }
    }

    /// Every path under `folder`, relative, sorted (folders too).
    static func listing(_ folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        return walker.compactMap { $0 as? String }.sorted()
    }

    /// The N, D, loss data of the demo, as a made input file.
    static let ndRuns = (try? String(contentsOf: SharedData.repositoryRoot.appendingPathComponent("Fixtures/demo/nd_runs.csv"), encoding: .utf8)) ?? ""
    /// A CSV whose loss cell is a 10-million-character token.
    static let hugeCell = "N,D,loss\n1e9,1e10,x" + String(repeating: "1", count: 10_000_000) + "\n"
    /// 300 nested warmups around a constant schedule (7.8 KB): took 10 s to parse before nesting was capped.
    static let deepSpec = (0..<300).reduce("constant(peak=1, total=100)") { inner, _ in "warmup(steps=1, schedule=\(inner))" }
    static let nd = "Fixtures/demo/nd_runs.csv"

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
        Row(name: "duplicate step", arguments: curveFit("duplicate_step.csv") + ["--repeated-steps", "error"], status: 2,
            message: "Fixtures/bad/duplicate_step.csv:4 (column 'step'): duplicate step 2 in run 'duplicate_step' (also on line 3); steps must increase within a run"),
        Row(name: "decreasing step", arguments: curveFit("decreasing_step.csv") + ["--run", "run", "--repeated-steps", "error"], status: 2,
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
        Row(name: "UTF-8 byte-order mark and CRLF (read; 2 points are too few for multi-power)", arguments: curveFit("bom.csv"), status: 2,
            message: "law 'multi-power' has 7 parameters, so a fit needs at least 7 points, but 2 remain (Fixtures/bad/bom.csv has 2 rows)"),
        Row(name: "invalid JSON line", arguments: curveFit("bad.jsonl"), status: 2,
            message: "Fixtures/bad/bad.jsonl:3 (column 'loss'): invalid JSON"),
        Row(name: "hexadecimal number", arguments: curveFit("hex_loss.csv"), status: 2,
            message: "Fixtures/bad/hex_loss.csv:3 (column 'loss'): '0x5' is not a number (hexadecimal is not read; write the number in decimal)"),
        Row(name: "number below a Double (underflow)", arguments: curveFit("underflow_loss.csv"), status: 2,
            message: "Fixtures/bad/underflow_loss.csv:3 (column 'loss'): '1e-400' underflows a Double (smallest is about 4.9e-324) and would read as 0"),
        Row(name: "JSON line with a duplicate key", arguments: curveFit("duplicate_key.jsonl"), status: 2,
            message: "Fixtures/bad/duplicate_key.jsonl:2 (column 'loss'): invalid JSON: duplicate key 'loss' (first at character 13); each key may appear once (character 26 of the line)"),
        Row(name: "JSON line with a trailing comma", arguments: curveFit("trailing_comma.jsonl"), status: 2,
            message: "Fixtures/bad/trailing_comma.jsonl:2: invalid JSON: trailing comma before '}' (JSON allows none) (character 25 of the line)"),
        // The repeated step is merged (3 rows, 2 points), and 2 points are too few for 7 parameters.
        Row(name: "repeated steps merged, then too few points", arguments: curveFit("duplicate_step.csv") + ["--starts", "1"], status: 2,
            message: "law 'multi-power' has 7 parameters, so a fit needs at least 7 points, but 2 remain (Fixtures/bad/duplicate_step.csv has 3 rows)"),
        Row(
            name: "--schedule-from lr on a log that starts after step 0",
            arguments: ["fit", "--law", "multi-power", "--data", bad("late_lr.csv"), "--schedule-from", "lr", "--output", "{out}/fit.json"],
            status: 2,
            message: "Fixtures/bad/late_lr.csv: run 'late_lr': --schedule-from lr cannot carry the schedule: the logged lr starts at step 100, so the rates of steps 0-99 are unknown"),
        Row(
            name: "--fork naming an unknown run",
            arguments: curveFit("bom.csv") + ["--fork", "bom=stable@5"],
            status: 2, message: "--fork bom=stable@5: no run named 'stable'; the runs are bom"),
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
            status: 2, message: "cannot write {out}/taken: it is a folder; --output takes a file path (such as {out}/taken/result)", existing: "taken"),
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
            // L0 + A S1^-alpha - C S2 with C = 1000: the annealing term exceeds the loss (-5.42 at step 100).
            name: "predict: negative loss",
            arguments: ["predict", "--law", "lr-annealing", "--set", "L0=1", "--set", "A=1", "--set", "alpha=0.3", "--set", "C=1000",
                        "--set", "lambda=0.999", "--at", "step=100", "--schedule", "cosine(peak=1e-3, floor=1e-5, total=300)",
                        "--output", "{out}/predictions.csv"],
            status: 1, message: "the prediction of law 'lr-annealing' is not positive at point 1 (step=100): -5.42"),
        Row(
            // 2 eta s_hi = 2.0 at LR 0.6 with 16 features (s_hi = 1.67): SGD diverges from step 1 and the
            // law saturates at its diverged loss 1e100, which predict refuses to print as a loss.
            name: "predict: diverged run",
            arguments: ["predict", "--law", "dmft-sgd(modes=1000)", "--set", "a=2.2", "--set", "b=1.5", "--set", "s=1", "--set", "E=0",
                        "--set", "lrScale=1", "--set", "features=16", "--at", "step=40", "--schedule", "constant(peak=0.6, total=100)",
                        "--output", "{out}/predictions.csv"],
            status: 1, message: "the prediction of law 'dmft-sgd(modes=1000)' signals divergence at point 1 (step=40): 1e+100; training at these parameters and rates diverges by this point"),
        Row(
            // The finite-M contour of dmft-sgd fails for N near M (391 of 400 here): NaN, not a loss.
            name: "predict: the law cannot be evaluated",
            arguments: ["predict", "--law", "dmft-sgd(modes=400)", "--set", "a=2.2", "--set", "b=1.5", "--set", "s=1", "--set", "E=0",
                        "--set", "lrScale=1", "--set", "features=391", "--at", "step=40", "--schedule", "constant(peak=0.2, total=100)",
                        "--output", "{out}/predictions.csv"],
            status: 1, message: "the prediction of law 'dmft-sgd(modes=400)' is not a number at point 1 (step=40): the law cannot be evaluated at these parameters and inputs (outside the range where its formula or solver holds)"),
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
            status: 2, message: "The value 'pdf' is invalid for '--format <format>'. Please provide one of 'json', 'markdown' or 'html'."),
        // The objective options, one group shared by fit and compare (issue 18).
        Row(name: "fit: Huber threshold not positive", arguments: ndFit(nd) + ["--objective", "huber:0"], status: 2,
            message: "--objective huber:DELTA needs a finite DELTA > 0, got 0.0"),
        Row(
            name: "compare: infinite Huber threshold",
            arguments: ["compare", "--law", "chinchilla", "--data", nd, "--objective", "huber:inf", "--report", "{out}/report", "--quiet"],
            status: 2, message: "--objective huber:DELTA needs a finite DELTA > 0, got inf"),
        Row(name: "fit: objective in both spellings", arguments: ndFit(nd) + ["--objective", "squared", "--penalty", "huber"], status: 2,
            message: "give the objective once: --objective, or the deprecated --penalty and --huber-delta, not both"),
        Row(name: "fit: varpro with a Huber objective", arguments: ndFit(nd) + ["--method", "varpro", "--objective", "huber:1e-3"], status: 2,
            message: "--method varpro fits squared error in linear space, not huber(delta=0.001) on linear residuals"),
        Row(
            name: "compare: every law lacks an input",
            arguments: ["compare", "--law", "multi-power", "--law", "data-constrained", "--data", "Fixtures/demo/nd_runs.csv", "--report", "{out}/report", "--quiet"],
            status: 2, message: "no law could be fitted; no report was written:\n  multi-power (skipped): the data lack "),

        // Issue 16, item 1: fits with fewer points than parameters (every row filtered out).
        Row(name: "fit: filters leave no point", arguments: ndFit(nd) + ["--where", "N<0"], status: 2,
            message: "law 'chinchilla' has 5 parameters, so a fit needs at least 5 points, but 0 remain (Fixtures/demo/nd_runs.csv has 49 rows, 0 after --where 'N<0')"),
        Row(name: "varpro: filters leave no point", arguments: ndFit(nd) + ["--method", "varpro", "--drop-highest-loss", "5", "--where", "N>1e30"], status: 2,
            message: "law 'chinchilla' has 5 parameters, so a fit needs at least 5 points, but 0 remain (Fixtures/demo/nd_runs.csv has 49 rows, 44 after --drop-highest-loss 5, 0 after --where 'N>1e30')"),
        Row(
            name: "multi-power: filters leave no point",
            arguments: ["fit", "--law", "multi-power", "--data", cosine, "--schedule", "cosine(peak=0.1, floor=0.001, total=3000)", "--where", "step<0", "--output", "{out}/fit.json"],
            status: 2, message: "law 'multi-power' has 7 parameters, so a fit needs at least 7 points, but 0 remain (Fixtures/demo/curves/cosine.csv has 120 rows, 0 after --where 'step<0')"),
        Row(
            name: "lr-annealing: filters leave no point",
            arguments: ["fit", "--law", "lr-annealing", "--data", cosine, "--schedule", "cosine(peak=0.1, floor=0.001, total=3000)", "--where", "loss>100", "--output", "{out}/fit.json"],
            status: 2, message: "law 'lr-annealing' has 5 parameters, so a fit needs at least 5 points, but 0 remain (Fixtures/demo/curves/cosine.csv has 120 rows, 0 after --where 'loss>100')"),
        Row(
            name: "compare: filters leave no point",
            arguments: ["compare", "--law", "chinchilla", "--data", nd, "--where", "N<0", "--report", "{out}/report", "--quiet"],
            status: 2, message: "law 'chinchilla' has 5 parameters, so a fit needs at least 5 points, but 0 remain (Fixtures/demo/nd_runs.csv has 49 rows, 0 after --where 'N<0')"),
        // Item 2: non-finite rates and diverging simulations.
        Row(name: "schedule: a rate overflows", arguments: ["schedule", "show", "step(peak=1, every=1, factor=1e300, total=10)"], status: 2,
            message: "schedule 'step(peak=1, factor=1e+300, every=1, warmup=0, total=10)': the rate at step 2 is inf; a learning rate must be a finite number >= 0"),
        Row(
            name: "fit: a schedule's rate overflows",
            arguments: ["fit", "--law", "multi-power", "--data", cosine, "--schedule", "step(peak=1, every=1, factor=1e300, total=3000)", "--output", "{out}/fit.json"],
            status: 2, message: "schedule 'step(peak=1, factor=1e+300, every=1, warmup=0, total=3000)': the rate at step 2 is inf; a learning rate must be a finite number >= 0"),
        Row(
            name: "simulate: SGD diverges",
            arguments: ["simulate", "--kernel", "powerlaw(capacity=1.5, source=0.5, modes=400)", "--schedule", "constant(peak=100, total=300)", "--output", "{out}/sim.csv"],
            status: 1, message: "simulate: SGD diverges: the expected loss exceeds 10^6 times its initial 1.9474269448357988 at step 2 (lr 100.0, lr x largest eigenvalue = 100.0) and is inf from step 69; lower the learning rate"),
        // Item 4: data paths that are not files.
        Row(name: "data path is a folder", arguments: ndFit("Fixtures/bad"), status: 2,
            message: "Fixtures/bad: this is a folder, not a file; give a CSV or JSON Lines file (such as one inside it)"),
        Row(name: "data path is /dev/zero", arguments: ndFit("/dev/zero"), status: 2,
            message: "/dev/zero: this is a character device, not a file; give a CSV or JSON Lines file (or - to read standard input)"),
        Row(name: "data path is /dev/null", arguments: ndFit("/dev/null"), status: 2,
            message: "/dev/null: this is a character device, not a file; give a CSV or JSON Lines file (or - to read standard input)"),
        Row(name: "data path is a FIFO nobody writes to (read as empty, no hang)", arguments: ndFit("{out}/pipe.csv"), status: 2,
            message: "{out}/pipe.csv:1: file is empty (no header, no rows)", made: [.fifo("pipe.csv")]),
        Row(name: "data - reads standard input (accepted)", arguments: ndFit("-"), status: 0, message: "[[Fit: chinchilla]]", input: ndRuns),
        Row(name: "optimal: fsl-theory-scaling budget below one mode-step", arguments: ["optimal", "--params-file", "{out}/fsl.json", "--compute", "1"], status: 2,
            message: "fsl-theory-scaling: the budget C = 1 FLOP buys m C / (6 B) = 1.667e-07 mode-steps (modeScale m = 1e-06, batch B = 1); the allocation needs at least 1",
            made: [.file("fsl.json", #"{"law":"fsl-theory-scaling","parameters":{"capacity":1.5,"source":0.5,"amplitude":1,"noise":0.1,"lrScale":1000,"modeScale":1e-6}}"#)]),
        Row(name: "optimal: fsl-theory budget below one mode-step (the error names the law typed)",
            arguments: ["optimal", "--law", "fsl-theory(batch=4, capacity=1.5, source=0.5, amplitude=1, noise=0.1, lrScale=1)", "--compute", "12"], status: 2,
            message: "fsl-theory(batch=4): the budget C = 12 FLOP buys m C / (6 B) = 0.5 mode-steps (modeScale m = 1, batch B = 4); the allocation needs at least 1"),
        Row(name: "law spec: setting out of range", arguments: ["optimal", "--law", "fsl-theory-scaling(batch=0, modeScale=1)", "--compute", "1e6"], status: 2,
            message: "fsl-theory-scaling: batch must be in 1 ... 1e9, got 0"),
        Row(name: "law spec: dmft-sgd modes below 2", arguments: ["predict", "--law", "dmft-sgd(modes=1)", "--at", "step=10", "--schedule", "constant(peak=0.1, total=100)",
                                                                  "--output", "{out}/predictions.csv"], status: 2,
            message: "dmft-sgd: modes must be 0 (infinitely many) or in 2 ... 1e9, got 1"),
        Row(name: "law spec: dmft-sgd modes beyond the limit", arguments: ["predict", "--law", "dmft-sgd(modes=2e9)", "--at", "step=10", "--schedule", "constant(peak=0.1, total=100)",
                                                                          "--output", "{out}/predictions.csv"], status: 2,
            message: "dmft-sgd: modes must be 0 (infinitely many) or in 2 ... 1e9, got 2000000000"),
        Row(name: "law spec: dmft-sgd batch below 1", arguments: ["predict", "--law", "dmft-sgd(batch=0.5)", "--at", "step=10", "--schedule", "constant(peak=0.1, total=100)",
                                                                  "--output", "{out}/predictions.csv"], status: 2,
            message: "dmft-sgd: batch must be in 1 ... 1e9, got 0.5"),
        Row(name: "law spec: dmft-sgd unknown step form", arguments: ["predict", "--law", "dmft-sgd(step=euler)", "--at", "step=10", "--schedule", "constant(peak=0.1, total=100)",
                                                                     "--output", "{out}/predictions.csv"], status: 2,
            message: "dmft-sgd: step must be discrete or continuum, got 'euler'"),
        Row(name: "law spec: unknown setting", arguments: ["optimal", "--law", "fsl-theory(width=3)", "--compute", "1e6"], status: 2,
            message: "fsl-theory: unknown parameter 'width' at character 12 of spec 'fsl-theory(width=3)'; it accepts modes, batch, kernel, decay"),
        Row(name: "law spec: settings for a law without any", arguments: ["optimal", "--law", "chinchilla(batch=4)", "--compute", "1e21"], status: 2,
            message: "law 'chinchilla' takes no settings (spec 'chinchilla(batch=4)'); only its parameters A, B, E, alpha, beta may be given"),
        Row(name: "optimal: parameters neither in a file nor in the law spec", arguments: ["optimal", "--law", "fsl-theory(capacity=1.5)", "--compute", "1e6"], status: 2,
            message: "law 'fsl-theory' needs the parameters capacity, source, amplitude, noise, lrScale; missing source, amplitude, noise, lrScale: give them in the law spec (--law 'fsl-theory(source=VALUE, ...)') or with --params-file"),
        Row(name: "optimal --family: a law that needs N", arguments: ["optimal", "--params-file", "{out}/fsl.json", "--family", "wsd", "--total", "100", "--peak", "0.1"], status: 2,
            message: "--family: law 'fsl-theory-scaling' needs N of each run besides step and schedule",
            made: [.file("fsl.json", #"{"law":"fsl-theory-scaling","parameters":{"capacity":1.5,"source":0.5,"amplitude":1,"noise":0.1,"lrScale":1000,"modeScale":1e-6}}"#)]),
        // Items 5-6: output paths that must not be written.
        Row(name: "output is the input", arguments: ndFit("{out}/in.csv") + ["--output", "{out}/in.csv"], status: 2,
            message: "--output {out}/in.csv is the input file {out}/in.csv; writing there would replace it, so choose another path", made: [.file("in.csv", ndRuns)]),
        Row(name: "output is a link to the input", arguments: ndFit("{out}/in.csv") + ["--output", "{out}/link.csv"], status: 2,
            message: "--output {out}/link.csv is the input file {out}/in.csv; writing there would replace it, so choose another path",
            made: [.file("in.csv", ndRuns), .link("link.csv", to: "in.csv")]),
        Row(name: "output ends with /", arguments: ndFit(nd) + ["--output", "{out}/dir/"], status: 2,
            message: "--output {out}/dir/ ends with '/', so it names a folder; give a file path such as {out}/dir/result"),
        Row(name: "output is a device", arguments: ndFit(nd) + ["--output", "/dev/null"], status: 2,
            message: "cannot write /dev/null: it is a character device, not a regular file; --output never replaces a special file (leave --output out to print to standard output)"),
        Row(name: "output is a FIFO", arguments: ndFit(nd) + ["--output", "{out}/ff"], status: 2,
            message: "cannot write {out}/ff: it is a FIFO (named pipe), not a regular file; --output never replaces a special file", made: [.fifo("ff")]),
        Row(name: "output file name over 255 bytes", arguments: ndFit(nd) + ["--output", "{out}/" + String(repeating: "n", count: 256)], status: 2,
            message: "--output: the file name is 256 bytes, more than the 255 a file name may have"),
        Row(name: "output file name of 255 bytes (accepted)", arguments: ndFit(nd) + ["--starts", "1", "--output", "{out}/" + String(repeating: "n", count: 255)],
            status: 0, message: "[[Fit: chinchilla]]"),
        Row(name: "simulate: output is the input's folder", arguments: ["simulate", "--kernel", "powerlaw()", "--schedule", "constant(peak=0.1, total=10)", "--output", "{out}/taken"],
            status: 2, message: "cannot write {out}/taken: it is a folder", existing: "taken"),
        // Item 8: report folders.
        Row(
            name: "compare: every law fails (no report written)",
            arguments: ["compare", "--law", "kaplan", "--data", bad("tiny_inputs.csv"), "--starts", "2", "--split", "none", "--report", "{out}/report", "--quiet"],
            status: 1,
            message: "no law could be fitted; no report was written:\n  kaplan (failed): every one of 2 starts of law 'kaplan' failed: the law's prediction is not finite at point 1 (Fixtures/bad/tiny_inputs.csv:2)"),
        Row(
            name: "compare: bad file, report in new nested folders (none is left)",
            arguments: ["compare", "--law", "chinchilla", "--data", bad("empty.csv"), "--report", "{out}/a/b/report", "--quiet"],
            status: 2, message: "Fixtures/bad/empty.csv:1: file is empty (no header, no rows)"),
        Row(
            name: "compare: report.html is a folder",
            arguments: ["compare", "--law", "chinchilla", "--data", nd, "--starts", "2", "--report", "{out}/report", "--quiet"],
            status: 2, message: "cannot write {out}/report/report.html: it is a folder; remove it or choose another folder", made: [.folder("report/report.html")]),
        Row(
            name: "compare: report folder is a file",
            arguments: ["compare", "--law", "chinchilla", "--data", nd, "--starts", "2", "--report", "{out}/report", "--quiet"],
            status: 2, message: "cannot write the report into {out}/report: it is a regular file, not a folder; --report takes a folder",
            made: [.file("report", "mine")]),
        // Items 9-11: bounded work and numeric options.
        Row(name: "spec nested 300 deep", arguments: ["schedule", "show", deepSpec], status: 2,
            message: "'warmup(' nests more than 8 calls deep (the most a spec may nest) at character 207 of spec 'warmup(steps=1, schedule="),
        Row(name: "spec longer than 64 KiB", arguments: ["schedule", "show", "constant(peak=1, total=10" + String(repeating: " ", count: 70_000) + ")"], status: 2,
            message: "a spec may have at most 65536 bytes, this one has 70026; put long tables in a file: table(path=lr.csv)"),
        Row(name: "schedule: --steps beyond total", arguments: ["schedule", "show", "constant(peak=1, total=100)", "--steps", "0:200:50"], status: 2,
            message: "--steps 0:200:50 reaches beyond the schedule's last step 100; give TO <= 100"),
        Row(name: "schedule: negative FROM", arguments: ["schedule", "show", "constant(peak=1, total=100)", "--steps=-5:20:5"], status: 2,
            message: "steps must be FROM:TO:BY with whole numbers, 0 <= FROM <= TO and BY > 0 (e.g. 0:24000:1000), got '-5:20:5'"),
        Row(name: "--starts beyond the limit", arguments: ndFit(nd) + ["--starts", "1000000"], status: 2,
            message: "--starts 1000000 is more than the 100000 starts a fit may have"),
        Row(name: "--starts not a whole number", arguments: ndFit(nd) + ["--starts", "1e9"], status: 2,
            message: "The value '1e9' is invalid for '--starts <grid|N>'\nHelp:  --starts <grid|N>  grid (each law's default start grid) or a number N of low-discrepancy (Halton) starts, which the seed picks."),
        Row(name: "demo: --starts 0", arguments: ["demo", "--starts", "0", "--output", "{out}/demo"], status: 2,
            message: "--starts must be grid or a whole number of starts >= 1, got '0'"),
        Row(name: "fit: --workers 0", arguments: ndFit(nd) + ["--workers", "0"], status: 2, message: "--workers must be between 1 and 256, got 0"),
        Row(name: "compare: negative --workers", arguments: ["compare", "--law", "chinchilla", "--data", nd, "--workers=-3", "--report", "{out}/report"],
            status: 2, message: "--workers must be between 1 and 256, got -3"),
        Row(name: "compare: negative --bootstrap", arguments: ["compare", "--law", "chinchilla", "--data", nd, "--bootstrap=-5", "--report", "{out}/report"],
            status: 2, message: "--bootstrap must be between 0 and 100000, got -5"),
        Row(name: "negative --drop-highest-loss", arguments: ndFit(nd) + ["--drop-highest-loss=-1"], status: 2,
            message: "--drop-highest-loss must be at least 0, got -1"),
        Row(
            name: "predict: --grid product beyond the limit",
            arguments: ["predict", "--law", "chinchilla", "--set", "A=1", "--set", "B=1", "--set", "E=1", "--set", "alpha=1", "--set", "beta=1",
                        "--grid", "N=1:10:100000", "--grid", "D=1:10:1000", "--output", "{out}/p.csv"],
            status: 2, message: "--grid: the axes 'N=1:10:100000' x 'D=1:10:1000' make more than the 10000000 points predict may compute"),
        Row(name: "simulate: --batch 0", arguments: ["simulate", "--kernel", "powerlaw()", "--schedule", "constant(peak=0.1, total=10)", "--batch", "0"],
            status: 2, message: "--batch must be at least 1, got 0"),
        Row(name: "simulate: negative --noise", arguments: ["simulate", "--kernel", "powerlaw()", "--schedule", "constant(peak=0.1, total=10)", "--noise=-1"],
            status: 2, message: "--noise must be a finite number >= 0, got -1.0"),
        Row(name: "simulate: modes x steps beyond the limit", arguments: ["simulate", "--kernel", "powerlaw(modes=1e4)", "--schedule", "constant(peak=0.1, total=1e8)"],
            status: 2, message: "simulate: 10000 modes x 100000000 steps is more than the 100000000000 a simulation may take; use fewer modes or steps"),
        // Item 15: quoted input is cut.
        Row(name: "10 MB cell: the message quotes 120 characters", arguments: ndFit("{out}/big.csv"), status: 2,
            message: "{out}/big.csv:2 (column 'loss'): 'x" + String(repeating: "1", count: 119) + "…(10000001 characters)' is not a number",
            made: [.file("big.csv", hugeCell)]),
        // Issue 16 audit: the cases the rows above left out.
        Row(name: "output is a socket", arguments: ndFit(nd) + ["--output", "{out}/sock"], status: 2,
            message: "cannot write {out}/sock: it is a socket, not a regular file; --output never replaces a special file", made: [.socket("sock")]),
        Row(name: "plugin path is a FIFO (refused without opening it: no hang)", arguments: ndFit(nd) + ["--plugin", "{out}/libFifo.so"], status: 2,
            message: "{out}/libFifo.so: the plugin path is a FIFO (named pipe), not a regular file", made: [.fifo("libFifo.so")]),
        Row(name: "schedule beyond 1e8 steps", arguments: ["simulate", "--kernel", "powerlaw(modes=1)", "--schedule", "cosine(peak=0.1, total=1e14)", "--output", "{out}/sim.csv"],
            status: 2, message: "cosine: 100000000000000 steps is more than the 100000000 a schedule may have (spec 'cosine(peak=0.1, total=1e14)')"),
        Row(name: "kernel beyond 1e7 modes", arguments: ["simulate", "--kernel", "powerlaw(modes=1e8)", "--schedule", "constant(peak=0.1, total=10)", "--output", "{out}/sim.csv"],
            status: 2, message: "powerlaw: 100000000 modes is more than the 10000000 a kernel may have"),
        Row(name: "simulate: --every 0", arguments: ["simulate", "--kernel", "powerlaw()", "--schedule", "constant(peak=0.1, total=10)", "--every", "0", "--output", "{out}/sim.csv"],
            status: 2, message: "--every must be at least 1, got 0"),
        // The curve is streamed: about 3 MB of rows (two full blocks) were in the temporary when the loss overflowed
        // (steps from the closed form: SimulateCommandTests.divergesAfterBlocks).
        Row(name: "simulate: SGD diverges after blocks were written (no file, no temporary)",
            arguments: SimulateCommandTests.divergesAfterBlocks + ["--output", "{out}/sim.csv"], status: 1,
            message: "simulate: SGD diverges: the expected loss exceeds 10^6 times its initial 2.0 at step 100020 (lr 1.0, lr x largest eigenvalue = 1.0) and is inf from step 101023; lower the learning rate"),
    ]

    @Test("bad input exits with its code, names where, and leaves no output", arguments: rows)
    func row(_ row: Row) throws {
        let folder = try LawfitProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        if let existing = row.existing {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(existing), withIntermediateDirectories: false)
        }
        for made in row.made { try made.make(in: folder) }
        let before = Self.listing(folder)
        let arguments = row.arguments.map { $0.replacingOccurrences(of: "{out}", with: folder.path) }
        let message = row.message.replacingOccurrences(of: "{out}", with: folder.path)
        let outcome = try LawfitProcess.run(arguments, input: row.input.map { Data($0.utf8) })
        #expect(outcome.status == row.status, "\(outcome.standardError.prefix(2000))")
        // Messages quote input in excerpts: never a huge message.
        #expect(outcome.standardError.utf8.count <= 5_000)
        let left = Self.listing(folder)
        #expect(row.made.allSatisfy { $0.isIntact(in: folder) }, "an input or special file was changed")
        if row.status == 0 {
            let new = left.filter { !before.contains($0) }
            let written = try #require(new.first.map { folder.appendingPathComponent($0) })
            #expect(new.count == 1, "\(new)")
            #expect(try String(contentsOf: written, encoding: .utf8).contains(message))
        } else {
            #expect(outcome.standardError.contains("lawfit: error: \(message)"), "\(outcome.standardError.prefix(2000))")
            #expect(left == before, "left behind: \(left.filter { !before.contains($0) })")
            #expect(!FileManager.default.fileExists(atPath: "/proc/lawfit-cannot-write"))
        }
    }
}
