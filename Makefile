# The two commands the README names: `make run` (build everything) and `make test` (run the tests).
# Both set up what they need on a fresh machine: a virtualenv in .venv and, for the browser test, Debian's chromium
# (and Debian's tesseract-ocr for the OCR tests).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
CORPUS ?= ../shared/corpus
DATA   ?= data
STAMP  := $(VENV)/.installed

.PHONY: run test check wheel-check setup browser ocr bench lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# Debian's chromium for the dashboard test (never `playwright install`: it downloads a browser).
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "warning: could not install chromium; the browser test will fail under CI and skip otherwise"; \
	else echo "note: chromium is not installed (run 'sudo apt-get install chromium' for the browser test)"; fi

# Debian's tesseract for the figures some reports print only as images (the OCR tests fail under CI without it).
ocr:
	@if command -v tesseract >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr >/dev/null) \
	  || echo "warning: could not install tesseract-ocr; the OCR tests will fail under CI and skip otherwise"; \
	else echo "note: tesseract is not installed (run 'sudo apt-get install tesseract-ocr' for the OCR tests)"; fi

# Build everything: the recorded mirror when it is there, otherwise the live sites.
run: $(STAMP) ocr
	@if [ -f $(CORPUS)/captures.csv ]; then \
	  $(BIN)/govreq update --data-dir $(DATA) --mirror $(CORPUS); \
	else \
	  $(BIN)/govreq update --data-dir $(DATA); \
	fi
	$(BIN)/govreq export --data-dir $(DATA) --out $(DATA)/export
	$(BIN)/govreq site --data-dir $(DATA) --out $(DATA)/site

# pytest's exit code 5 (nothing collected) is a failure here, like any other non-zero code.
test: $(STAMP) browser ocr
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

# A non-editable install must carry every data file the code reads (registry, SQL, country aliases, templates):
# build the wheel, install it into a clean virtualenv, and run the command from there on a small offline update.
WHEEL_DIR := .wheel-check
wheel-check: $(STAMP)
	rm -rf $(WHEEL_DIR) && mkdir -p $(WHEEL_DIR)
	$(BIN)/pip wheel --quiet --no-deps --wheel-dir $(WHEEL_DIR)/dist .
	$(PYTHON) -m venv $(WHEEL_DIR)/venv
	$(WHEEL_DIR)/venv/bin/pip install --quiet $(WHEEL_DIR)/dist/*.whl
	cd $(WHEEL_DIR) && venv/bin/govreq --help >/dev/null
	cd $(WHEEL_DIR) && venv/bin/govreq update --mirror $(abspath $(CORPUS)) --only github,meta --data-dir data
	cd $(WHEEL_DIR) && venv/bin/govreq export --data-dir data --out data/export
	cd $(WHEEL_DIR) && test "$$(venv/bin/govreq query --data-dir data --format csv "SELECT count(*) AS n FROM facts WHERE company = 'meta'" | tail -n 1 | tr -dc 0-9)" -gt 0

# The fast loop while working: lint and every test that needs no whole-corpus replay, crawl, daemon or browser.
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -m "not slow and not browser" -n 2 --dist loadfile

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) $(DATA) .pytest_cache
