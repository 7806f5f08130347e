import LawfitCore

/// Exact expected loss of one-pass minibatch SGD on linear regression with Gaussian features
/// x ~ N(0, diag(lambda)), under any learning-rate schedule and batch size.
///
/// The model theta starts at 0; update k (k >= 1) uses eta_k = `rates[k]` and a fresh batch of B samples
/// y = x . theta* + sigma eps. With rho_j = E[(theta_j - theta*_j)^2] the second moments close exactly
/// per mode (Gaussian fourth moments, the setting of the Functional Scaling Law, Li et al. 2025,
/// arXiv 2509.19189, Sec. 4, and of `reference/sgd_power_law_regression.py`):
///
///     rho_j(k) = [(1 - eta_k lambda_j)^2 + (eta_k^2 / B) lambda_j^2] rho_j(k-1)
///                + (eta_k^2 / B) lambda_j L(k-1),
///     L(k) = sum_j lambda_j rho_j(k) + sigma^2,   rho_j(0) = theta*_j^2.
///
/// The simulator tracks u_j = lambda_j rho_j (so u_j(0) is the kernel's target power) in one
/// preallocated array: O(modes) work per step, O(modes x steps) per curve, no allocation per step.
public struct SGDPowerLawSimulator: Sendable {
    /// lambda_j for j = 1 ... M.
    public let eigenvalues: [Double]
    /// lambda_j theta*_j^2 for j = 1 ... M (the per-mode initial risk).
    public let targetPowers: [Double]
    /// Label noise variance sigma^2 (the irreducible loss).
    public let noise: Double
    /// Minibatch size B.
    public let batchSize: Int

    /// A simulator for a kernel, noise variance and batch size.
    ///
    /// - Throws: ``LawfitError`` (input) for a kernel without modes, a non-positive or non-finite
    ///   eigenvalue, a negative or non-finite target power, a negative noise or a batch size below 1.
    public init(kernel: any SpectralKernel, noise: Double, batchSize: Int) throws {
        guard kernel.modes >= 1 else {
            throw LawfitError.input("simulate: kernel '\(kernel.spec)' has no modes (modes must be at least 1)")
        }
        guard noise >= 0, noise.isFinite else {
            throw LawfitError.input("simulate: noise (sigma^2) must be finite and >= 0, got \(noise)")
        }
        guard batchSize >= 1 else {
            throw LawfitError.input("simulate: batch size must be at least 1, got \(batchSize)")
        }
        let lambdas = kernel.eigenvalues
        let powers = kernel.targetPowers
        for j in 0..<lambdas.count {
            guard lambdas[j] > 0, lambdas[j].isFinite else {
                throw LawfitError.input("simulate: kernel '\(kernel.spec)' eigenvalue \(j + 1) is \(lambdas[j]); it must be positive and finite")
            }
            guard powers[j] >= 0, powers[j].isFinite else {
                throw LawfitError.input("simulate: kernel '\(kernel.spec)' target power \(j + 1) is \(powers[j]); it must be finite and >= 0")
            }
        }
        self.eigenvalues = lambdas
        self.targetPowers = powers
        self.noise = noise
        self.batchSize = batchSize
    }

    /// The expected loss L(k) after k updates for every k in `0...schedule.totalSteps`.
    public func expectedLoss(schedule: DenseSchedule) -> [Double] {
        expectedLoss(rates: schedule.rates)
    }

    /// The most modes x steps one simulation may take (10^11, a few minutes on one core): checked by
    /// ``finiteExpectedLoss(schedule:)`` before any work.
    public static let maximumWork = 100_000_000_000

    /// Refuses a simulation of more than ``maximumWork`` modes x steps, before any step is evaluated.
    ///
    /// - Throws: ``LawfitError`` (input) naming the modes, the steps and the limit.
    public func requireWithinWorkLimit(steps: Int) throws {
        let work = eigenvalues.count.multipliedReportingOverflow(by: max(steps, 1))
        guard !work.overflow, work.partialValue <= Self.maximumWork else {
            throw LawfitError.input(
                "simulate: \(eigenvalues.count) modes x \(steps) steps is more than the \(Self.maximumWork) a simulation may take; use fewer modes or steps")
        }
    }

    /// The expected loss after every step, refusing what cannot be trusted (the values of
    /// ``forEachFiniteExpectedLoss(schedule:_:)``, gathered into one array of `totalSteps + 1`).
    ///
    /// - Throws: as ``forEachFiniteExpectedLoss(schedule:_:)``.
    public func finiteExpectedLoss(schedule: DenseSchedule) throws -> [Double] {
        var losses: [Double] = []
        try forEachFiniteExpectedLoss(schedule: schedule) { _, _, loss in losses.append(loss) }
        return losses
    }

