#!/usr/bin/env bash
# The whole test run: lint, then the full pytest suite under CPython 3.11, 3.12, 3.13 and 3.14.
#
#   scripts/test.sh [--allow-missing] [--versions "3.11 3.12"] [-- PYTEST-ARGS...]
#
# The versions' suites run two at a time (JITLAB_TEST_JOBS=1 for one at a time); each writes
# .ci-cache/logs/pytest-3.X.log, printed whole when all have finished.
# Each Python gets its own virtual environment (.venv for 3.11, .venv-3.12, ...) with
# `pip install -e '.[test]'` (3.11: '.[test,browser,binder,bench,cuda-tools]', and the JupyterLab extension built from extension/
# and linked into .venv); an environment is reinstalled only when pyproject.toml changed (a stamp
# file holds its hash). Interpreters come from PATH (`python3.X`) or from pyenv's versions folder
# (`$(pyenv root)/versions/3.X.*`, also tried as ~/.pyenv without pyenv on PATH); 3.14, which pyenv
# may lack, falls back to Debian sid's build unpacked by scripts/debian-python.sh into
# .ci-cache/python3.14 (once: later runs reuse it). A missing interpreter fails the run loudly
# unless --allow-missing is given. pytest's exit code 5 (no test collected) fails the run too.
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

ALLOW_MISSING=0
# The two longest suites (3.11 with the 2,000-program fuzz, 3.14 with the backend/library suites)
# start first, side by side; 3.12 and 3.13 (the short ones) fill in after them.
VERSIONS="3.11 3.14 3.12 3.13"
DEBIAN_PYTHONS="3.14"  # versions that may come from Debian sid when neither PATH nor pyenv has them
# The workplace's unpacker (shared/tools/debian-python.sh), kept in the repository so a clean clone
# anywhere (CI) has it.
DEBIAN_TOOL="$ROOT/scripts/debian-python.sh"
PYTEST_ARGS=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --allow-missing) ALLOW_MISSING=1; shift ;;
        --versions) VERSIONS="$2"; shift 2 ;;
        --) shift; PYTEST_ARGS=("$@"); break ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "test.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done

SUITE_TIMEOUT=1500  # seconds for one Python's pytest run
# How many versions' suites run at once (CI has 2 cores; each suite is one process). The
# environments are set up one at a time before that.
JOBS=${JITLAB_TEST_JOBS:-2}
LOG_DIR="$ROOT/.ci-cache/logs"
mkdir -p "$LOG_DIR"

banner() {
    local line="!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
    printf '\n%s\n!!! %s\n%s\n\n' "$line" "$*" "$line" >&2
}

section() { printf '\n==== %s ====\n' "$*"; }

# find_python 3.12 -> prints the path of a CPython 3.12 interpreter, or nothing.
find_python() {
    local want="$1" candidates=() root="" c
    if command -v pyenv >/dev/null 2>&1; then
        root=$(pyenv root 2>/dev/null || true)
    fi
    for dir in "$root" "${PYENV_ROOT:-}" "$HOME/.pyenv"; do
        [[ -n "$dir" && -d "$dir/versions" ]] || continue
        # Newest patch release first; skip free-threaded and debug builds (3.13.0t...).
        while IFS= read -r c; do candidates+=("$c"); done < <(
            ls -d "$dir"/versions/"$want".*/bin/python 2>/dev/null | grep -E "/$want\.[0-9]+/bin/python$" | sort -rV)
    done
    if command -v "python$want" >/dev/null 2>&1; then
        candidates+=("$(command -v "python$want")")
    fi
    for c in "${candidates[@]}"; do
        if [[ -x "$c" ]] && "$c" -c "import sys, venv; assert sys.version_info[:2] == tuple(map(int, '$want'.split('.')))" \
                2>/dev/null; then
            echo "$c"
            return 0
        fi
    done
    return 1
}

