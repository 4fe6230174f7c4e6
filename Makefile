# The platform's commands. Set-up needs only two: `make run` and `make test`.
SHELL := /bin/bash
PY := .venv/bin/python
VENV_STAMP := .venv/.installed
KAFKA := deploy/local/kafka.sh
PG := deploy/local/postgres.sh
# The test suite runs its own broker beside the one of `make run`.
TEST_KAFKA_ENV := KAFKA_PORT=19092 KAFKA_CONTROLLER_PORT=19093 KAFKA_DATA_DIR=$(CURDIR)/.data/test-kafka-19092
# The benchmarks start from an empty broker of their own, so earlier runs do not weigh on the figures.
BENCH_KAFKA_PORT := 19292
BENCH_KAFKA_DATA := $(CURDIR)/.data/test-kafka-$(BENCH_KAFKA_PORT)
BENCH_KAFKA_ENV := KAFKA_PORT=$(BENCH_KAFKA_PORT) KAFKA_CONTROLLER_PORT=19293 KAFKA_DATA_DIR=$(BENCH_KAFKA_DATA)

.PHONY: run stop test test-unit migrate topics bench contracts demo-caf-fact clean venv

venv: $(VENV_STAMP)
$(VENV_STAMP): pyproject.toml
	@command -v python3 >/dev/null || { echo "error: python3 (3.11+) is required" >&2; exit 1; }
	@test -x $(PY) || python3 -m venv .venv
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -e '.[dev]'
	@touch $@

## run: start Kafka, every service and the gateway on SQLite, then print how to call the API
run: venv
	@$(KAFKA) start
	@$(PY) -m services.core.broker ensure-topics --bootstrap 127.0.0.1:9092 --credentials .data/kafka/credentials
	@$(MAKE) --no-print-directory migrate
	@# The local demo's webhook receivers listen on this machine: allowed past the SSRF rule, here only.
	@WEBHOOKS_ALLOWED_HOSTS="$${WEBHOOKS_ALLOWED_HOSTS-127.0.0.1,localhost}" deploy/local/platform.sh start
	@$(PY) deploy/local/quickstart.py

## stop: stop everything `make run` started
stop:
	@deploy/local/platform.sh stop
	@$(KAFKA) stop

## migrate: apply each service's alembic migrations to its own database (services of deploy/services.yaml)
migrate: venv
	@$(PY) -m services.core.migrations

## demo-caf-fact: a CAF tells the platform it opened an RSA right; a pre-registration appears
demo-caf-fact: venv
	@$(PY) deploy/local/send_partner_fact.py deploy/local/demo/caf-rsa-opening.json

## test: the whole suite: unit, integration (SQLite and PostgreSQL, real Kafka), end-to-end, contract
test: venv
	@deploy/local/tools.sh
	@tests/contract/spectral/install.sh
	@tests/e2e/axe/install.sh
	@services/indicators/referentials/npm/install.sh
	@$(PG) start
	@$(TEST_KAFKA_ENV) $(KAFKA) start
	@set -o pipefail; TEST_KAFKA_PORT=19092 TEST_DATABASE_URL="$$($(PG) url)" \
	  $(PY) -m pytest services gateway tests -p no:cacheprovider --durations=30; \
	  status=$$?; $(TEST_KAFKA_ENV) $(KAFKA) stop >/dev/null; $(PG) stop >/dev/null; exit $$status

## test-unit: the fast domain tests only (no broker, no database server)
test-unit: venv
	@services/indicators/referentials/npm/install.sh
	@$(PY) -m pytest services gateway -m "not integration and not e2e" -q

## bench: throughput and latency figures (prints, asserts nothing about time), on a fresh broker; first
## the goals of docs/performance.md against a bare app, nginx and the starting commit, measured with wrk.
## One part alone: make bench PART=baseline (or baseline-reads, the serving path's ratios in a minute or two)
BENCH_PARTS := baseline registration journey offers profiles sanctions indicators webhooks
bench_script = $(if $(filter baseline-reads,$(1)),tests/bench/bench_baseline.py reads,tests/bench/bench_$(1).py)
bench: venv
	@$(PG) start >/dev/null
	@$(BENCH_KAFKA_ENV) $(KAFKA) stop >/dev/null 2>&1 || true
	@rm -rf $(BENCH_KAFKA_DATA)
	@$(BENCH_KAFKA_ENV) $(KAFKA) start
	@export TEST_KAFKA_PORT=$(BENCH_KAFKA_PORT) TEST_DATABASE_URL="$$($(PG) url)"; \
	  $(foreach part,$(or $(PART),$(BENCH_PARTS)),$(PY) $(call bench_script,$(part)) && ) true; \
	  status=$$?; $(BENCH_KAFKA_ENV) $(KAFKA) stop >/dev/null; $(PG) stop >/dev/null; exit $$status

## contracts: regenerate contracts-openapi/ from the services (review the diff before committing)
contracts: venv
	@$(PY) -m tests.support.contracts write

clean: stop
	rm -rf .data
