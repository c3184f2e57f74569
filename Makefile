# Two commands for a new user (README "Quick start"): `make run` and `make test`.
# Both create or refresh the local virtual environment .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The project's Jupyter kernel: the same name in notebooks/*.ipynb, here and in lsg_analysis/runs/kernel.py (the runner).
KERNEL := lsg-analysis
# Extra arguments of `jupyter lab`, e.g. make lab LAB_ARGS="--port 8899 --no-browser --ip 127.0.0.1".
LAB_ARGS ?=
# Jupyter refuses to start as root without --allow-root (containers, CI): passed only when `id -u` is 0.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
# setuptools' editable build reports an "Editable installation ... be careful with folders ... same name" notice
# as a warning pip relays even with --quiet; nothing to act on for this layout, so it is filtered by its text.
QUIET_BUILD := PYTHONWARNINGS="ignore:Editable installation"

.PHONY: run test venv system kernel lab bench data clean-reports

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(QUIET_BUILD) $(BIN)/python -m pip install --quiet -c requirements.lock -e .
	@touch $(STAMP)

venv: $(STAMP)

## make run: build the processed data, write the overview figures, run the notebooks, render the briefs and the dashboard
run: venv
	$(BIN)/lsg data build
	$(BIN)/lsg figures
	$(BIN)/lsg run
	$(BIN)/lsg brief --lang all
	$(BIN)/lsg dashboard

## make test: install what the tests need (Chromium, poppler), lint (ruff) and run the tests
test: venv system
	$(BIN)/ruff check .
	$(BIN)/ruff format --check lsg_analysis tests benchmarks
	$(BIN)/python -m pytest

system:
	@bash scripts/setup-system.sh

## make kernel: register the .venv as the Jupyter kernel "lsg-analysis" (inside .venv only: --sys-prefix)
kernel: venv
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "$(KERNEL) (.venv)"

## make lab: JupyterLab on notebooks/ with the project's kernel (LAB_ARGS: extra `jupyter lab` arguments)
lab: kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT) $(LAB_ARGS)

## make bench: speed benchmarks (imbalance measures vs PySAL; notebooks vs papermill CLI; dashboard in Chromium)
bench: kernel system
	$(BIN)/python benchmarks/bench_imbalance.py
	$(BIN)/python benchmarks/bench_pipeline.py
	$(BIN)/python benchmarks/bench_dashboard.py

data: venv
	$(BIN)/lsg data build
	$(BIN)/lsg data check
