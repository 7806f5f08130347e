import ArgumentParser
import Foundation
import LawfitCore

/// `lawfit demo`: the README's main job. Fits competing laws to data made by the project's own
/// simulators (truth known) and writes two model-selection reports.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the README's main job on bundled data: two model-selection reports with known truth.",
        discussion: """
            1. Scaling in N and D (Fixtures/demo/nd_runs.csv: the random-feature DMFT law's exact loss with
               0.5 % noise): chinchilla, kaplan, dmft-surrogate, sparse-feature and bnsl-1, holding out
               the largest 20 % of compute.
            2. Loss curves under four schedules (Fixtures/demo/curves: exact expected loss of SGD on
               power-law kernel regression): fsl, multi-power and lr-annealing fitted on constant,
               cosine and two-stage runs, predicting the WSD run. (fsl-theory fits these curves too,
               but its bootstrap takes minutes: run it with `lawfit compare`.)
            --starts N fits from N Halton starts instead of each law's grid (quicker, and the seed then
            picks the starts too). scripts/make-demo-fixtures.sh regenerates the data. Reports go to OUTPUT/scaling and
            OUTPUT/curves (JSON, Markdown, HTML), with OUTPUT/index.html linking both.

            Example:
              lawfit demo --output out/demo --bootstrap 200
            """)

    @Option(help: "The folder holding nd_runs.csv and curves/.") var fixtures = "Fixtures/demo"
    @Option(help: "Where to write the reports.") var output = "out/demo"
    @Option(help: "Bootstrap resamples per law (0: none); the default keeps the demo near a minute, use 1000 for real intervals.")
    var bootstrap = 40
    @OptionGroup(title: "Starts") var start: StartOptions
    @Flag(help: "No progress display on stderr.") var quiet = false
    @OptionGroup var plugins: PluginOptions

    func validate() throws {
        try OptionChecks.resamples(bootstrap)
    }

    func run() async throws {
        let plan = start.starts
        let kind = FileKind(path: output)
        guard kind == .missing || kind == .folder else {
            throw LawfitError.input("cannot write the demo into \(output): it is \(kind), not a folder; --output takes a folder")
        }
        let registry = try plugins.makeRegistry()
        let folder = URL(fileURLWithPath: fixtures)
        let display = quiet ? nil : ProgressDisplay()

        let scalingRuns = try TrainingLogReader(required: [.loss, .parameters, .tokens])
            .read(folder.appendingPathComponent("nd_runs.csv")).runs
        let scaling = try await select(
            ["chinchilla", "kaplan", "dmft-surrogate", "sparse-feature", "bnsl-1"], on: scalingRuns,
            split: "largest-compute:0.2", starts: plan, registry: registry, display: display)

        let curveRuns = try readCurves(folder.appendingPathComponent("curves"), registry: registry)
        let curves = try await select(
            ["fsl", "multi-power", "lr-annealing"], on: curveRuns,
            split: "runs:wsd", starts: plan, registry: registry, display: display)
        display?.finish()

        var lines: [String] = []
        for (name, report, title) in [("scaling", scaling, "Scaling in N and D"), ("curves", curves, "Loss curves under schedules")] {
            let paths = try ReportWriter.write(report, to: output + "/" + name)
            for path in paths { FileHandle.standardError.write(Data("wrote \(path)\n".utf8)) }
            print("\(title): \(report.verdict)")
            lines.append("<li><a href=\"\(name)/report.html\">\(title)</a>: \(Self.escape(report.verdict))</li>")
        }
        try AtomicFile.write(Self.index(lines), to: output + "/index.html")
        FileHandle.standardError.write(Data("wrote \(output)/index.html\n".utf8))
    }

    private func select(
        _ names: [String], on runs: [Run], split: String, starts: StartPlan, registry: PluginRegistry, display: ProgressDisplay?
    ) async throws -> SelectionReport {
        try await ModelSelection(
            laws: try names.map(registry.law(named:)),
            split: try SplitStrategy(parsing: split),
            fitOptions: FitOptions(starts: starts, seed: start.seed, workers: start.workers),
            bootstrap: bootstrap > 0 ? BootstrapOptions(resamples: bootstrap, seed: start.seed, workers: start.workers) : nil,
            progress: display?.report
        ).run(runs)
    }

    /// The curves listed in `schedules.csv` (name,schedule), each with its schedule attached.
    private func readCurves(_ folder: URL, registry: PluginRegistry) throws -> [Run] {
        let manifest = try CSVReader.read(contentsOf: folder.appendingPathComponent("schedules.csv"))
        guard let nameColumn = manifest.columnIndex("name"), let specColumn = manifest.columnIndex("schedule") else {
            throw LawfitError.input("needs the columns name and schedule", at: SourceLocation(file: manifest.file))
        }
        let reader = TrainingLogReader(required: [.loss, .step])
        return try manifest.records.flatMap { record -> [Run] in
            let name = record.cells[nameColumn].displayText
            let schedule = DenseSchedule(try ScheduleSpec.parse(record.cells[specColumn].displayText, registry: registry))
            return try reader.read(folder.appendingPathComponent(name + ".csv")).runs.map { run in
                var run = run
                run.schedule = schedule
                return run
            }
        }
    }

    private static func index(_ items: [String]) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Lawfit demo</title>
        <style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}</style></head>
        <body><h1>Lawfit demo</h1>
        <p>Data made by Lawfit's own simulators, so the true law is known (see Fixtures/demo and
        scripts/make-demo-fixtures.sh).</p>
        <ul>
        \(items.joined(separator: "\n"))
        </ul></body></html>

        """
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