# debian_python 3.14 -> prints the path of Debian sid's CPython 3.14 unpacked under .ci-cache/,
# unpacking it first when it is not there yet; nothing when that fails.
debian_python() {
    local want="$1" dest="$ROOT/.ci-cache/python$1" py
    py="$dest/root/usr/bin/python$want"
    if [[ -x "$py" ]] && "$py" -c 'import venv' >/dev/null 2>&1; then
        echo "$py"
        return 0
    fi
    [[ -x "$DEBIAN_TOOL" ]] || { echo "test.sh: $DEBIAN_TOOL not found" >&2; return 1; }
    echo "unpacking Debian sid's CPython $want into $dest" >&2
    rm -rf "$dest"
    "$DEBIAN_TOOL" sid "$want" "$dest" >&2 || return 1
    [[ -x "$py" ]] && echo "$py"
}

# make_venv DIR PYTHON: `python -m venv`, or, for a Debian build whose ensurepip looks for the
# host's wheels, a venv without pip bootstrapped from the pip wheel unpacked beside it.
make_venv() {
    local venv="$1" python="$2" wheel
    "$python" -m venv "$venv" 2>/dev/null && return 0
    wheel=$(ls "$(dirname "$python")"/../share/python-wheels/pip-*.whl 2>/dev/null | tail -1)
    [[ -n "$wheel" ]] || return 1
    rm -rf "$venv"
    "$python" -m venv --without-pip "$venv" && "$venv/bin/python" "$wheel/pip" install -q --no-index "$wheel"
}

# ensure_venv DIR PYTHON: create DIR from PYTHON if needed; (re)install jitlab[test] when pyproject changed.
ensure_venv() {
    local venv="$1" python="$2" want stamp_file stamp
    want=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    if [[ -x "$venv/bin/python" ]]; then
        local have
        have=$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo none)
        if [[ "$have" != "$want" ]]; then
            echo "$venv holds Python $have, not $want: recreating it"
            rm -rf "$venv"
        fi
    fi
    if [[ ! -x "$venv/bin/python" ]]; then
        echo "creating $venv with $python"
        make_venv "$venv" "$python" || return 1
    fi
    stamp_file="$venv/.jitlab-install-stamp"
    stamp="$(sha256sum pyproject.toml | cut -d' ' -f1) $want"
    if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp" ]] \
            && "$venv/bin/python" -c 'import jitlab, pytest' >/dev/null 2>&1; then
        echo "$venv is up to date with pyproject.toml"
        return 0
    fi
    local extras
    extras=$(extras_for "$want")
    echo "installing jitlab[$extras] into $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip || return 1
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[$extras]" || return 1
    echo "$stamp" >"$stamp_file"
}

# The browser test (tests/browser, JupyterLab + Playwright + Chromium), the Binder checks, the
# benchmarks' smoke tests against Numba/numba-scfg (bench) and the PTX checks with ptxas and the
# pinned libdevice the PTX goldens were made with (cuda-tools) run under 3.11 only.
extras_for() { [[ "$1" == "3.11" ]] && echo "test,browser,binder,bench,cuda-tools" || echo "test"; }

# lab_extension VENV: rebuild the JupyterLab extension if its sources changed and link VENV's
# installed copy to the build, so the browser test sees the checkout's extension.
lab_extension() {
    "$1/bin/python" extension/build_hook.py --develop "$1"
}

venv_for() { [[ "$1" == "3.11" ]] && echo "$ROOT/.venv" || echo "$ROOT/.venv-$1"; }

declare -A RESULT PASSED FAILED SKIPPED ERRORS
OVERALL=0
LINT="not run"

for v in $VERSIONS; do
    RESULT[$v]="-"; PASSED[$v]="-"; FAILED[$v]="-"; SKIPPED[$v]="-"; ERRORS[$v]="-"
done

# counts_from LOG VERSION: read pytest's closing line ("3 failed, 80 passed, 2 skipped in 4.1s").
counts_from() {
    local log="$1" v="$2" last
    last=$(grep -E '^=+ .*( in [0-9.]+s).* =+$' "$log" | tail -1)
    if [[ -z "$last" ]]; then  # no closing line: the run was killed
        PASSED[$v]="?"; FAILED[$v]="?"; SKIPPED[$v]="?"; ERRORS[$v]="?"
        return
    fi
    PASSED[$v]=$(grep -oE '[0-9]+ passed' <<<"$last" | cut -d' ' -f1); PASSED[$v]=${PASSED[$v]:-0}
    FAILED[$v]=$(grep -oE '[0-9]+ failed' <<<"$last" | cut -d' ' -f1); FAILED[$v]=${FAILED[$v]:-0}
    SKIPPED[$v]=$(grep -oE '[0-9]+ skipped' <<<"$last" | cut -d' ' -f1); SKIPPED[$v]=${SKIPPED[$v]:-0}
    ERRORS[$v]=$(grep -oE '[0-9]+ errors?' <<<"$last" | cut -d' ' -f1); ERRORS[$v]=${ERRORS[$v]:-0}
}

