# The two commands of the README: `make demo` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo demo-tray test check lint typecheck layers unit bench guide-images clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kassasync demo

# After the demo: the tray agent a shop owner sees, on the same sandbox and demo shop (needs a display).
demo-tray: $(STAMP)
	$(BIN)/kassasync demo tray

test: $(STAMP) lint typecheck layers
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks installer
	$(BIN)/ruff format --check src tests benchmarks installer

typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/mypy --platform win32 -p kassasync -p fortnox_sandbox  # the benchmarks run on Linux only (resource)

layers: $(STAMP)
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# The user's guide's pictures are the GUI tests' screenshots: run them, then copy the ones the guide uses.
guide-images: $(STAMP)
	$(BIN)/pytest -q tests/gui
	for f in docs/images/*.png; do cp tests/artifacts/$$(basename $$f) $$f; done

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build src/*.egg-info
