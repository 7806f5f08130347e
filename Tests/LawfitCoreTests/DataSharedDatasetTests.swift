import Foundation
import LawfitCore
import Testing
import TestSupport

/// Every public log in ../shared/datasets reads with the documented column mapping; counts, first
/// and last values are checked against the files (see datasets/README.md).
@Suite struct DataSharedDatasetTests {
    static let epochMapping = ColumnMapping(parameters: "Model Size", compute: "Training FLOP")
    static let gemstonesMapping = ColumnMapping(
        loss: "final_loss", parameters: "params_active_precise", tokens: "tokens", run: "run_name")

    @Test func epochChinchillaDerivesTokensFromCompute() throws {
        guard let url = try SharedData.dataset("chinchilla-epoch/svg_extracted_data.csv") else { return }
        let log = try TrainingLogReader(mapping: Self.epochMapping, required: [.loss, .parameters, .tokens]).read(url)
        #expect(log.runs.count == 1)
        #expect(log.runs[0].name == "svg_extracted_data")
        #expect(log.count == 245)
        let first = log.observations[0]
        #expect(first.line == 2)
        #expect(first.parameters == 6795600349.289497)
        #expect(first.compute == 9.993852799709755e+18)
        // D = C / (6 N), computed independently in Python: 9.993852799709755e18 / (6 * 6795600349.289497).
        #expect(first.tokens == 245105957.9245427)
        #expect(first.effectiveCompute == 9.993852799709755e+18)
        #expect(first.loss == 5.005581996196243)
        // x and y are numeric extras; the colour columns are text and are not.
        #expect(first.extra == ["x": 154.03592, "y": 140.63364])
        #expect(log.observations.last?.loss == 2.0773942450664395)
    }

    @Test func epochOutlierRuleKeeps240Rows() throws {
        guard let url = try SharedData.dataset("chinchilla-epoch/svg_extracted_data.csv") else { return }
        let all = try TrainingLogReader(mapping: Self.epochMapping).read(url).observations
        let kept = try TrainingLogReader(mapping: Self.epochMapping, filters: [.dropHighestLoss(5)]).read(url).observations
        #expect(kept.count == 240)
        let fifthLargest = all.compactMap(\.loss).sorted(by: >)[4]
        #expect(fifthLargest == 3.446995430227908)
        #expect(kept.allSatisfy { $0.loss! < fifthLargest })
        // The kept rows are the others, in file order.
        let keptLines = kept.compactMap(\.line)
        #expect(keptLines == all.filter { $0.loss! < fifthLargest }.compactMap(\.line))
        #expect(keptLines == keptLines.sorted())
    }

    @Test func gemstonesHotGroupsRunsWithIncreasingSteps() throws {
        guard let url = try SharedData.dataset("gemstones/hot.jsonl") else { return }
        let log = try TrainingLogReader(mapping: Self.gemstonesMapping, required: [.loss, .parameters, .tokens, .step]).read(url)
        #expect(log.count == 220)
        #expect(log.runs.count == 22)
        #expect(log.runs.allSatisfy { $0.observations.count == 10 })
        #expect(log.runs[0].name == "PyGemma-1024x28_pretrain")
        #expect(log.runs[1].name == "PyGemma-1280x15_pretrain")
        for run in log.runs {
            let steps = run.observations.compactMap(\.step)
            #expect(steps.count == 10)
            #expect(zip(steps, steps.dropFirst()).allSatisfy { $0 < $1 }, "run \(run.name)")
            #expect(run.source == url.relativePath)
        }
        let first = log.runs[0].observations[0]
        #expect(first.parameters == 543482880)
        #expect(first.tokens == 10003415040)
        #expect(first.step == 2385)
        #expect(first.loss == 3.1010556221)
        #expect(first.extra == ["width": 1024, "depth": 28, "num_nodes": 32, "seconds_per_step": 1.3941352542])
        let last = try #require(log.runs.last?.observations.last)
        #expect(last.line == 220)
        #expect(last.loss == 2.7903022766)
    }

    @Test func gemstonesSlimChinchillaIsOneRun() throws {
        guard let url = try SharedData.dataset("gemstones/slim_chinchilla.jsonl") else { return }
        let mapping = ColumnMapping(loss: "final_loss", parameters: "params_active_precise", tokens: "tokens", compute: "FLOPs")
        let log = try TrainingLogReader(mapping: mapping, required: [.loss, .parameters, .tokens]).read(url)
        #expect(log.count == 28)
        #expect(log.runs.map(\.name) == ["slim_chinchilla"])
        let first = log.observations[0]
        #expect(first.parameters == 2006673381.1230530739)
        #expect(first.tokens == 811602861.0443719625)
        #expect(first.compute == 9.771731144e+18)
        #expect(log.observations.last?.loss == 2.2659847445)
    }

