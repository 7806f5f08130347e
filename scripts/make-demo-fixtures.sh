#!/usr/bin/env bash
# Regenerates Fixtures/demo/: the data `lawfit demo` (make demo) fits, made by the project's own
# simulators so that the truth is known. The outputs are committed; rerun after changing a simulator.
#
#   nd_runs.csv        final losses on a grid of model sizes N and tokens D from the random-feature DMFT
#                      law (exact solver; a=2.2, b=1.6, s=20, E=1.7, tau=1e-8, nu=1e-6), each multiplied
#                      by exp(0.005 z) with z standard normal from awk's seeded generator (seed 2026).
#   curves/schedules.csv  name,schedule: the spec of each curve's schedule (read by `lawfit demo`).
#   curves/<name>.csv  exact expected loss of one-pass SGD on power-law kernel regression
#                      (capacity 1.5, source 0.5, 400 modes, batch 4, noise 0.09) under four schedules
#                      with peak 0.1 over 3000 steps, every 25 steps.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product lawfit >/dev/null
lawfit=.build/debug/lawfit
out=Fixtures/demo
mkdir -p "$out/curves"

"$lawfit" predict --law dmft --set a=2.2 --set b=1.6 --set s=20 --set E=1.7 --set tau=1e-8 --set nu=1e-6 \
    --grid N=1e7:1e10:log7 --grid D=1e9:1e12:log7 \
  | awk -F, 'BEGIN { srand(2026); print "N,D,loss" }
             NR > 1 { u = rand(); v = rand(); if (u < 1e-300) u = 1e-300
                      z = sqrt(-2 * log(u)) * cos(6.283185307179586 * v)
                      printf "%s,%s,%.6f\n", $2, $3, $4 * exp(0.005 * z) }' > "$out/nd_runs.csv"

kernel='powerlaw(capacity=1.5, source=0.5, modes=400)'
echo "name,schedule" > "$out/curves/schedules.csv"
simulate() {
  "$lawfit" simulate --kernel "$kernel" --schedule "$2" --batch 4 --noise 0.09 --every 25 --output "$out/curves/$1.csv"
  echo "$1,\"$2\"" >> "$out/curves/schedules.csv"
}
simulate constant 'constant(peak=0.1, total=3000)'
simulate cosine 'cosine(peak=0.1, floor=0.001, total=3000)'
simulate twostage 'twostage(peak=0.1, low=0.02, switch=1500, total=3000)'
simulate wsd 'wsd(peak=0.1, decay_start=2400, total=3000, floor=0.001, shape=linear)'
echo "wrote $out"
