#!/usr/bin/env python3
"""Reference numbers for the schedule-aware DMFT law (`dmft-sgd`, issue 17 item 2).

Runs `sgd_volterra` of ../shared/reference/dmft_random_features.py (the Volterra equation in
intrinsic time with the kernels interpolated on a log grid of `ngrid` points) on one schedule, at
the reference's default ngrid = 200 and at ngrid = 1600, plus the kernels F(t) = gf_loss - sigma_perp^2
and K(t) = sgd_kernel at a few times. The printed values are committed as constants in
Tests/DMFTLawTests/DMFTScheduleReferenceTests.swift; rerun and paste when the reference changes.
Requires numpy. Takes a few minutes.

Usage: python3 scripts/dmft_sgd_reference.py [path/to/shared/reference]
"""
import sys

sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else "/work/shared/reference")
import numpy as np  # noqa: E402
from dmft_random_features import RFModes, gf_loss, sgd_kernel, sgd_volterra  # noqa: E402

A, B_EXP, N, BATCH, SIGMA2 = 2.2, 1.5, 200.0, 2, 0.05
# Update k = 1..400: 0.2 for k <= 250, then linear to 0.12 at k = 400 (>= half the first rate, so the
# reference's linear piece below its first grid point is never used).
TOTAL = 400
ETAS = np.array([0.2 if k <= 250 else 0.2 - 0.08 * (k - 250) / 150 for k in range(1, TOTAL + 1)])
STEPS = [1, 10, 50, 100, 250, 300, 400]
TIMES = [0.1, 1.0, 10.0, 100.0]

m = RFModes(A, B_EXP)
k0 = m.kt0(N)
sperp = k0 * m.U(k0)
print(f"# a={A} b={B_EXP} N={N} B={BATCH} sigma2={SIGMA2} sigma_perp^2={sperp!r}")
for t in TIMES:
    print(f"t={t}: F={gf_loss(m, t, N, None) - sperp!r} K={sgd_kernel(m, t, N)!r}")
for ngrid in (200, 1600):
    E = sgd_volterra(m, ETAS, BATCH, N, SIGMA2, ngrid=ngrid)
    print(f"ngrid={ngrid}: " + ", ".join(f"{k}: {E[k]!r}" for k in STEPS))
