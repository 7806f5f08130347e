import Foundation
@testable import LawfitCore
import Testing
@testable import FunctionalScalingLaw

/// Which fsl parameters a Levenberg-Marquardt bootstrap refit searches in log coordinates
/// (``ResampleData``): the exponents s and gamma (positive lower bounds) and the amplitude c2 (lower
/// bound 0, scaling the loss-drop sum), not the offset L0; c1, c2 c3 and c4 are the law's own
/// logarithms already. On the nine multipower-400m curves, c2 in log coordinates is what lets the
/// resamples whose L0 falls to 0 converge (Docs/Fitting.md).
@Suite("fsl bootstrap refit coordinates")
struct FSLBootstrapCoordinatesTests {
    @Test("fsl's refits search s, c2 and gamma as logarithms; L0 and a c2 of 0 stay as they are")
    func amplitudeAndExponentsInLogCoordinates() throws {
        let law = FSLSurrogateLaw()
        let full = [1.8, 0.6, 0.45, 5, 2.5, 15, 0.4]
        let runs = try [shortRun(), shortRun(steps: [30, 90, 150, 210, 270])].map { run in
            var run = run
            let losses = try law.makeEvaluator(for: [run]).predict(full)
            for i in run.observations.indices { run.observations[i].loss = losses[i] }
            return run
        }
        let data = try ResampleData(law: law, runs: runs, unit: .runs, fitOptions: FitOptions(workers: 1), full: full)
        #expect(data.space.names == ["L0", "c1", "s", "c23", "c2", "c4", "gamma"])
        #expect(data.logCoordinates == ["s", "c2", "gamma"])
        var noDrop = full
        noDrop[4] = 0
        let withoutDrop = try ResampleData(law: law, runs: runs, unit: .runs, fitOptions: FitOptions(workers: 1), full: noDrop)
        #expect(withoutDrop.logCoordinates == ["s", "gamma"])
    }
}