# run_suite VERSION VENV: the version's pytest run, its output in pytest-VERSION.log and its exit
# status in pytest-VERSION.rc. pytest-timeout ends a hung test (see pyproject.toml); `timeout`
# bounds the whole run as well.
run_suite() {
    local v="$1" venv="$2" log="$LOG_DIR/pytest-$1.log"
    rm -f "$LOG_DIR/pytest-$v.rc"
    timeout --kill-after=30 "$SUITE_TIMEOUT" "$venv/bin/python" -m pytest "${PYTEST_ARGS[@]}" >"$log" 2>&1
    echo $? >"$LOG_DIR/pytest-$v.rc"
}

STARTED=()
first=1
for v in $VERSIONS; do
    section "Python $v"
    python=$(find_python "$v") || python=""
    if [[ -z "$python" && " $DEBIAN_PYTHONS " == *" $v "* ]]; then
        python=$(debian_python "$v") || python=""
    fi
    if [[ -z "$python" ]]; then
        banner "CPython $v NOT FOUND (looked in \$(pyenv root)/versions/$v.*, ~/.pyenv/versions/$v.*, python$v on PATH$([[ " $DEBIAN_PYTHONS " == *" $v "* ]] && echo ", Debian sid via $DEBIAN_TOOL")): the suite did NOT run under $v"
        RESULT[$v]="MISSING"
        [[ $ALLOW_MISSING -eq 1 ]] || OVERALL=1
        continue
    fi
    echo "interpreter: $python"
    venv=$(venv_for "$v")
    if ! ensure_venv "$venv" "$python"; then
        banner "could not set up $venv for Python $v"
        RESULT[$v]="SETUP FAILED"
        OVERALL=1
        continue
    fi

    if [[ "$v" == "3.11" ]] && ! lab_extension "$venv"; then
        banner "could not build jitlab's JupyterLab extension (extension/) for $venv"
        OVERALL=1
    fi

    if [[ $first -eq 1 ]]; then
        first=0
        section "ruff check (Python $v)"
        if "$venv/bin/ruff" check --output-format concise .; then LINT="ok"; else LINT="FAILED"; OVERALL=1; fi
    fi

    # The suites run JOBS at a time (one process per version; every environment is set up
    # first, above, one at a time): wait for a free slot, then start this version's suite.
    while (( $(jobs -rp | wc -l) >= JOBS )); do wait -n; done
    section "pytest (Python $v): started, log in ${LOG_DIR#"$ROOT"/}/pytest-$v.log"
    run_suite "$v" "$venv" &
    STARTED+=("$v")
done
wait

for v in "${STARTED[@]}"; do
    log="$LOG_DIR/pytest-$v.log"
    section "pytest (Python $v)"
    cat "$log"
    rc=$(cat "$LOG_DIR/pytest-$v.rc" 2>/dev/null || echo 1)
    counts_from "$log" "$v"
    case $rc in
        0) RESULT[$v]="ok" ;;
        5) RESULT[$v]="NO TESTS"; banner "pytest collected no tests under Python $v"; OVERALL=1 ;;
        124|137) RESULT[$v]="TIMED OUT"; banner "pytest under Python $v ran past ${SUITE_TIMEOUT}s"; OVERALL=1 ;;
        *) RESULT[$v]="FAILED (rc $rc)"; OVERALL=1 ;;
    esac
done

section "summary"
printf '%-8s %-16s %8s %8s %8s %8s\n' python result passed failed skipped errors
for v in $VERSIONS; do
    printf '%-8s %-16s %8s %8s %8s %8s\n' "$v" "${RESULT[$v]}" "${PASSED[$v]}" "${FAILED[$v]}" \
        "${SKIPPED[$v]}" "${ERRORS[$v]}"
done
echo "ruff: $LINT"
if [[ $OVERALL -eq 0 ]]; then echo "ALL OK"; else echo "TEST RUN FAILED"; fi
exit $OVERALL
