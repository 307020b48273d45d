# jitlab: `make lab` (set up, open JupyterLab on examples/), `make demo` (headless), `make test` (full run).
PYTHON ?= $(shell command -v python3.11 || ls -d $$HOME/.pyenv/versions/3.11.*/bin/python 2>/dev/null | sort -V | tail -1)
VENV := .venv
PIP := $(VENV)/bin/python -m pip --disable-pip-version-check

.PHONY: lab labextension demo test binder-check venv clean

$(VENV)/bin/python:
	@test -n "$(PYTHON)" || { echo "make: no python3.11 found (PATH or ~/.pyenv/versions/3.11.*)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changes.
$(VENV)/.jitlab-stamp: pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[test]'
	touch $@

$(VENV)/.jitlab-lab-stamp: $(VENV)/.jitlab-stamp
	$(PIP) install --quiet jupyterlab
	touch $@

venv: $(VENV)/.jitlab-stamp

# The JupyterLab extension (extension/) is rebuilt when its sources changed and linked into .venv.
labextension: $(VENV)/.jitlab-lab-stamp
	$(VENV)/bin/python extension/build_hook.py --develop $(VENV)

lab: labextension
	$(VENV)/bin/jupyter lab examples/

demo: venv
	$(VENV)/bin/python -m jitlab.demo

test:
	scripts/test.sh

# 100,000 fuzz programs against CPython (tests/test_fuzz.py) by scripts/fuzz.sh: chunks of 5,000 seeds,
# two pytest processes at a time (about 60 minutes on 2 idle cores); each chunk's whole log is kept in
# .ci-cache/fuzz/seeds-START.log. Each mismatch is saved as
# tests/fuzz_regressions/seed_N.py, which `make test` runs from then on.
FUZZ_START ?= 0
FUZZ_COUNT ?= 100000
FUZZ_JOBS ?= 2
fuzz-100k: venv
	scripts/fuzz.sh $(VENV)/bin/python $(FUZZ_START) $(FUZZ_COUNT) $(FUZZ_JOBS)

clean:
	rm -rf .venv-3.12 .venv-3.13 .ci-cache .pytest_cache .ruff_cache

# The full Binder check: build a fresh environment from binder/ and run the quick-start in it.
binder-check: venv
	$(VENV)/bin/python -m pytest -q tests/test_binder.py --binder-build
