# SCIM provisioning bridge for Amazon Connect.
# `make local` runs it on the embedded Connect simulator; `make test` runs everything CI runs.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
VENV  ?= .venv
PY    := $(VENV)/bin/python
SIM_INSTANCE := 00000000-0000-4000-8000-00000000c0de

.PHONY: help local test test-rust test-sim-wire test-local test-probes test-cdk check fmt synth deps

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

local: ## Run the SCIM server on the embedded Connect simulator (foreground)
	$(CARGO) run --quiet -p scim-local

test: deps test-rust test-sim-wire test-local test-probes test-cdk ## Everything CI runs
	@echo "make test: all suites passed"

test-rust: ## Rust unit and integration tests (real SDK against the simulator)
	$(CARGO) test --workspace

test-sim-wire: deps ## boto3, an independent client, against the simulator binary
	$(CARGO) build --quiet -p connect-sim --bin connect-sim
	@CONNECT_SIM_PORT=18780 CONNECT_INSTANCE_ID=$(SIM_INSTANCE) target/debug/connect-sim >/dev/null & pid=$$!; \
	  trap "kill $$pid" EXIT; sleep 0.5; \
	  CONNECT_ENDPOINT=http://127.0.0.1:18780 CONNECT_INSTANCE_ID=$(SIM_INSTANCE) $(PY) tests/boto3_sim.py

test-local: deps ## The make-local contract end to end: curl-style SCIM in, boto3 reads Connect
	$(CARGO) build --quiet -p scim-local
	tests/with-local.sh 18781 18782 -- $(PY) tests/local_smoke.py

test-probes: deps ## scim2-tester and scim-sanity against make local (DEPROVISION_MODE=disable)
	$(CARGO) build --quiet -p scim-local
	DEPROVISION_MODE=disable VENV=$(VENV) tests/with-local.sh 18783 18784 -- tests/probes.sh

test-cdk: deps ## CDK typecheck, lint, assertion tests and a cdk-nag synth
	npm run --silent build
	npm run --silent lint
	npm test --silent
	npx cdk synth --quiet >/dev/null

check: deps ## fmt + clippy + CDK lint
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	npm run --silent lint

fmt: ## Format the Rust code
	$(CARGO) fmt --all

synth: deps ## Synthesize the CloudFormation template into cdk.out/
	npx cdk synth --quiet

deps: $(VENV)/.installed node_modules/.installed ## Install the test tools (Python venv, npm packages)

$(VENV)/.installed: tests/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@
