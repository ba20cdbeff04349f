# 两个入口：make run（安装并启动网页）与 make test（安装并运行测试）。
# Both create their own virtual environment in .venv and install torch's CPU build before sentence-transformers.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 7860

.PHONY: install run test test-fast evals bench

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) app.py --host $(HOST) --port $(PORT)

test: install
	$(PY) -m pytest -q -p no:cacheprovider

# The quick loop: everything but the tests marked slow (browser, real model, servers).
test-fast: install
	$(PY) -m pytest -q -p no:cacheprovider -m "not slow"

evals: install
	$(PY) -m evals

bench: install
	$(PY) -m evals.bench
