# xuncha: two commands.
#   make run    set up everything and serve the demo on http://127.0.0.1:8000
#   make test   set up and run ruff, mypy and the test suite (SQLite, and PostgreSQL when
#               XUNCHA_TEST_DATABASE_URL names a server; .ci/run provides one)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint typecheck pytest pytest-postgres bench lock clean

$(VENV)/.runtime: requirements/base.txt pyproject.toml scripts/bootstrap.sh
	PYTHON=$(PYTHON) bash scripts/bootstrap.sh $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/base.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements/dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

run: $(VENV)/.runtime
	-bash scripts/ensure-fonts.sh
	$(BIN)/xuncha migrate --noinput
	$(BIN)/xuncha demo
	@echo "打开浏览器访问 http://$(HOST):$(PORT)/ ，用上面的演示账号登录。"
	$(BIN)/xuncha serve --host $(HOST) --port $(PORT)

test: $(VENV)/.dev
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-fonts.sh
	bash scripts/ensure-libreoffice.sh
	$(MAKE) --no-print-directory lint typecheck pytest pytest-postgres

lint: $(VENV)/.dev
	$(BIN)/ruff check .

typecheck: $(VENV)/.dev
	$(BIN)/mypy xuncha tests bench

pytest: $(VENV)/.dev
	@echo "== tests on SQLite =="
	env -u XUNCHA_DATABASE_URL $(BIN)/pytest --cov --cov-report=term

# The same suite on PostgreSQL, the production database. Under CI=true a missing server fails.
pytest-postgres: $(VENV)/.dev
	@if [ -n "$$XUNCHA_TEST_DATABASE_URL" ]; then \
	  echo "== tests on PostgreSQL ($$XUNCHA_TEST_DATABASE_URL) =="; \
	  XUNCHA_DATABASE_URL="$$XUNCHA_TEST_DATABASE_URL" $(BIN)/pytest -m "not browser"; \
	elif [ "$$CI" = "true" ]; then \
	  echo "CI=true but XUNCHA_TEST_DATABASE_URL is not set: PostgreSQL tests cannot be skipped in CI" >&2; \
	  exit 1; \
	else \
	  echo "== PostgreSQL tests skipped: set XUNCHA_TEST_DATABASE_URL=postgres://USER@HOST:PORT/xuncha =="; \
	fi

bench: $(VENV)/.dev
	$(BIN)/python bench/parse_bench.py
	$(BIN)/python bench/notice_bench.py
	$(BIN)/python bench/ledger_bench.py
	# Import/export of 100,000 rows on a throw-away SQLite database; on PostgreSQL too when
	# LEDGER_BENCH_DATABASE_URL names a throw-away database (it is migrated and filled).
	d=$$(mktemp -d) && XUNCHA_DATA_DIR=$$d env -u XUNCHA_DATABASE_URL $(BIN)/python bench/ledger_import_bench.py; rm -rf $$d
	if [ -n "$$LEDGER_BENCH_DATABASE_URL" ]; then d=$$(mktemp -d) && XUNCHA_DATA_DIR=$$d XUNCHA_DATABASE_URL=$$LEDGER_BENCH_DATABASE_URL $(BIN)/python bench/ledger_import_bench.py; rm -rf $$d; fi
	$(BIN)/python bench/scale_bench.py
	$(BIN)/python bench/list_bench.py
	$(BIN)/python bench/evaluation_bench.py
	$(BIN)/python bench/dashboard_bench.py
	$(BIN)/python bench/similar_bench.py
	$(BIN)/python bench/search_bench.py

# Re-pin after editing requirements/*.in (resolves in a throw-away venv).
lock:
	rm -rf /tmp/xuncha-lock && $(PYTHON) -m venv /tmp/xuncha-lock
	/tmp/xuncha-lock/bin/pip install --quiet -r requirements/base.in
	/tmp/xuncha-lock/bin/pip freeze > requirements/base.txt.new
	@echo "review requirements/base.txt.new, then move it over requirements/base.txt"

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .coverage
