import LawfitCore
import Testing

/// The progress text of `lawfit fit`, `compare`, `optimal` (issue 14, item 5).
@Suite struct ProgressLineTests {
    @Test("one summary line per finished stage, without timings")
    func summaries() {
        #expect(ProgressLine.summary(SelectionProgress(law: "chinchilla", stage: .fit, detail: "fold 1/1", done: 8, total: 8, best: 6.6666e-4))
            == "chinchilla: fitting (fold 1/1): 8/8 starts, best objective 6.6666e-04")
        #expect(ProgressLine.summary(SelectionProgress(law: "kaplan", stage: .bootstrap, detail: "resamples", done: 5, total: 5)) == "kaplan: bootstrap: 5/5 resamples")
        #expect(ProgressLine.summary(SelectionProgress(law: "multi-power", stage: .search, detail: "wsd schedules", done: 160, total: 160, best: 2.9237))
            == "multi-power: searching (wsd schedules): 160/160 evaluations, best predicted loss 2.9237e+00")
        #expect(ProgressLine.summary(SelectionProgress(law: "dmft", stage: .skipped, detail: "the data lack U", done: 0, total: 0)) == "dmft: skipped: the data lack U")
    }

    @Test("the terminal status line: count, best, elapsed and the remaining time at the same pace")
    func status() {
        let event = SelectionProgress(law: "fsl", stage: .fit, detail: "", done: 3, total: 12, best: 0.0125)
        #expect(ProgressLine.status(event, elapsed: 30) == "fsl: fitting, start 3/12, best 1.2500e-02, 0:30 elapsed, ~1:30 left")
        #expect(ProgressLine.duration(3725) == "1:02:05")
        #expect(ProgressLine.duration(.nan) == "0:00")
    }
}
