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
#
# Every chunk writes its whole verbose log (one line per seed, written before the seed runs) to
# $FUZZ_LOGS/seeds-START.log (default .ci-cache/fuzz): if a process dies -- a signal, not a
# mismatch -- the last line names the seed it was running and the log keeps the faulthandler
# dump. The summary printed here is each chunk's last lines; a chunk that did not pass says where
# its log is.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON=$1 START=$2 COUNT=$3 JOBS=${4:-2} CHUNK=${5:-5000}
FUZZ_LOGS=${FUZZ_LOGS:-.ci-cache/fuzz}
mkdir -p "$FUZZ_LOGS"
export FUZZ_LOGS
end=$((START + COUNT))
for ((s = START; s < end; s += CHUNK)); do
    echo "$s $(( end - s < CHUNK ? end - s : CHUNK ))"
done | xargs -P "$JOBS" -L 1 bash -c '
    log="$FUZZ_LOGS/seeds-$1.log"
    "$0" -X faulthandler -m pytest -v -p no:cacheprovider tests/test_fuzz.py::test_fuzz_program \
        --fuzz-save --fuzz-start "$1" --fuzz-count "$2" > "$log" 2>&1
    rc=$?
    tail -n 3 "$log" | sed "s/^/[seeds $1 +$2] /"
    if [ "$rc" -ne 0 ]; then
        echo "[seeds $1 +$2] FAILED (exit $rc); whole log: $log; last seed started:"
        grep -o "test_fuzz_program\[[0-9]*\]" "$log" | tail -n 1 | sed "s/^/[seeds $1 +$2]   /"
        exit 1
    fi' "$PYTHON"
