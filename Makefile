# HoiCCB: `make run` to work in the app, `make test` to check everything.
SHELL := /bin/bash
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/hoiccb
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PY := .venv/bin/python
DEMO_PASSWORD ?= hoiccb-demo
export DEMO_PASSWORD

.PHONY: install install-browser run worker test test-sqlite test-postgres lint bench clean cluster cluster-test cluster-stop bench-load

$(UV):
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv

install: $(UV)
	@scripts/install-system-deps.sh
	@$$(command -v uv || echo $(UV)) sync --frozen --quiet

install-browser: install
	@scripts/install-system-deps.sh --browser || echo "!!! Không cài được chromium: các bài kiểm thử trình duyệt sẽ bị bỏ qua."

run: install
	@set -e; export DEBUG=1; \
	$(PY) manage.py migrate --no-input -v0; \
	$(PY) manage.py seed_demo --if-empty; \
	scripts/supervise $(PY) manage.py db_worker --queue-name default & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	echo ""; \
	echo "  HoiCCB đang chạy tại http://127.0.0.1:$(PORT)/  (Ctrl+C để dừng)"; \
	echo "  Tài khoản mẫu: admin (toàn hệ thống), khoi (BTV Hội CCB Khối),"; \
	echo "                 coso1, coso2 (Chủ tịch hai Hội CCB cơ sở) — mật khẩu: $(DEMO_PASSWORD)"; \
	echo ""; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(PY) scripts/import-graph.py
	DEBUG=1 .venv/bin/mypy
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=1 $(PY) manage.py check

test: install-browser lint test-sqlite test-postgres

# Tests build on the development settings (DEBUG=1: no HTTPS redirect, plain static
# storage); pytest-django still runs every test with settings.DEBUG = False.
test-sqlite:
	@echo "=== Bộ kiểm thử trên SQLite ==="
	env -u DATABASE_URL DEBUG=1 .venv/bin/pytest

test-postgres:
	@if DATABASE_URL=$(PG_TEST_URL) $(PY) scripts/pg-available.py; then \
	  echo "=== Bộ kiểm thử trên PostgreSQL ($(PG_TEST_URL)) ==="; \
	  DATABASE_URL=$(PG_TEST_URL) DEBUG=1 .venv/bin/pytest; \
	else \
	  echo ""; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo "!!! PostgreSQL KHÔNG CÓ tại $(PG_TEST_URL): bộ kiểm thử CHƯA chạy trên PostgreSQL."; \
	  echo "!!! PostgreSQL is ABSENT: the suite did NOT run on PostgreSQL."; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  if [ -n "$$CI" ]; then exit 1; fi; \
	fi

bench: install
	DEBUG=1 $(PY) bench/members.py --db sqlite --members 200000

# A local cluster (README "Triển khai nhiều máy"): PostgreSQL primary + replica, PgBouncer, Redis,
# an S3-compatible store, two gunicorn web processes behind HAProxy, two workers.
cluster: install
	@scripts/cluster.sh start

cluster-test: install
	@scripts/cluster.sh test

cluster-stop:
	@scripts/cluster.sh stop

# The same bounded load against the cluster and against one machine (runserver-free gunicorn on SQLite).
bench-load: install
	@scripts/cluster.sh start >/dev/null && scripts/cluster.sh revive
	$(PY) bench/load.py

clean:
	rm -rf var/ .venv/
