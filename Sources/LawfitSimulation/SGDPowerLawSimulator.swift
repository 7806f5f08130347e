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

    /// The expected loss after every step, refusing what cannot be trusted.
    ///
    /// - Throws: ``LawfitError`` (input) when modes x steps exceeds ``maximumWork``; (fit) when the
    ///   recursion diverges (the rate is too large for the kernel: SGD on this quadratic diverges when
    ///   eta lambda_max exceeds about 2), naming the step where the loss first exceeded 10^6 L(0) and the
    ///   step where it stopped being a finite number.
    public func finiteExpectedLoss(schedule: DenseSchedule) throws -> [Double] {
        try requireWithinWorkLimit(steps: schedule.totalSteps)
        let losses = expectedLoss(schedule: schedule)
        guard let overflow = losses.firstIndex(where: { !$0.isFinite }) else { return losses }
        let blowUp = losses.firstIndex(where: { !($0 <= 1e6 * losses[0]) }) ?? overflow
        let lambdaMax = eigenvalues.max() ?? 0
        throw LawfitError.fit(
            "simulate: SGD diverges: the expected loss exceeds 10^6 times its initial \(losses[0]) at step \(blowUp) (lr \(schedule.rates[blowUp]), "
                + "lr x largest eigenvalue = \(schedule.rates[blowUp] * lambdaMax)) and is \(losses[overflow]) from step \(overflow); lower the learning rate")
    }

    /// The expected loss L(k) after k updates for k in `0...rates.count - 1`; update k uses
    /// `rates[k]` (`rates[0]` is not used: it is the rate before training starts).
    public func expectedLoss(rates: [Double]) -> [Double] {
        let steps = max(rates.count - 1, 0)
        var losses = [Double](repeating: 0, count: steps + 1)
        let inverseBatch = 1 / Double(batchSize)
        let sigma2 = noise
        eigenvalues.withUnsafeBufferPointer { lambda in
            var powers = targetPowers
            powers.withUnsafeMutableBufferPointer { u in
                var loss = sigma2
                for j in 0..<u.count { loss += u[j] }
                losses[0] = loss
                if steps == 0 { return }
                for k in 1...steps {
                    let eta = rates[k]
                    let gain = eta * eta * inverseBatch
                    let previous = loss
                    var next = sigma2
                    for j in 0..<u.count {
                        let l = lambda[j]
                        let shrink = 1 - eta * l
                        let value = (shrink * shrink + gain * l * l) * u[j] + gain * l * l * previous
                        u[j] = value
                        next += value
                    }
                    loss = next
                    losses[k] = loss
                }
            }
        }
        return losses
    }
}
