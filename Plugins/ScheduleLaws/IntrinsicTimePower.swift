import LawfitCore

/// The term both laws of this family begin with, L0 + A S1^-alpha with S1 = tau_t the intrinsic time
/// (Luo et al. 2025, eq. 3; Tissue et al. 2024, eq. 1): its three parameters, with the same bounds
/// and starts in both.
enum IntrinsicTimePower {
    static let parameters = [
        Parameter("L0", "irreducible loss", bounds: 0...20, starts: [2.0]),
        Parameter("A", "amplitude of the power law in S1", bounds: 1e-6...1e3, transform: .log, starts: [0.5]),
        Parameter("alpha", "exponent of S1 (intrinsic time)", bounds: 1e-3...3, starts: [0.5]),
    ]
}
