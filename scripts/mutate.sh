#!/usr/bin/env bash
# Mutation check (issue 20): applies each mutation of scripts/mutate.py to a scratch copy, runs the
# suite without ../shared, and prints caught/missed per mutation. Usage: scripts/mutate.sh [NAME ...]
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/mutate.py "$@"
