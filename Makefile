# The portal's everyday commands. `make help` lists them.
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.DEFAULT_GOAL := help
.PHONY: help install browser-tools run test bench lint format check messages

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# The runtime dependencies at the versions of requirements.lock (what the Dockerfile installs):
# the tests run on what is deployed. The test tools are free.
$(VENV)/.installed: pyproject.toml requirements.lock
	@base=$$(scripts/find-python) || exit 1; \
	  [ -x $(PY) ] || $$base -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --constraint requirements.lock -e ".[dev]"
	@touch $@

install: $(VENV)/.installed ## Create the virtual environment and install the dependencies

run: export DEBUG = on
run: install ## Migrate, load the newsletter, then serve on http://127.0.0.1:8000/ with the task worker (DEBUG on)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_newsletter
	$(PY) manage.py make_sample_meetings
	$(PY) manage.py make_sample_participants
	$(PY) manage.py create_demo_coordinator --base-url http://$(HOST)
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST)

# One worker per core (pytest-xdist), each with its own test database (SQLite: its own file;
# PostgreSQL: test_<name>_gw0, _gw1…). TEST_WORKERS=0 runs in one process. TEST_ARGS goes to
# pytest as it is (a folder, -k, --ignore…).
TEST_WORKERS ?= auto
test: install browser-tools ## Run the whole test suite, browser tests included, on every core (SQLite, or DATABASE_URL when set)
	$(PY) -m pytest -n $(TEST_WORKERS) $(TEST_ARGS)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

browser-tools: ## Check Chromium, Java and Node; install axe-core and vnu-jar from npm
	@scripts/check-browser-tools
	@$(MAKE) --no-print-directory node_modules/.package-lock.json

# SCALES, ROUNDS and DURATION (seconds of each wrk run; of each phase with FAULT=db) shorten it:
# CI runs `make bench SCALES=1 ROUNDS=1 DURATION=1` and `make bench FAULT=db DURATION=2`.
bench: install ## Pages under load (gunicorn, wrk) at 1x, 10x, 100x data against a bare view, then the open data's streamed exports; FAULT=db stops the database under load
	@command -v wrk >/dev/null || { echo "make bench needs wrk (apt-get install wrk)."; exit 1; }
	$(if $(filter db,$(FAULT)),$(PY) scripts/bench_fault.py $(if $(DURATION),--duration $(DURATION)),$(PY) scripts/bench.py $(if $(SCALES),--scales $(SCALES)) $(if $(ROUNDS),--rounds $(ROUNDS)) $(if $(DURATION),--duration $(DURATION)) && $(PY) scripts/bench_exports.py $(if $(SCALES),--scales $(SCALES)))

lint: export DEBUG = on
# The same checks as the commit hooks of .pre-commit-config.yaml (tests/test_lint.py compares them).
lint: install ## ruff (lint and format check), django-upgrade, djLint, migrations in step with the models, the floors (import-linter), the lock file
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	find . \( -name .venv -o -name node_modules \) -prune -o -name '*.py' -print0 | xargs -0 $(VENV)/bin/django-upgrade --target-version 6.1 --check
	$(VENV)/bin/djlint --lint templates */templates
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/lock-requirements --check

format: install ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: ## Compile our corrections of Django's French (locale/fr/*.po) to the .mo files beside them (gettext's msgfmt)
	@command -v msgfmt >/dev/null || { echo "make messages needs msgfmt (apt-get install gettext)."; exit 1; }
	@for po in locale/*/LC_MESSAGES/*.po; do msgfmt --check -o "$${po%.po}.mo" "$$po" || exit 1; done

check: install ## Django's deployment checks with production-like settings
	DEBUG=off SECRET_KEY=check-only-$$(date +%s)-not-a-real-secret-key-0123456789abcdef \
	  ALLOWED_HOSTS=example.org EMAIL_URL=smtp://localhost:25 SITE_URL=https://example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING

.PHONY: screenshots
screenshots: install browser-tools ## Full-page PNGs of the main pages and the admin (1280 and 360 px) in docs/screenshots/
	$(PY) -m pytest tests/browser/screenshots.py -q
