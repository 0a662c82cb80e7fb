# Two commands do all set-up on a fresh machine:
#   make run    build the embedded model and the index of corpus/, start the web app
#   make test   run the test suite (CI also runs `make test-slow`)
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# apt may be held by another process (unattended upgrades): wait for its lock instead of failing
APT_GET := apt-get -o DPkg::Lock::Timeout=300

.PHONY: setup run index test test-slow browser ocr office nginx setup-system clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first, pinned: the CPU build; anything else would pull CUDA wheels.
	$(PY) -m pip install --quiet torch==2.13.0
	# cluster: the distributed-build tests start a Dask scheduler and workers
	$(PY) -m pip install --quiet -e '.[test,cluster]'
	touch $(STAMP)

run: setup ocr
	$(VENV)/bin/hoidap serve

index: setup ocr
	$(VENV)/bin/hoidap index

# The browser end-to-end tests use Debian's chromium (browser downloads fail offline).
browser:
	@command -v chromium >/dev/null 2>&1 || { $(APT_GET) update -qq && $(APT_GET) install -y -qq chromium >/dev/null; }

# Scanned PDFs and images are read by Tesseract with Debian's Vietnamese data (no download at run time).
ocr:
	@tesseract --list-langs 2>/dev/null | grep -qx vie || { $(APT_GET) update -qq && $(APT_GET) install -y -qq tesseract-ocr tesseract-ocr-vie >/dev/null; }

# Old Word files (.doc, .rtf) are converted by LibreOffice: big, so only for `make test-slow` and
# machines that receive such files (run `make office` there). Impress + poppler render the handout
# page and slide pictures (slow test, scripts/render_handout.py).
office:
	@{ command -v soffice && command -v pdftoppm && dpkg -s libreoffice-impress-nogui; } >/dev/null 2>&1 || { $(APT_GET) update -qq && $(APT_GET) install -y -qq --no-install-recommends libreoffice-writer-nogui libreoffice-impress-nogui poppler-utils >/dev/null; }

# The replica test (tests/reliability/test_replicas.py, slow) runs 2 `hoidap serve` behind Debian's
# nginx, as deploy/nginx.conf does in production; the test starts it itself (no service is enabled).
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { $(APT_GET) update -qq && $(APT_GET) install -y -qq --no-install-recommends nginx >/dev/null; }

# Everything the system provides: chromium (browser tests, PDF fixtures), Tesseract (OCR).
setup-system: browser ocr

test: setup setup-system
	$(PY) -m pytest

test-slow: setup setup-system office nginx
	$(PY) -m pytest -m slow

clean:
	rm -rf .hoidap build *.egg-info
