#!/usr/bin/env sh
# The long fuzzing run of the API (docs/fuzzing.md): tests/test_fuzz_api.py with at least 1,000
# generated cases per operation and identity, and thousands of stateful scenarios.
#   scripts/fuzz.sh                       everything (about an hour on two cores)
#   scripts/fuzz.sh -k "deals or tasks"   a subset of operations (pytest's -k on the labels)
# The cases sent per operation and status go to $TOURNEE_FUZZ_REPORT.
set -eu
cd "$(dirname "$0")/.."
export TOURNEE_FUZZ_EXAMPLES="${TOURNEE_FUZZ_EXAMPLES:-1000}"
export TOURNEE_FUZZ_SCENARIOS="${TOURNEE_FUZZ_SCENARIOS:-2000}"
export TOURNEE_FUZZ_STEPS="${TOURNEE_FUZZ_STEPS:-10}"
export TOURNEE_FUZZ_SEED="${TOURNEE_FUZZ_SEED:-$(date +%Y%m%d)}"
export TOURNEE_FUZZ_REPORT="${TOURNEE_FUZZ_REPORT:-${TMPDIR:-/tmp}/tournee-fuzz-report.tsv}"
: > "$TOURNEE_FUZZ_REPORT"
echo "seed $TOURNEE_FUZZ_SEED, $TOURNEE_FUZZ_EXAMPLES cases per operation, report in $TOURNEE_FUZZ_REPORT"
exec .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_fuzz_api.py "$@"