    @Test func datablationsReadsUniqueTokens() throws {
        guard let url = try SharedData.dataset("datablations/runs.csv") else { return }
        let mapping = ColumnMapping(loss: "val_loss", parameters: "N_params", tokens: "D_tokens", uniqueTokens: "U_unique_tokens")
        let log = try TrainingLogReader(mapping: mapping, required: [.loss, .parameters, .tokens, .uniqueTokens]).read(url)
        #expect(log.count == 182)
        let first = log.observations[0]
        #expect(first.parameters == 2.81e9)
        #expect(first.tokens == 3.2e10)
        #expect(first.uniqueTokens == 4e9)
        #expect(first.loss == 2.722962)
        #expect(first.effectiveCompute == 6 * 2.81e9 * 3.2e10)
        #expect(first.extra.isEmpty)
        let last = try #require(log.observations.last)
        #expect(last.parameters == 1.5173e9)
        #expect(last.uniqueTokens == 1.5e9)
        #expect(last.loss == 3.034805)
    }

    @Test func kyoChinchillaUsesDefaultColumns() throws {
        guard let url = try SharedData.dataset("chinchilla-kyo/runs.csv") else { return }
        let log = try TrainingLogReader(required: [.loss, .parameters, .tokens, .compute]).read(url)
        #expect(log.count == 234)
        let first = log.observations[0]
        #expect(first.compute == 1.3972367362937152e+18)
        #expect(first.parameters == 73824672)
        #expect(first.tokens == 3154403320)
        #expect(first.loss == 3.405928)
        let last = try #require(log.observations.last)
        #expect(last.compute == 1.2956022673438285e+22)
        #expect(last.tokens == 317754489344)
        #expect(last.loss == 2.077394)
    }

    /// (file, rows, first step, first lr, first loss, last step, last lr, last loss), from the CSVs.
    static let multipower: [(String, Int, Int, Double, Double, Int, Double, Double)] = [
        ("constant_24000", 171, 2176, 0.0003, 3.5581, 23936, 0.0003, 2.8167),
        ("constant_72000", 546, 2176, 0.0003, 3.5355, 71936, 0.0003, 2.7157),
        ("cosine_24000", 171, 2160, 0.0003, 3.5563, 23920, 3.000893868085248e-05, 2.7396),
        ("cosine_72000", 546, 2176, 0.00029999996503488155, 3.5414, 71936, 3.000055944153241e-05, 2.6154),
        ("wsd_20000_24000", 171, 2176, 0.0003, 3.5581, 23936, 3.112585247454037e-05, 2.7222),
        ("wsdcon_18", 109, 2176, 0.0003, 3.5581, 15936, 0.00018, 2.8506),
        ("wsdcon_3", 109, 2176, 0.0003, 3.5581, 15936, 3.0000000000000004e-05, 2.8402),
        ("wsdcon_9", 109, 2176, 0.0003, 3.5581, 15936, 9e-05, 2.83),
        ("wsdld_20000_24000", 171, 2176, 0.0003, 3.5581, 23936, 3.4320000000000003e-05, 2.7251),
    ]

    @Test(arguments: multipower)
    func multipowerCurve(_ expected: (String, Int, Int, Double, Double, Int, Double, Double)) throws {
        let (name, rows, firstStep, firstRate, firstLoss, lastStep, lastRate, lastLoss) = expected
        guard let url = try SharedData.dataset("multipower-400m/\(name).csv") else { return }
        let log = try TrainingLogReader(required: [.loss, .step, .learningRate]).read(url)
        #expect(log.runs.map(\.name) == [name])
        let curve = log.runs[0].observations
        #expect(curve.count == rows)
        #expect(curve.first?.step == firstStep)
        #expect(curve.first?.learningRate == firstRate)
        #expect(curve.first?.loss == firstLoss)
        #expect(curve.last?.step == lastStep)
        #expect(curve.last?.learningRate == lastRate)
        #expect(curve.last?.loss == lastLoss)
        #expect(curve.last?.line == rows + 1)
    }

    @Test func multipowerFilesMergeKeepingSources() throws {
        let names = ["cosine_24000", "constant_24000", "wsdcon_9"]
        guard let urls = try SharedData.urls(names.map { "datasets/multipower-400m/\($0).csv" }) else { return }
        let log = try TrainingLogReader(required: [.loss, .step]).read(urls)
        #expect(log.runs.map(\.name) == names)
        #expect(log.runs.map(\.source) == urls.map(\.relativePath))
        #expect(log.count == 171 + 171 + 109)
        // The same file twice gives two runs of one name: refused, naming the run.
        let error = try #require(throws: LawfitError.self) { try TrainingLogReader().read([urls[0], urls[0]]) }
        #expect(error.message.contains("run 'cosine_24000' appears in both"))
    }
}