    /// Calls `body(k, eta_k, L(k))` for k = 0, 1, ..., `schedule.totalSteps` as the recursion reaches
    /// each step: O(modes) memory whatever the number of steps (the schedule's rates are computed one
    /// step at a time, ``DenseSchedule/forEachStep(_:)``), the same values bit for bit as
    /// ``expectedLoss(schedule:)``. A caller writing the curve out can stream it in blocks.
    ///
    /// - Throws: ``LawfitError`` (input) when modes x steps exceeds ``maximumWork``, before any step;
    ///   (fit) when the recursion diverges (the rate is too large for the kernel: SGD on this quadratic
    ///   diverges when eta lambda_max exceeds about 2), as soon as the loss stops being a finite number:
    ///   the message names the step where the loss first exceeded 10^6 L(0) and the step where it
    ///   stopped being finite. `body` has then seen every step before the latter; an error `body`
    ///   throws ends the walk.
    public func forEachFiniteExpectedLoss(
        schedule: DenseSchedule, _ body: (_ step: Int, _ rate: Double, _ loss: Double) throws -> Void
    ) throws {
        try requireWithinWorkLimit(steps: schedule.totalSteps)
        let inverseBatch = 1 / Double(batchSize)
        var initial = 0.0, blowUp: (step: Int, rate: Double)?
        var powers = targetPowers
        try eigenvalues.withUnsafeBufferPointer { lambda in
            try powers.withUnsafeMutableBufferPointer { u in
                var loss = noise
                try schedule.forEachStep { k, eta, _ in
                    if k == 0 {
                        for j in 0..<u.count { loss += u[j] }
                        initial = loss
                    } else {
                        loss = Self.advance(u, lambda: lambda, rate: eta, inverseBatch: inverseBatch, noise: noise, previous: loss)
                    }
                    if blowUp == nil, !(loss <= 1e6 * initial) { blowUp = (k, eta) }
                    guard loss.isFinite else { throw divergence(initial: initial, blowUp: blowUp ?? (k, eta), overflow: k, loss: loss) }
                    try body(k, eta, loss)
                }
            }
        }
    }

    /// The failure of a diverging simulation (see ``forEachFiniteExpectedLoss(schedule:_:)``).
    private func divergence(initial: Double, blowUp: (step: Int, rate: Double), overflow: Int, loss: Double) -> LawfitError {
        let lambdaMax = eigenvalues.max() ?? 0
        return LawfitError.fit(
            "simulate: SGD diverges: the expected loss exceeds 10^6 times its initial \(initial) at step \(blowUp.step) (lr \(blowUp.rate), "
                + "lr x largest eigenvalue = \(blowUp.rate * lambdaMax)) and is \(loss) from step \(overflow); lower the learning rate")
    }

    /// One update of the per-mode recursion: `u` from step k-1 to step k under rate `rate`, given
    /// L(k-1) = `previous`; returns L(k).
    @inline(__always)
    private static func advance(
        _ u: UnsafeMutableBufferPointer<Double>, lambda: UnsafeBufferPointer<Double>, rate eta: Double, inverseBatch: Double, noise: Double, previous: Double
    ) -> Double {
        let gain = eta * eta * inverseBatch
        var next = noise
        for j in 0..<u.count {
            let l = lambda[j]
            let shrink = 1 - eta * l
            let value = (shrink * shrink + gain * l * l) * u[j] + gain * l * l * previous
            u[j] = value
            next += value
        }
        return next
    }

    /// The expected loss L(k) after k updates for k in `0...rates.count - 1`; update k uses
    /// `rates[k]` (`rates[0]` is not used: it is the rate before training starts).
    public func expectedLoss(rates: [Double]) -> [Double] {
        let steps = max(rates.count - 1, 0)
        var losses = [Double](repeating: 0, count: steps + 1)
        let inverseBatch = 1 / Double(batchSize)
        eigenvalues.withUnsafeBufferPointer { lambda in
            var powers = targetPowers
            powers.withUnsafeMutableBufferPointer { u in
                var loss = noise
                for j in 0..<u.count { loss += u[j] }
                losses[0] = loss
                if steps == 0 { return }
                for k in 1...steps {
                    loss = Self.advance(u, lambda: lambda, rate: rates[k], inverseBatch: inverseBatch, noise: noise, previous: loss)
                    losses[k] = loss
                }
            }
        }
        return losses
    }
}
