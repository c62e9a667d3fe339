# Two commands: `make run` (set up everything and start the assistant) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
# A Python 3.10 however the machine provides it: on PATH, or through pyenv.
PYTHON310 := $(shell command -v python3.10 >/dev/null 2>&1 && python3.10 -c 'import sys' >/dev/null 2>&1 && echo python3.10 || \
               (command -v pyenv >/dev/null 2>&1 && v=$$(pyenv versions --bare | grep -E '^3\.10' | tail -1) && [ -n "$$v" ] && echo "$$(pyenv root)/versions/$$v/bin/python3.10"))
# Debian packages the assistant uses when they can be installed (voice, browser tests, fonts; nginx
# and socat for the multi-host test, tests/production).
SYSTEM_PACKAGES ?= chromium fonts-noto-cjk ffmpeg espeak-ng flite festival festvox-us-slt-hts nginx socat

.PHONY: help venv install system-deps frontend catalogue model run test lint clean

help:
	@echo "make run   - set up (venv, install, model, demo data) and start the assistant"
	@echo "make test  - set up and run the whole test suite"

$(PY):
	@if [ -z "$(PYTHON310)" ]; then echo "Python 3.10 is required (Rasa 3.6): install it or pyenv install 3.10"; exit 1; fi
	@echo ">> creating $(VENV) with $(PYTHON310)"
	$(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip<25" wheel "setuptools<71"

$(STAMP): $(PY) pyproject.toml requirements-voice.txt
	@echo ">> installing Python packages (first time: a few minutes)"
	set -o pipefail; $(PY) -m pip install --progress-bar off -e ".[dev]" | { grep -vE "^(Requirement already satisfied|  |WARNING: Location)" || true; }
	$(PY) -m pip install --progress-bar off --no-deps --require-hashes -r requirements-voice.txt | { grep -vE "^(Requirement already satisfied|WARNING: Location)" || true; }
	$(PY) -c "import rasa, fastapi, pyspark" && touch $(STAMP)

install: $(STAMP) system-deps frontend

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; then \
	    echo ">> installing Debian packages:$$missing"; \
	    SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	    ($$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing) >/dev/null \
	      || echo "!! could not install:$$missing (voice/browser features that need them will say they are unavailable)"; \
	  else echo "!! missing Debian packages:$$missing (install them for voice and browser tests)"; fi; \
	fi

# Front-end libraries from npm (package.json), copied next to the pages; served by us, no CDN.
WEB_VENDOR := assistant/web/vendor
STAFF_VENDOR := assistant/web/staff/vendor/echarts.min.js
frontend: $(WEB_VENDOR)/.built $(STAFF_VENDOR)

# ECharts for the staff dashboard (npm package.json), next to the dashboard's own files.
$(STAFF_VENDOR): $(WEB_VENDOR)/.built
	mkdir -p $(@D)
	cp node_modules/echarts/dist/echarts.min.js $@

$(WEB_VENDOR)/.built: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo ">> installing npm (Debian)"; apt-get install -y -qq --no-install-recommends npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(WEB_VENDOR)
	cp node_modules/qrcode-generator/dist/qrcode.js $(WEB_VENDOR)/qrcode.js
	touch $@

catalogue: install
	$(PY) -m assistant catalogue generate

model: install
	$(PY) -m assistant train

run: install
	$(PY) -m assistant run

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check assistant channels actions knowledge analytics tests bench

clean:
	rm -rf models var .pytest_cache
