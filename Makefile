# Two commands for a new user (README "Quick start"): `make run` and `make test`.
# Both create or refresh the local virtual environment .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test venv system lab bench data clean-reports

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e .
	@touch $(STAMP)

venv: $(STAMP)

## make run: build the processed data, write the overview figures, run the notebooks, render the briefs and the dashboard
run: venv
	$(BIN)/lsg data build
	$(BIN)/lsg figures
	$(BIN)/lsg run
	$(BIN)/lsg brief --lang all
	$(BIN)/lsg dashboard

## make test: install what the tests need (Chromium, poppler) and run them
test: venv system
	$(BIN)/python -m pytest

system:
	@bash scripts/setup-system.sh

## make lab: JupyterLab on notebooks/ with the project's kernel
lab: venv
	$(BIN)/python -m ipykernel install --sys-prefix --name lsg-analysis --display-name "lsg-analysis (.venv)"
	$(BIN)/jupyter lab --notebook-dir=notebooks

## make bench: speed benchmarks (imbalance measures vs PySAL; notebooks vs papermill CLI; dashboard in Chromium)
bench: venv system
	$(BIN)/python benchmarks/bench_imbalance.py
	$(BIN)/python benchmarks/bench_pipeline.py
	$(BIN)/python benchmarks/bench_dashboard.py

data: venv
	$(BIN)/lsg data build
	$(BIN)/lsg data check
