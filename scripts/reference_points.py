#!/usr/bin/env python3
"""Independent reference points for the always-on law tests (issue 20).

Every value here is computed from the papers' formulas written out directly in numpy/mpmath-free
Python (double sums evaluated naively, no change-point tricks, no log-space shortcuts), so that the
Swift evaluators are checked against code that shares nothing with them. The printed table is
committed as constants in Tests/*/IndependentReferenceTests.swift; rerun this script and paste its
output there when a reference changes. Requires numpy only.

Usage: python3 scripts/reference_points.py
"""
import math

import numpy as np

# ---------------------------------------------------------------- the test schedule
# eta_0 = 0; warmup over 30 updates linear from 0 to 3e-4; constant to update 150; then a sharp drop
# to 1e-4 for updates 151-200; then cosine from 1e-4 to 1e-5 over updates 201-300.
PEAK, WARMUP, TOTAL = 3e-4, 30, 300


def rate(k):
    if k <= WARMUP:
        return PEAK * k / WARMUP
    if k <= 150:
        return PEAK
    if k <= 200:
        return 1e-4
    t = (k - 200) / 100
    return 1e-5 + 0.5 * (1e-4 - 1e-5) * (1 + math.cos(math.pi * t))


ETA = np.array([rate(k) for k in range(TOTAL + 1)])
STEPS = [10, 30, 100, 150, 151, 175, 200, 250, 300]


def multi_power(t, L0, A, alpha, B, C, beta, gamma):
    """Luo et al. 2025 (ICLR), Sec. 3, with the authors' warmup convention (LAWS.md 6):
    L(t) = L0 + A S1^-alpha - B sum_{k=1}^{t} (eta_{k-1} - eta_k) (1 - (C eta_k^-gamma S_k(t) + 1)^-beta),
    S1 = sum_{i=1}^{t} eta_i, S_k(t) = sum_{i=k}^{t} eta_i."""
    s1 = ETA[1:t + 1].sum()
    drop = 0.0
    for k in range(1, t + 1):
        d = ETA[k - 1] - ETA[k]
        if d == 0:
            continue
        sk = ETA[k:t + 1].sum()
        drop += d * (1 - (C * ETA[k] ** (-gamma) * sk + 1) ** (-beta))
    return L0 + A * s1 ** (-alpha) - B * drop


def lr_annealing(t, L0, A, alpha, C, lam):
    """Tissue et al. 2024 (arXiv 2408.11029), Sec. 3, momentum form of S2:
    m_i = lam m_{i-1} + (eta_{i-1} - eta_i), S2 = sum_{i=1}^{t} m_i, L = L0 + A S1^-alpha - C S2."""
    m, s2 = 0.0, 0.0
    for i in range(1, t + 1):
        m = lam * m + (ETA[i - 1] - ETA[i])
        s2 += m
    return L0 + A * ETA[1:t + 1].sum() ** (-alpha) - C * s2


def fsl(k, L0, c1, s, c23, c2, c4, gamma):
    """Li et al. 2025 (arXiv 2509.19189), App. B.2, in the (c23 = c2 c3, c2) parameterisation:
    L(k) = L0 + c1 tau_k^-s - sum_{i<=k} (eta_{i-1} - eta_i) (c23 + c2 tau_i^-s) (1 - (1 + c4 (tau_k - tau_i))^-gamma)."""
    tau = np.cumsum(np.concatenate([[0.0], ETA[1:]]))
    total = 0.0
    for i in range(1, k + 1):
        d = ETA[i - 1] - ETA[i]
        if d == 0:
            continue
        total += d * (c23 + c2 * tau[i] ** (-s)) * (1 - (1 + c4 * (tau[k] - tau[i])) ** (-gamma))
    return L0 + c1 * tau[k] ** (-s) - total


def kaplan(N, D, Nc, Dc, aN, aD):
    """Kaplan et al. 2020, eq. 1.5: L = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D."""
    return ((Nc / N) ** (aN / aD) + Dc / D) ** aD


def bnsl(x, a, b, c0, breaks):
    """Caballero et al. 2022, eq. 1: y = a + b x^-c0 prod_i (1 + (x/d_i)^(1/f_i))^(-c_i f_i)."""
    y = b * x ** (-c0)
    for c, d, f in breaks:
        y *= (1 + (x / d) ** (1 / f)) ** (-c * f)
    return a + y


def chinchilla(N, D, A, B, E, alpha, beta):
    """Hoffmann et al. 2022, eq. 2."""
    return E + A / N ** alpha + B / D ** beta


