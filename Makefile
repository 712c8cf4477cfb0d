# Everything a fresh machine needs is installed by these targets; nothing by hand.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: demo test lint bench pulumi-cli clean

$(INSTALLED): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

pulumi-cli:
	@bash scripts/ensure-pulumi.sh >/dev/null

demo: $(INSTALLED) pulumi-cli
	$(PY) scripts/demo.py

lint: $(INSTALLED)
	$(VENV)/bin/ruff check ocp_provider tests scripts bench __main__.py
	$(VENV)/bin/ruff format --check ocp_provider tests scripts bench __main__.py
	$(VENV)/bin/mypy

test: lint pulumi-cli
	$(PY) -m pytest

clean:
	rm -rf .pulumi-state

bench: $(INSTALLED) pulumi-cli
	$(PY) bench/run.py $(BENCH_ARGS)
