import Foundation
import Testing
@testable import LawfitCore

private func computeRuns(_ values: [Double]) -> [Run] {
    [Run(name: "r", observations: values.map { Observation(loss: 2, compute: $0) })]
}

private func stepRun(_ name: String, _ steps: [Int]) -> Run {
    Run(name: name, observations: steps.map { Observation(loss: 2, step: $0) })
}

@Suite("Evaluation: splits")
struct EvaluationSplitTests {
    @Test("largest-compute:0.2 holds out the two largest of ten points")
    func largestCompute() throws {
        let split = try SplitStrategy(parsing: "largest-compute:0.2").split(computeRuns([5, 1, 9, 3, 10, 2, 4, 8, 6, 7]))
        #expect(split.folds.count == 1)
        #expect(split.folds[0].test == [PointID(run: 0, index: 2), PointID(run: 0, index: 4)])
        #expect(split.folds[0].train.count == 8)
        #expect(split.description.contains("C >= 9"))
        #expect(split.strategy == "largest-compute:0.2")
    }

    @Test("Ties with the smallest held-out value are held out too")
    func largestTies() throws {
        let split = try SplitStrategy.largest(.compute, fraction: 0.2).split(computeRuns([1, 2, 3, 3, 3]))
        #expect(split.folds[0].test.map(\.index) == [2, 3, 4])
        #expect(split.folds[0].train.map(\.index) == [0, 1])
    }

    @Test("largest-N needs N at every point")
    func largestNeedsInput() {
        #expect(throws: LawfitError.self) { try SplitStrategy.largest(.parameters, fraction: 0.2).split(computeRuns([1, 2])) }
    }

    @Test("last-steps holds out the last fraction of each run's step range")
    func lastSteps() throws {
        let runs = [stepRun("a", Array(1...10)), stepRun("b", Array(stride(from: 0, through: 100, by: 10)))]
        let fold = try SplitStrategy.lastSteps(fraction: 0.2).split(runs).folds[0]
        // a: cut = 1 + 0.8 * 9 = 8.2 -> steps 9, 10; b: cut = 80 -> steps 90, 100.
        #expect(fold.test == [PointID(run: 0, index: 8), PointID(run: 0, index: 9), PointID(run: 1, index: 9), PointID(run: 1, index: 10)])
        #expect(fold.train.count == 8 + 9)
    }

    @Test("runs: holds out named runs; an unknown name is an input error listing the runs")
    func namedRuns() throws {
        let runs = [stepRun("cosine", [1, 2]), stepRun("wsd", [1, 2, 3]), stepRun("constant", [1])]
        let fold = try SplitStrategy(parsing: "runs:wsd").split(runs).folds[0]
        #expect(fold.test == [PointID(run: 1, index: 0), PointID(run: 1, index: 1), PointID(run: 1, index: 2)])
        #expect(fold.train.count == 3)
        #expect(throws: LawfitError.self) { try SplitStrategy.runs(["nope"]).split(runs) }
        #expect(throws: LawfitError.self) { try SplitStrategy.runs(["cosine", "wsd", "constant"]).split(runs) }
    }

    @Test("k-fold: each point tested exactly once, folds of equal size, seeded")
    func kFold() throws {
        let runs = computeRuns((1...23).map(Double.init))
        let split = try SplitStrategy(parsing: "kfold:5:seed=3").split(runs)
        #expect(split.folds.count == 5)
        let tested = split.folds.flatMap(\.test)
        #expect(tested.count == 23 && Set(tested).count == 23)
        #expect(split.folds.map(\.test.count).sorted() == [4, 4, 5, 5, 5])
        for fold in split.folds { #expect(Set(fold.train).isDisjoint(with: fold.test) && fold.train.count + fold.test.count == 23) }
        #expect(try SplitStrategy.kFold(k: 5, seed: 3).split(runs) == split)
        #expect(try SplitStrategy.kFold(k: 5, seed: 4).split(runs) != split)
    }

    @Test("leave-one-run-out: one fold per run")
    func leaveOneRunOut() throws {
        let runs = [stepRun("a", [1, 2]), stepRun("b", [1, 2, 3])]
        let split = try SplitStrategy(parsing: "leave-one-run-out").split(runs)
        #expect(split.folds.map(\.test.count) == [2, 3])
        #expect(split.folds[1].train == [PointID(run: 0, index: 0), PointID(run: 0, index: 1)])
        #expect(throws: LawfitError.self) { try SplitStrategy.leaveOneRunOut.split([runs[0]]) }
    }

    @Test("Defaults: largest compute for (N, D) data, last steps for loss curves")
    func defaults() {
        #expect(SplitStrategy.defaultStrategy(for: syntheticNDRuns()) == .largest(.compute, fraction: 0.2))
        #expect(SplitStrategy.defaultStrategy(for: [stepRun("a", [1, 2])]) == .lastSteps(fraction: 0.2))
    }

    @Test("Parsing rejects bad fractions and unknown strategies", arguments: ["largest-compute:1.5", "largest-N", "kfold:1", "random:0.2", "runs:"])
    func badSpecs(text: String) {
        #expect(throws: LawfitError.self) { try SplitStrategy(parsing: text) }
    }

    @Test("A split round-trips through JSON and subsets keep order")
    func codableAndSubset() throws {
        let runs = [stepRun("a", [1, 2, 3]), stepRun("b", [5, 6])]
        let split = try SplitStrategy.lastSteps(fraction: 0.5).split(runs)
        let decoded = try JSONDecoder().decode(DataSplit.self, from: JSONEncoder().encode(split))
        #expect(decoded == split)
        let subset = runs.subset([PointID(run: 1, index: 1), PointID(run: 0, index: 2), PointID(run: 0, index: 0)])
        #expect(subset.map(\.name) == ["a", "b"])
        #expect(subset[0].observations.map(\.step) == [1, 3])
        #expect(subset[1].observations.map(\.step) == [6])
    }
}
