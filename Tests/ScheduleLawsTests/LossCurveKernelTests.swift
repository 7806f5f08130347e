import Foundation
import LawfitCore
import LossCurveSupport
import LossCurveKernel
import ScheduleLaws
import Testing

/// The C kernel of the loss-curve laws (Plugins/LossCurveKernel): the build chosen at run time (AVX2
/// where the processor has it) gives the portable build's results to the bit, on the change points of
/// the multipower-400m cosine_24000 schedule (Luo et al. 2025) with compressed (listed) and exact (prefix) term lists.
@Suite("Loss-curve C kernel")
struct LossCurveKernelTests {
    /// cosine(peak=3e-4, floor=3e-5, warmup=2160, total=24000) observed at 97 steps (an odd count of
    /// terms per point in most places, so the four-way sums' remainders run too).
    static func data(compression: TermCompression?) throws -> ScheduledPoints {
        let schedule = try CosineSchedule(peak: 3e-4, floor: 3e-5, warmup: 2160, total: 24_000)
        let steps = (0..<97).map { 1 + $0 * 249 }
        let run = Run(name: "cosine_24000", observations: steps.map { Observation(step: $0) }, schedule: DenseSchedule(schedule))
        return try ScheduledPoints(law: MultiPowerLaw(), runs: [run], compression: compression)
    }

        typealias DropKernel = (ScheduledPoints.ChangePoints, [Double], UnsafePointer<Int32>?, Int, Double, [Double], Int32, UnsafeMutablePointer<Double>) -> Void

    /// Each kernel's outputs (eta^-gamma or tau^-s per change point, then each point's sums) for
    /// every point of `data` and two parameter sets, as bit patterns.
    static func bits(_ data: ScheduledPoints, powersOf logValues: KeyPath<ScheduledPoints.ChangePoints, [Double]>, scaledExp: (Int, UnsafePointer<Double>?, Double, UnsafeMutablePointer<Double>?) -> Void, drop: DropKernel) -> [UInt64] {
        var result: [UInt64] = []
        let run = data.runs[0]
        // (C or c4, beta or gamma, gamma or s, c23, c2): the published 400M Multi-Power fit and a steep case.
        for parameters in [[0.67, 0.57, 0.61, 0.3, 0.2], [20.0, 3.0, 1.5, 2.0, 5.0]] {
            var factor = [Double](repeating: 0, count: run.count)
            scaledExp(run.count, run[keyPath: logValues], parameters[2], &factor)
            result += factor.map(\.bitPattern)
            for jacobian: Int32 in [0, 1] {
                var cursor = ScheduledPoints.TermCursor(data)
                for (n, point) in data.points.enumerated() {
                    var out = [Double](repeating: 0, count: 5)
                    cursor.withTerms(of: n) { indices, count in
                        drop(run, factor, indices, count, point.tau, parameters, jacobian, &out)
                    }
                    result += out.map(\.bitPattern)
                }
            }
        }
        return result
    }

    static func multiPower(
        _ kernel: @escaping (Int, UnsafePointer<Int32>?, UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafePointer<Double>?, Double, Double, Double, Int32, UnsafeMutablePointer<Double>?) -> Void
    ) -> DropKernel {
        { run, factor, index, count, tau, p, jacobian, out in
            kernel(count, index, run.drop, run.tauBefore, factor, run.logRate, tau, p[0], p[1], jacobian, out)
        }
    }

    static func fsl(
        _ kernel: @escaping (Int, UnsafePointer<Int32>?, UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafePointer<Double>?, Double, Double, Double, Double, Double, Int32, UnsafeMutablePointer<Double>?) -> Void
    ) -> DropKernel {
        { run, decay, index, count, tau, p, jacobian, out in
            kernel(count, index, run.drop, run.tau, decay, run.logTau, tau, p[0] * 1e-3, p[1], p[3], p[4], jacobian, out)
        }
    }

    @Test("Multi-Power and FSL drops: the run-time build equals the portable build to the bit")
    func buildsAgree() throws {
        print("loss-curve kernel build on this machine: \(String(cString: lawfit_loss_curve_kernel_build()))")
        for compression in [MultiPowerLaw.defaultCompression as TermCompression?, nil] {
            let data = try Self.data(compression: compression)
            let chosen = Self.bits(data, powersOf: \.logRate, scaledExp: lawfit_scaled_exp, drop: Self.multiPower(lawfit_multipower_drop))
            let portable = Self.bits(data, powersOf: \.logRate, scaledExp: lawfit_scaled_exp_portable, drop: Self.multiPower(lawfit_multipower_drop_portable))
            #expect(chosen.count > 1000 && chosen == portable, "multi-power, compression \(String(describing: compression))")
            let chosenFSL = Self.bits(data, powersOf: \.logTau, scaledExp: lawfit_scaled_exp, drop: Self.fsl(lawfit_fsl_drop))
            let portableFSL = Self.bits(data, powersOf: \.logTau, scaledExp: lawfit_scaled_exp_portable, drop: Self.fsl(lawfit_fsl_drop_portable))
            #expect(chosenFSL.count > 1000 && chosenFSL == portableFSL, "fsl, compression \(String(describing: compression))")
            // Not vacuous: the sums are finite and not all zero.
            let sums = chosen.map { Double(bitPattern: $0) }
            #expect(sums.allSatisfy(\.isFinite) && sums.contains { $0 > 0 })
        }
    }
}
