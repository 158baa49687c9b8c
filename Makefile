# landwater: two commands, `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# uv installs the venv's packages (from PyPI, as pip would) in seconds where pip takes a minute
UV_INSTALL := $(PY) -m uv pip install --quiet --python $(PY)
DEMO   := var/demo
TEST_DEMO := var/test-demo
TEST_DEMO_ENV := LANDWATER_TEST_DEMO=$(CURDIR)/$(TEST_DEMO)
BUILD_CACHE := NUMBA_CACHE_DIR=$(CURDIR)/var/numba-cache/build
HOST   ?= 127.0.0.1
PORT   ?= 8050
# pytest workers of make test: the suite keeps both cores busy with 2 to 4 (servers, browsers and
# subprocesses work while a worker waits); each worker adds its own collection, browser and
# server, and beside a CPU-heavy process 2, 3 and 4 workers took 600, 602 and 616-624 s
TEST_WORKERS ?= 3
# Python writes the bytecode of what it imports, so each later process (a test worker, a
# `landwater` subprocess, a server) skips compiling pandas, dash etc. from source: about 3.5 s of
# CPU per process on a fresh venv, where an environment setting PYTHONDONTWRITEBYTECODE=1 left
# every process compiling them anew
unexport PYTHONDONTWRITEBYTECODE
# numpy's huge pages off, as `landwater` and the WSGI entry set them
# (processing/kernels/numpy_env.py): pytest imports numpy before any of the project's modules
export NUMPY_MADVISE_HUGEPAGE := 0
# glibc keeps freed arrays of up to 32 MB in the heap for the next one instead of returning them
# to the kernel and faulting in fresh zeroed pages: on two routing and strip test files, system
# time 52 -> 33 s and page faults 1.67 M -> 0.44 M, the same user time
export MALLOC_MMAP_THRESHOLD_ := 33554432
export MALLOC_TRIM_THRESHOLD_ := 536870912
export MALLOC_TOP_PAD_ := 67108864

.PHONY: run test suite test-demo numba-warm test-fast lint typecheck bench demo browser-deps postgis-deps clean

$(VENV)/.stamp-run: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet uv
	$(UV_INSTALL) -e .
	touch $@

$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp-run
	$(UV_INSTALL) -e '.[test]'
	touch $@

$(DEMO)/region.toml: | $(VENV)/.stamp-run
	$(VENV)/bin/landwater demo --out $(DEMO)

demo: $(DEMO)/region.toml

## Serve the demo region at http://$(HOST):$(PORT)
run: $(VENV)/.stamp-run $(DEMO)/region.toml
	$(VENV)/bin/landwater serve $(DEMO) --host $(HOST) --port $(PORT)

## Install Debian's chromium + chromium-driver when missing (and when we may: root with apt)
browser-deps:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; \
	else echo "chromium missing and cannot apt-get install it: browser tests will be skipped"; fi

## Install Debian's PostgreSQL server + PostGIS when missing (and when we may: root with apt);
## the workspace tests start a throwaway server from them (tests/pg_cluster.py)
postgis-deps:
	@if ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15 postgresql-15-postgis-3; \
	else echo "PostgreSQL + PostGIS missing and cannot apt-get install them: the workspace tests on PostgreSQL will be skipped"; fi

## Lint, type-check and run the whole suite, browser tests included
test: $(VENV)/.stamp-test browser-deps postgis-deps
	$(MAKE) --no-print-directory -j3 lint typecheck suite

# pytest beside ruff and mypy, so both cores stay busy: once numba's cache is warm, the demo build
# starts in the background and the workers start with it (a test on the demo waits for it)
suite: numba-warm
	$(BUILD_CACHE) $(PY) -m tests.demo_build start $(CURDIR)/$(TEST_DEMO)
	$(TEST_DEMO_ENV) $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

## Compile routing's pysheds routines and the project's kernels into the numba cache every test
## worker starts from, and collect the tests once so the bytecode of every module they import
## (with pytest's rewritten asserts) is written before the workers start (about 25 s)
numba-warm: $(VENV)/.stamp-test
	$(BUILD_CACHE) $(PY) -m tests.demo_build warm

## The processed demo the tests copy (make test builds it in the background as pytest starts)
test-demo: $(VENV)/.stamp-test
	$(BUILD_CACHE) $(PY) -m tests.demo_build build $(CURDIR)/$(TEST_DEMO)

## Development lane (under 2 minutes): lint, then every test not marked slow or browser
test-fast: $(VENV)/.stamp-test
	$(VENV)/bin/ruff check landwater layers processing dashboard tests benchmarks
	$(PY) -m pytest -m "not slow and not browser"

lint: $(VENV)/.stamp-test
	$(VENV)/bin/ruff check landwater layers processing dashboard tests benchmarks
	$(VENV)/bin/ruff format --check landwater layers processing dashboard tests benchmarks

typecheck: $(VENV)/.stamp-test
	$(VENV)/bin/mypy

bench: $(VENV)/.stamp-test
	$(UV_INSTALL) -e '.[test,serve]'
	$(PY) benchmarks/run_all.py

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
