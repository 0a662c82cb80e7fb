# Two commands do all set-up on a fresh machine:
#   make run    build the embedded model and the index of corpus/, start the web app
#   make test   run the test suite (CI also runs `make test-slow`)
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup run index test test-slow browser clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first, pinned: the CPU build; anything else would pull CUDA wheels.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: setup
	$(VENV)/bin/hoidap serve

index: setup
	$(VENV)/bin/hoidap index

# The browser end-to-end tests use Debian's chromium (browser downloads fail offline).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

test: setup browser
	$(PY) -m pytest

test-slow: setup browser
	$(PY) -m pytest -m slow

clean:
	rm -rf .hoidap build *.egg-info
