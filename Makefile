# make run   builds the index from seeds/ if there is none, then serves on http://127.0.0.1:8000
# make test  runs the test suite
# Both create .venv on a fresh machine.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/tracuu rebuild --if-missing seeds/
	$(VENV)/bin/tracuu serve --host 127.0.0.1 --port 8000

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/index_speed.py
	$(PY) bench/extraction_eval.py ../shared/eval/seeds.jsonl

clean:
	rm -rf $(VENV) instance *.egg-info .pytest_cache
