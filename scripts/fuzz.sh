#!/usr/bin/env bash
# Differential fuzzing in chunks: `make fuzz-100k` runs this.
#
#   scripts/fuzz.sh PYTHON START COUNT [JOBS] [CHUNK]
#
# Runs tests/test_fuzz.py over seeds START .. START+COUNT-1 in chunks of CHUNK seeds (default
# 5000), JOBS pytest processes at a time (default 2). Chunks, because every compiled program stays
# loaded in its process's JIT (machine code is never freed): one process for 50,000 programs would
# grow to gigabytes, one per chunk stays near 1 GB. Each mismatch is saved as
# tests/fuzz_regressions/seed_N.py (--fuzz-save). Exits nonzero when any chunk failed.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON=$1 START=$2 COUNT=$3 JOBS=${4:-2} CHUNK=${5:-5000}
end=$((START + COUNT))
for ((s = START; s < end; s += CHUNK)); do
    echo "$s $(( end - s < CHUNK ? end - s : CHUNK ))"
done | xargs -P "$JOBS" -L 1 bash -c 'set -o pipefail
    "$0" -m pytest -q -p no:cacheprovider tests/test_fuzz.py::test_fuzz_program --fuzz-save \
        --fuzz-start "$1" --fuzz-count "$2" 2>&1 | tail -n 4 | sed "s/^/[seeds $1 +$2] /"' "$PYTHON"