def multi_power_final_wsd():
    """The published 400M Multi-Power Law at step 24000 of wsd_20000_24000 (warmup 2160 from 0, peak
    3e-4, geometric decay from step 20000 to 3e-5), summed over every step in O(K) with suffix sums."""
    K, W, S, peak, floor = 24000, 2160, 20000, 3e-4, 3e-5
    k = np.arange(K + 1, dtype=float)
    eta = np.where(k < W, peak * k / W, peak)
    eta = np.where(k > S, peak * (floor / peak) ** ((k - S) / (K - S)), eta)
    L0, A, alpha, B, C, beta, gamma = 2.37474466, 0.65421216, 0.42878731, 523.42464371, 2.02462735, 0.59350493, 0.63472457
    suffix = np.cumsum(eta[1:][::-1])[::-1]  # S_k(K) for k = 1..K
    d = eta[:-1] - eta[1:]
    G = 1 - (C * eta[1:] ** (-gamma) * suffix + 1) ** (-beta)
    return L0 + A * eta[1:].sum() ** (-alpha) - B * np.sum(d * G)


def fmt(x):
    return repr(float(x))


def main():
    mp = dict(L0=2.37474466, A=0.65421216, alpha=0.42878731, B=523.42464371, C=2.02462735, beta=0.59350493, gamma=0.63472457)
    # beta != gamma and far from each other, so a swapped pair changes every value.
    mp2 = dict(L0=2.5, A=0.8, alpha=0.35, B=900.0, C=1.3, beta=1.7, gamma=0.25)
    print("// multi-power, published 400M parameters [L0, A, alpha, B, C, beta, gamma]")
    for t in STEPS:
        print(f"    ({t}, {fmt(multi_power(t, **mp))}),")
    print("// multi-power, beta = 1.7, gamma = 0.25")
    for t in STEPS:
        print(f"    ({t}, {fmt(multi_power(t, **mp2))}),")
    la = dict(L0=2.4, A=0.6, alpha=0.45, C=350.0, lam=0.97)
    print("// lr-annealing [L0, A, alpha, C, lambda] = [2.4, 0.6, 0.45, 350, 0.97]")
    for t in STEPS:
        print(f"    ({t}, {fmt(lr_annealing(t, **la))}),")
    fs = dict(L0=2.3, c1=0.7, s=0.4, c23=600.0, c2=40.0, c4=2000.0, gamma=1.6)
    print("// fsl [L0, c1, s, c23, c2, c4, gamma] = [2.3, 0.7, 0.4, 600, 40, 2000, 1.6]")
    for t in STEPS:
        print(f"    ({t}, {fmt(fsl(t, **fs))}),")
    print("// kaplan, published: N_c 6.4e13, D_c 1.8e13, alpha_N 0.076, alpha_D 0.103")
    for N, D in [(1e6, 1e9), (1e8, 2e10), (1e9, 1e9), (7e10, 1.4e12)]:
        print(f"    ({N:g}, {D:g}, {fmt(kaplan(N, D, 6.4e13, 1.8e13, 0.076, 0.103))}),")
    print("// kaplan, N_c 1e10, D_c 5e9, alpha_N 0.3, alpha_D 0.12")
    for N, D in [(1e6, 1e9), (1e8, 2e10), (1e9, 1e9), (7e10, 1.4e12)]:
        print(f"    ({N:g}, {D:g}, {fmt(kaplan(N, D, 1e10, 5e9, 0.3, 0.12))}),")
    print("// bnsl-2 [a, b, c0, c1, d1, f1, c2, d2, f2] = [1.5, 40, 0.05, 0.3, 1e18, 0.4, -0.2, 1e21, 1.5]")
    for C in [1e15, 1e17, 1e18, 3e19, 1e21, 1e23]:
        print(f"    ({C:g}, {fmt(bnsl(C, 1.5, 40.0, 0.05, [(0.3, 1e18, 0.4), (-0.2, 1e21, 1.5)]))}),")
    print("// multi-power (published 400M) final loss of wsd_20000_24000")
    print(f"    {fmt(multi_power_final_wsd())}")
    print("// chinchilla, Hoffmann et al. TeX values [A, B, E, alpha, beta] = [406.4, 410.7, 1.69, 0.34, 0.28]")
    for N, D in [(7e7, 1.4e9), (1e9, 2e10), (7e10, 1.4e12)]:
        print(f"    ({N:g}, {D:g}, {fmt(chinchilla(N, D, 406.4, 410.7, 1.69, 0.34, 0.28))}),")


if __name__ == "__main__":
    main()
