# Lawfit: two commands do all set-up on a fresh Debian machine.
#   make demo   builds in release and runs the main job on bundled data (writes out/demo/)
#   make double-descent  the DMFT double-descent report (out/double-descent/report.html)
#   make test   builds the run-time plugin example, then runs the whole test suite (debug)

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build test demo double-descent bench fuzz sanitize abi-break-check plugin-tutorials clean

# Installs NLopt (Debian's libnlopt-dev) and pkg-config when pkg-config cannot find nlopt.
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists nlopt; then \
		echo "installing libnlopt-dev and pkg-config with apt-get"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libnlopt-dev pkg-config; \
	fi

build: deps
	$(SWIFT) build

# The dynamic-plugin test loads .build/debug/libRexSchedulePlugin.so, built first (running SwiftPM
# from inside `swift test` would lock the same build folder). The plugin ABI fingerprint checked into
# LawfitCore must match the built interface (scripts/abi-fingerprint.py --write updates it), and every
# target must declare exactly the modules it imports (scripts/check-imports.py).
test: deps
	$(SWIFT) build --product RexSchedulePlugin
	scripts/abi-fingerprint.py --check
	scripts/check-imports.py
	$(SWIFT) test

demo: deps
	$(SWIFT) build -c release --product lawfit
	.build/release/lawfit demo --output out/demo

# The random-feature double descent (dmft-static fitted to Fixtures/dmft/double_descent.csv, made by
# scripts/make-dmft-fixtures.sh): loss against N for U = 100 and 400, peaks at N = U. About 40 s of CPU.
double-descent: deps
	$(SWIFT) build -c release --product lawfit
	.build/release/lawfit compare --law dmft-static --data Fixtures/dmft/double_descent.csv --params N --unique-tokens U \
		--starts 2 --bootstrap 0 --report out/double-descent

# Benchmarks (BENCH=chinchilla|bootstrap|calibration|dmft|schedule-laws, default all), in the same
# portable release build users get (kernels choose AVX2 at run time where they have one).
# lawfit first: the jobs timed as users run them (default-path's Chinchilla row, long-log) run that binary.
bench: deps
	$(SWIFT) build -c release --product lawfit
	$(SWIFT) run -c release lawfit-bench $(or $(BENCH),all)

# libFuzzer on the CSV and JSON Lines readers, the whole training-log reader and the schedule and
# kernel spec parsers, FUZZ_SECONDS (default 60) per target on the corpus in Fuzz/corpus.
fuzz: deps
	scripts/fuzz.sh

# The test suite under AddressSanitizer and ThreadSanitizer (scratch paths .build-asan, .build-tsan).
sanitize: deps
	scripts/sanitize.sh

# A plugin built against one LawfitCore, loaded by a host whose public protocol changed: refused, not a
# crash (two builds of the package in a scratch copy, several minutes: not part of `make test`).
abi-break-check: deps
	scripts/abi-break-check.sh

# The plugin tutorials' packages (Fixtures/WritingPlugins) built beside a copy of this checkout in a
# folder named `main`, and every command of Docs/WritingPlugins.md and WritingLawPlugins.md run.
plugin-tutorials: deps
	$(SWIFT) build --product lawfit
	scripts/plugin-tutorials-check.sh

clean:
	rm -rf .build out
