# 两个入口：make run（安装并启动网页）与 make test（安装并运行测试）。
# Both first check the Debian packages they need (scripts/system-packages.sh: installs them as root or with
# passwordless sudo, else stops with the command to run), then create .venv and install torch's CPU build before
# sentence-transformers. `run` installs the project only; `test` adds the dev extra (pytest, selenium, the
# benchmark's LangChain packages). Separate stamps, so `make run` then `make test` installs just the extra.
VENV ?= .venv
PY := $(VENV)/bin/python
BASE_STAMP := $(VENV)/.installed-base
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 7860
# Extra options for app.py, e.g. RUN_ARGS=--insecure-no-login (a non-local HOST without accounts refuses to start)
RUN_ARGS ?=

.PHONY: install install-dev system-run system-test run test test-fast evals bench
# Prerequisites run left to right: the system check comes before a long pip install, and both before the tests.
.NOTPARALLEL:

$(BASE_STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e .
	touch $(BASE_STAMP)

$(DEV_STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(DEV_STAMP) $(BASE_STAMP)

install: $(BASE_STAMP)

install-dev: $(DEV_STAMP)

# The web app needs only OCR's libraries (libgl1, libglib2.0-0); the tests add Chromium and the fonts.
system-run:
	scripts/system-packages.sh run

system-test:
	scripts/system-packages.sh test

run: system-run install
	$(PY) app.py --host $(HOST) --port $(PORT) $(RUN_ARGS)

test: system-test install-dev
	$(PY) -m pytest -q -p no:cacheprovider

# The quick loop: everything but the tests marked slow (browser, real model, servers).
test-fast: system-test install-dev
	$(PY) -m pytest -q -p no:cacheprovider -m "not slow"

evals: install-dev
	$(PY) -m evals

bench: install-dev
	$(PY) -m evals.bench
