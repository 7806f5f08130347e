#!/usr/bin/env bash
# Regenerates Fixtures/dmft/: double-descent data for the DMFT static law, made by the project's own
# law so that the truth is known. The output is committed; rerun after changing the DMFT solver.
#
#   double_descent.csv  N,U,loss: the t -> infinity (ridgeless) loss of random-feature regression from
#                       `dmft-static` (a=2.2, b=1.6, s=1, E=0.05, nu=1, pi=1, noise=0.05) at 15 model sizes
#                       N from 10 to 4000 (about log-spaced) and U (samples) = 100 and 400, each multiplied by
#                       exp(0.01 z) with z standard normal from awk's seeded generator (seed 2027).
#                       The peak sits at N = U.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product lawfit >/dev/null
lawfit=.build/debug/lawfit
out=Fixtures/dmft
mkdir -p "$out"
"$lawfit" predict --law dmft-static --set a=2.2 --set b=1.6 --set s=1 --set E=0.05 --set nu=1 --set pi=1 --set noise=0.05 \
    --grid N=10,15,24,36,55,85,130,200,300,470,720,1100,1700,2600,4000 --grid U=100,400 \
  | awk -F, 'BEGIN { srand(2027); print "N,U,loss" }
             NR > 1 { u = rand(); v = rand(); if (u < 1e-300) u = 1e-300
                      z = sqrt(-2 * log(u)) * cos(6.283185307179586 * v)
                      printf "%s,%s,%.6f\n", $2, $3, $4 * exp(0.01 * z) }' > "$out/double_descent.csv"
echo "wrote $out"
