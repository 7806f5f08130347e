import Foundation
import LawfitCore
import Testing
import TestSupport

/// Replays the committed libFuzzer corpus (Fuzz/corpus/<target>/, see scripts/fuzz.sh) in the
/// ordinary test suite with the fuzz targets' contract: every input either parses or throws a
/// LawfitError, and what is accepted is sound. A crash the fuzzer finds is added to the corpus, so it
/// becomes a regression case here too.
@Suite("Fuzz corpus replay")
struct GuardFuzzCorpusTests {
    static let corpus = SharedData.repositoryRoot.appendingPathComponent("Fuzz/corpus")

    static func inputs(_ target: String) throws -> [(name: String, data: Data)] {
        let folder = corpus.appendingPathComponent(target)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        return try names.map { ($0, try Data(contentsOf: folder.appendingPathComponent($0))) }
    }

    /// Runs `body`; any error other than a LawfitError is recorded. Returns whether it succeeded.
    static func parses(_ name: String, _ body: () throws -> Void) -> Bool {
        do {
            try body()
            return true
        } catch is LawfitError {
            return false
        } catch {
            Issue.record("\(name): a non-LawfitError escaped: \(error)")
            return false
        }
    }

    static func builtinRegistry() throws -> PluginRegistry {
        let registry = PluginRegistry()
        try BuiltinSchedules.register(into: registry)
        return registry
    }

    @Test("CSV and JSON Lines corpora: a table or a LawfitError, and both outcomes occur")
    func tableReaders() throws {
        for (target, read) in [("FuzzCSV", CSVReader.read), ("FuzzJSONL", JSONLinesReader.read)] as [(String, (Data, String) throws -> DataTable)] {
            let inputs = try Self.inputs(target)
            try #require(inputs.count >= 5, "\(target) corpus is missing")
            let accepted = inputs.filter { input in Self.parses(input.name) { _ = try read(input.data, input.name) } }
            #expect(!accepted.isEmpty && accepted.count < inputs.count, "\(target): \(accepted.count) of \(inputs.count) accepted")
        }
    }

    @Test("Training-log corpus: accepted logs hold only positive, finite losses and increasing steps")
    func trainingLogs() throws {
        let inputs = try Self.inputs("FuzzTrainingLog")
        try #require(inputs.count >= 5)
        var accepted = 0
        for (name, bytes) in inputs where !bytes.isEmpty {
            // The first byte picks the format (bit 0) and extra required fields (bit 1: D, bit 2: C).
            let selector = bytes[bytes.startIndex]
            var required: Set<LogField> = [.loss]
            if selector & 2 != 0 { required.insert(.tokens) }
            if selector & 4 != 0 { required.insert(.compute) }
            let format: LogFormat = selector & 1 == 0 ? .csv : .jsonLines
            var log: TrainingLog?
            if Self.parses(name, { log = try TrainingLogReader(required: required).read(data: bytes.dropFirst(), file: name, format: format) }), let log {
                accepted += 1
                for run in log.runs {
                    #expect(run.observations.allSatisfy { ($0.loss ?? 1).isFinite && ($0.loss ?? 1) > 0 }, "\(name)")
                    let steps = run.observations.compactMap(\.step)
                    #expect(zip(steps, steps.dropFirst()).allSatisfy { $0 < $1 }, "\(name): steps \(steps)")
                }
            }
        }
        #expect(accepted >= 3 && accepted < inputs.count, "\(accepted) of \(inputs.count) accepted")
    }

    @Test("Schedule-spec corpus: accepted schedules have finite rates and a spec that parses back to the same rates")
    func scheduleSpecs() throws {
        let registry = try Self.builtinRegistry()
        let inputs = try Self.inputs("FuzzScheduleSpec")
        try #require(inputs.count >= 10)
        var accepted = 0
        for (name, bytes) in inputs {
            let text = String(decoding: bytes, as: UTF8.self)
            var parsed: (any LearningRateSchedule)?
            let clock = ContinuousClock.now
            let parses = Self.parses(name, { parsed = try ScheduleSpec.parse(text, registry: registry) })
            // Parsing is linear in the text (the 300-level nested spec took 10 s before nesting was capped).
            #expect(ContinuousClock.now - clock < .seconds(1), "\(name) took \(ContinuousClock.now - clock) to parse")
            guard parses, let schedule = parsed else { continue }
            accepted += 1
            let again = try ScheduleSpec.parse(schedule.spec, registry: registry)
            #expect(again.totalSteps == schedule.totalSteps, "\(name)")
            for step in [0, schedule.totalSteps / 3, schedule.totalSteps / 2, schedule.totalSteps] {
                let rate = schedule.rate(at: step)
                if !(rate.isFinite && rate >= 0) {
                    // Rates are checked where they are evaluated: the check refuses this schedule by that step.
                    #expect(throws: LawfitError.self, "\(name): rate \(rate) at step \(step) passes the rate check") {
                        try ScheduleTable.write(schedule: schedule, steps: ScheduleTable.StepRange(from: step, to: step, by: 1)) { _ in }
                    }
                    break
                }
                #expect(again.rate(at: step) == rate, "\(name): '\(schedule.spec)' differs at step \(step)")
            }
        }
        #expect(accepted >= 10 && accepted < inputs.count, "\(accepted) of \(inputs.count) accepted")
    }

    @Test("Kernel-spec corpus: accepted kernels have modes and finite spectra")
    func kernelSpecs() throws {
        let registry = try Self.builtinRegistry()
        let inputs = try Self.inputs("FuzzKernelSpec")
        var accepted = 0
        for (name, bytes) in inputs {
            var parsed: (any SpectralKernel)?
            guard Self.parses(name, { parsed = try KernelSpec.parse(String(decoding: bytes, as: UTF8.self), registry: registry) }),
                let kernel = parsed
            else { continue }
            accepted += 1
            try #require(kernel.modes >= 1, "\(name)")
            #expect(kernel.eigenvalues.allSatisfy(\.isFinite) && kernel.targetPowers.allSatisfy(\.isFinite), "\(name)")
        }
        #expect(accepted >= 2 && accepted < inputs.count, "\(accepted) of \(inputs.count) accepted")
    }
}
