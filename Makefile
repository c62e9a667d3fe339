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

# pip's output as a new user should see it: one progress line while packages are resolved, a
# count once they are installed, and every error and unexpected line as pip printed it. Dropped:
# the notices this machine's pip configuration causes on every package (an extra index location
# that does not exist: "WARNING: Location '...' is ignored"), the resolver's "this is taking
# longer" notes, and what is already installed. stderr is read too (pip writes its notices there);
# pipefail keeps pip's exit status.
PIP_OUTPUT := awk '\
  /^WARNING: Location .* is ignored|^Requirement already satisfied|^INFO: (pip is|This is taking)|^Looking in (indexes|links)|^  |^$$/ {next} \
  /^(Collecting|Processing|Obtaining|Downloading|Using cached) / {n++; printf "\r   %d packages resolved (%s)          ", n, $$2; fflush(); next} \
  /^Successfully installed/ {if (n) printf "\n"; n=0; printf "   installed %d packages\n", NF-2; fflush(); next} \
  {if (n) printf "\n"; n=0; print; fflush()} END {if (n) printf "\n"}'

.PHONY: help venv install system-deps frontend catalogue model run test lint clean

help:
	@echo "make run   - set up (venv, install, model, demo data) and start the assistant"
	@echo "make test  - set up and run the whole test suite"

$(PY):
	@if [ -z "$(PYTHON310)" ]; then echo "Python 3.10 is required (Rasa 3.6): install it or pyenv install 3.10"; exit 1; fi
	@echo ">> creating $(VENV) with $(PYTHON310)"
	@$(PYTHON310) -m venv $(VENV)
	@set -o pipefail; $(PY) -m pip install --quiet --upgrade "pip<25" wheel "setuptools<71" 2>&1 | $(PIP_OUTPUT)

$(STAMP): $(PY) pyproject.toml requirements-voice.txt
	@echo ">> installing Python packages (first time: a few minutes)"
	@set -o pipefail; $(PY) -m pip install --progress-bar off -e ".[dev]" 2>&1 | $(PIP_OUTPUT)
	@set -o pipefail; $(PY) -m pip install --progress-bar off --no-deps --require-hashes -r requirements-voice.txt 2>&1 | $(PIP_OUTPUT)
	@$(PY) -c "import rasa, fastapi, pyspark" && touch $(STAMP)

install: $(STAMP) system-deps frontend

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; then \
	    echo ">> installing Debian packages:$$missing"; \
	    SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	    log=$$(mktemp); \
	    ($$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing) >$$log 2>&1 \
	      || { tail -20 $$log; echo "!! could not install:$$missing (voice/browser features that need them will say they are unavailable)"; }; \
	    rm -f $$log; \
	  else echo "!! missing Debian packages:$$missing (install them for voice and browser tests)"; fi; \
	fi

# Front-end libraries from npm (package.json), copied next to the pages; served by us, no CDN.
WEB_VENDOR := assistant/web/vendor
STAFF_VENDOR := assistant/web/staff/vendor/echarts.min.js
frontend: $(WEB_VENDOR)/.built $(STAFF_VENDOR)

# ECharts for the staff dashboard (npm package.json), next to the dashboard's own files.
$(STAFF_VENDOR): $(WEB_VENDOR)/.built
	@mkdir -p $(@D)
	@cp node_modules/echarts/dist/echarts.min.js $@

$(WEB_VENDOR)/.built: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo ">> installing npm (Debian)"; apt-get install -y -qq --no-install-recommends npm >/dev/null; }
	@echo ">> installing the web pages' libraries (npm)"
	@npm ci --no-audit --no-fund --loglevel=error >/dev/null
	@mkdir -p $(WEB_VENDOR)
	@cp node_modules/qrcode-generator/dist/qrcode.js $(WEB_VENDOR)/qrcode.js
	@touch $@

catalogue: install
	$(PY) -m assistant catalogue generate

model: install
	$(PY) -m assistant train

run: install
	@$(PY) -m assistant run

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check assistant channels actions knowledge analytics tests bench

clean:
	rm -rf models var .pytest_cache
