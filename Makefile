# Two entry points for a fresh machine (Python 3.11, pip, make):
#   make briefings   build every briefing into outputs/
#   make test        run the test suite
# Both create .venv/ on first use and reuse it afterwards.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: briefings ingest test lab bench clean-outputs

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

lab: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[lab]'
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: $(STAMP)
	$(BIN)/python bench/run_bench.py

clean-outputs:
	rm -rf outputs/*/ outputs/index.html outputs/manifest.json
