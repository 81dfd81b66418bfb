# Two entry points for a fresh machine (Python 3.11, pip, make):
#   make briefings   build every briefing into outputs/
#   make test        run the test suite
# Both create .venv/ on first use and reuse it afterwards.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

LAB_STAMP := $(VENV)/.lab-installed
# Extra options for `jupyter lab`, e.g. a headless server: make lab LAB_ARGS="--no-browser --ip 0.0.0.0 --port 8888"
LAB_ARGS ?=
# Jupyter refuses to run as root unless told; a container or a server often runs as root.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: briefings ingest test test-fast lab bench clean-outputs

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11" >&2; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name vn-briefings --display-name "Python (vn-briefings)" >/dev/null
	touch $(STAMP)

ingest: $(STAMP)
	$(BIN)/briefings ingest

briefings: $(STAMP)
	$(BIN)/briefings build

test: $(STAMP)
	$(BIN)/python -m pytest

# Unit tests only (no Papermill builds, no browser): under a minute on 2 cores.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not browser"

# JupyterLab and the pre-commit tools, installed again only when pyproject.toml changed.
$(LAB_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[lab]'
	touch $(LAB_STAMP)

lab: $(LAB_STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks --MultiKernelManager.default_kernel_name=vn-briefings $(LAB_ROOT) $(LAB_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run_bench.py

clean-outputs:
	rm -rf outputs/*/ outputs/index.html outputs/manifest.json
