# make run   builds the index from seeds/ if there is none, then serves on http://127.0.0.1:8000
#            (PORT=8001 make run: another port)
# make test  runs the test suite, browser tests included (installs Debian's
#            Chromium with apt when it is missing)
# Both create .venv on a fresh machine.

PYTHON ?= python3
PORT   ?= 8000
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test chromium bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The server replaces the recipe's shell (exec), so that make's SIGTERM
# reaches it, and stops with make however make ends (--stop-with-parent).
run: $(STAMP)
	$(VENV)/bin/tracuu rebuild --if-missing seeds/
	exec $(VENV)/bin/tracuu serve --host 127.0.0.1 --port $(PORT) --stop-with-parent

test: $(STAMP) chromium
	$(PY) -m pytest -q

# Playwright drives Debian's Chromium (its own browser download does not work here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

bench: $(STAMP)
	$(PY) bench/index_speed.py
	$(PY) bench/extraction_eval.py ../shared/eval/seeds.jsonl
	$(PY) bench/relevance.py
	$(PY) bench/query_speed.py
	$(PY) bench/live_writes.py
	@if command -v wrk >/dev/null 2>&1; then $(PY) bench/load.py; \
	 else echo "bench/load.py skipped: it needs wrk (apt-get install wrk)"; fi

clean:
	rm -rf $(VENV) instance *.egg-info .pytest_cache test-artifacts
