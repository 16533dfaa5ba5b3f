# SCIM provisioning bridge for Amazon Connect.
# `make local` runs it on the embedded Connect simulator; `make test` runs everything CI runs.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
VENV  ?= .venv
PY    := $(VENV)/bin/python
ARCH  ?= arm64
SIM_INSTANCE := 00000000-0000-4000-8000-00000000c0de
# cargo-lambda (from the venv) builds the Lambdas when the CDK app bundles them.
CDK   := PATH="$(CURDIR)/$(VENV)/bin:$$PATH" npx cdk
# Deployment settings: `make deploy KEY=value` passes `-c key=value` to the CDK
# app, whose cdk/lib/config.ts reads and checks them all (the make variable is
# the context key in UPPER_SNAKE_CASE). Single quotes keep JSON and spaces whole.
context = $(if $($(2)),-c $(1)='$(subst ','\'',$($(2)))')
CDK_CONTEXT := $(call context,arch,ARCH) \
  $(call context,instanceId,INSTANCE_ID) \
  $(call context,deprovisionMode,DEPROVISION_MODE) \
  $(call context,defaultSecurityProfile,DEFAULT_SECURITY_PROFILE) \
  $(call context,defaultRoutingProfile,DEFAULT_ROUTING_PROFILE) \
  $(call context,departmentMap,DEPARTMENT_MAP) \
  $(call context,proficiencyMap,PROFICIENCY_MAP) \
  $(call context,groupsCreateSecurityProfiles,GROUPS_CREATE_SECURITY_PROFILES) \
  $(call context,connectRateLimit,CONNECT_RATE_LIMIT) \
  $(call context,connectRateBurst,CONNECT_RATE_BURST) \
  $(call context,profileCacheSeconds,PROFILE_CACHE_SECONDS) \
  $(call context,scimBaseUrl,SCIM_BASE_URL) \
  $(call context,connectIdentityType,CONNECT_IDENTITY_TYPE) \
  $(call context,reservedConcurrency,RESERVED_CONCURRENCY) \
  $(call context,throttleRate,THROTTLE_RATE) \
  $(call context,throttleBurst,THROTTLE_BURST) \
  $(call context,tokenCacheSeconds,TOKEN_CACHE_SECONDS) \
  $(call context,authorizerReservedConcurrency,AUTHORIZER_RESERVED_CONCURRENCY) \
  $(call context,alarmTopicArn,ALARM_TOPIC_ARN) \
  $(call context,assignableSecurityProfiles,ASSIGNABLE_SECURITY_PROFILES) \
  $(call context,allowedCidrs,ALLOWED_CIDRS) \
  $(call context,webAclArn,WEB_ACL_ARN)
FUZZ_TARGETS := filter patch request
FUZZ_SECONDS ?= 15
comma := ,
AWS_ENV := $(if $(REGION),AWS_REGION=$(REGION) AWS_DEFAULT_REGION=$(REGION))
# make check-instance (and make deploy): the settings parsed and validated
# once, by cdk/lib/config.ts (check-config.ts --json), then checked against
# the instance by scripts/check_instance.py, which only reads them.
quote = '$(subst ','\'',$(1))'
CHECK_INSTANCE = settings=$$(npx tsx cdk/bin/check-config.ts --json $(CDK_CONTEXT)) && \
  $(AWS_ENV) $(PY) scripts/check_instance.py --instance-id $(call quote,$(INSTANCE_ID)) --config - <<<"$$settings"

.PHONY: help local test fuzz fuzz-tools load test-rust test-sim-wire test-sim-model test-local test-probes test-lambda test-cdk test-deploy-guard bench check fmt synth \
  test-token-script deps lambda-tools deploy destroy show-token rotate-token retire-token revoke-token adopt-user \
  check-instance smoke test-check-instance test-smoke test-local-external

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

local: ## Run the SCIM server on the embedded Connect simulator (foreground)
	$(CARGO) run --quiet -p scim-local

test: deps test-rust test-sim-wire test-sim-model test-local test-local-external test-probes test-smoke test-check-instance test-lambda test-cdk test-deploy-guard test-token-script fuzz ## Everything CI runs
	@echo "make test: all suites passed"

test-rust: ## Rust unit and integration tests (real SDK against the simulator)
	$(CARGO) test --workspace

test-sim-wire: deps ## boto3, an independent client, against the simulator binary
	$(CARGO) build --quiet -p connect-sim --bin connect-sim
	@CONNECT_SIM_PORT=18780 CONNECT_INSTANCE_ID=$(SIM_INSTANCE) target/debug/connect-sim >/dev/null & pid=$$!; \
	  trap "kill $$pid" EXIT; tests/wait-for.sh --pid $$pid --port 18780; \
	  CONNECT_ENDPOINT=http://127.0.0.1:18780 CONNECT_INSTANCE_ID=$(SIM_INSTANCE) $(PY) tests/boto3_sim.py

test-sim-model: deps ## The simulator held to Connect's service model (botocore's copy): derived cases per adapter call and per simulated routing operation (issue 18)
	$(CARGO) build --quiet -p connect-sim --bin connect-sim
	@CONNECT_SIM_PORT=18785 CONNECT_SIM_RATE=0 CONNECT_INSTANCE_ID=$(SIM_INSTANCE) target/debug/connect-sim >/dev/null & pid=$$!; \
	  trap "kill $$pid" EXIT; tests/wait-for.sh --pid $$pid --port 18785; \
	  CONNECT_ENDPOINT=http://127.0.0.1:18785 CONNECT_INSTANCE_ID=$(SIM_INSTANCE) $(PY) tests/model_conformance.py

test-local: deps ## The make-local contract end to end: curl-style SCIM in, boto3 reads Connect
	$(CARGO) build --quiet -p scim-local
	tests/with-local.sh 18781 18782 -- $(PY) tests/local_smoke.py

test-local-external: deps ## make local without its simulator: over a standalone one (AWS_ENDPOINT_URL_CONNECT), and refusing a non-loopback Connect
	$(CARGO) build --quiet -p scim-local
	$(CARGO) build --quiet -p connect-sim --bin connect-sim
	VENV=$(VENV) tests/local_external.sh 18791 18792

test-smoke: deps ## make smoke against make local (delete and disable modes), then its failures: a wrong token, a wrong path, nothing answering
	$(CARGO) build --quiet -p scim-local
	tests/with-local.sh 18786 18787 -- $(PY) tests/smoke_test.py
	DEPROVISION_MODE=disable tests/with-local.sh 18788 18789 -- $(PY) tests/smoke_test.py

test-check-instance: deps ## make check-instance against the simulator: a good configuration, a wrong instance id, missing and unassignable profiles, missing proficiencies
	$(CARGO) build --quiet -p connect-sim --bin connect-sim
	tests/check_instance_test.sh 18790

test-probes: deps ## scim2-tester and scim-sanity against make local (DEPROVISION_MODE=disable, groups may create profiles)
	$(CARGO) build --quiet -p scim-local
	DEPROVISION_MODE=disable GROUPS_CREATE_SECURITY_PROFILES=true VENV=$(VENV) tests/with-local.sh 18783 18784 -- tests/probes.sh

test-lambda: deps lambda-tools ## The handler binary under the Lambda runtime emulator, fed an API Gateway event
	$(CARGO) build --quiet -p connect-sim --bin connect-sim
	VENV=$(VENV) tests/lambda_runtime.sh

test-cdk: deps synth $(VENV)/.checkov ## CDK typecheck, lint, assertion tests; cfn-lint and checkov on the bundled synth
	npm run --silent build
	npm run --silent lint
	npm test --silent
	$(VENV)/bin/cfn-lint --non-zero-exit-code error cdk.out/ScimConnectStack.template.json
	@echo "cfn-lint: 0 errors"
	@# BC_SKIP_MAPPING: no call to Prisma Cloud for guideline links (offline, and nothing we use).
	BC_SKIP_MAPPING=TRUE $(VENV)/checkov/bin/checkov --config-file tests/checkov.yaml --file cdk.out/ScimConnectStack.template.json
	$(PY) scripts/asset_sizes.py

fuzz: fuzz-tools ## Bounded libFuzzer runs of the filter, PATCH and request-decoding targets (FUZZ_SECONDS each)
	tests/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-tools: ## cargo-fuzz (stable toolchain; targets build with --sanitizer none)
	@cargo fuzz --version >/dev/null 2>&1 || $(CARGO) install --locked cargo-fuzz --version 0.13.1

test-token-script: deps ## scripts/token_ops.py (show, rotate, retire, revoke, cache flushes) against botocore's Stubber: no AWS
	$(PY) tests/test_token_script.py

test-deploy-guard: node_modules/.installed ## make deploy refuses a missing or malformed INSTANCE_ID (or any bad setting) before touching AWS
	tests/deploy_guard.sh

bench: deps ## Benchmarks: Connect calls per op at 100/1,000/10,000 users, latency, start-up, memory, asset size, bulk onboarding
	$(CARGO) build --profile measure --quiet -p scim-handler -p authorizer -p scim-bench -p connect-sim
	@mkdir -p target/bench && rm -f target/bench/original.json
	target/measure/scim-bench
	$(if $(ORIGINAL_SRC),$(PY) scripts/bench_original.py --src "$(ORIGINAL_SRC)" --sim-bin target/measure/connect-sim \
	  --out target/bench/original.json)
	$(PY) scripts/bench_report.py target/bench

load: ## The load/fault test at full size (1,000 users, invariants checked on the simulator)
	LOAD_USERS=1000 LOAD_RATE=50 LOAD_CONCURRENCY=16 $(CARGO) test -p connect-directory --test load \
	  -- --nocapture --test-threads 1 2>&1 | grep -E '^(load|test result)'

check: deps ## fmt + clippy + CDK lint
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	npm run --silent lint

fmt: ## Format the Rust code
	$(CARGO) fmt --all

synth: deps lambda-tools ## Synthesize with the Lambdas built (cargo-lambda, release, ARCH=arm64|x86_64) into cdk.out/
	$(CDK) synth --quiet $(CDK_CONTEXT)

deploy: node_modules/.installed ## Deploy: make deploy INSTANCE_ID=<Connect instance id> [REGION=…] [SETTING=value…] (README, "Deploy")
	@# The app's own checks (cdk/lib/config.ts), run before anything is built or AWS is asked.
	@npx tsx cdk/bin/check-config.ts $(CDK_CONTEXT)
	@$(MAKE) --no-print-directory deps
	$(AWS_ENV) $(PY) scripts/preflight.py
	@# The instance and every profile the settings name (reads only), before anything is built.
	@$(CHECK_INSTANCE)
	@$(MAKE) --no-print-directory lambda-tools
	$(AWS_ENV) $(CDK) deploy ScimConnectStack $(CDK_CONTEXT) \
	  --require-approval never --outputs-file cdk.out/outputs.json
	@$(PY) -c 'import json; o = json.load(open("cdk.out/outputs.json"))["ScimConnectStack"]; \
	  print("\nSCIM tenant URL (paste into the IdP):", o["SCIMProvisioningTenantURL"]); \
	  print("Token secret:", o["TokenSecretName"], "- print the token with: make show-token" + (" REGION=$(REGION)" if "$(REGION)" else ""))'

check-instance: deps ## Before deploying: the instance, its identity type, every profile and proficiency the settings name: make check-instance INSTANCE_ID=… REGION=… [SETTING=value…]
	@test -n "$(INSTANCE_ID)" || { echo 'usage: make check-instance INSTANCE_ID=<id> REGION=<region> [SETTING=value…]' >&2; exit 2; }
	@$(CHECK_INSTANCE)

smoke: deps ## After deploying: discovery, a wrong token, a throwaway user's life, a group read: make smoke [REGION=…] (or BASE=… TOKEN=…)
	@$(AWS_ENV) $(if $(TOKEN),SMOKE_TOKEN=$(call quote,$(TOKEN))) $(PY) scripts/smoke.py $(if $(BASE),--base $(call quote,$(BASE)))

destroy: deps ## Remove the stack (token secret, API, Lambdas, disabled-agent profile). Connect users stay.
	$(AWS_ENV) $(CDK) destroy ScimConnectStack --force

show-token: deps ## Print the bearer token of the deployed stack
	@$(AWS_ENV) $(PY) scripts/token_ops.py show

rotate-token: deps ## New token becomes AWSCURRENT; the old one stays valid (AWSPREVIOUS) until retire-token. Refuses to displace a live AWSPREVIOUS unless FORCE=1
	@$(AWS_ENV) $(PY) scripts/token_ops.py rotate $(if $(filter 1 true yes,$(FORCE)),--force)

retire-token: deps ## Stop accepting the previous token, at once (flushes the authorizer's and API Gateway's caches)
	@$(AWS_ENV) $(PY) scripts/token_ops.py retire

revoke-token: deps ## Emergency: new AWSCURRENT, every other token dead at once (caches flushed); paste the new one into the IdP
	@$(AWS_ENV) $(PY) scripts/token_ops.py revoke

adopt-user: deps ## Hand existing Connect users to the bridge: make adopt-user INSTANCE_ID=… USERNAMES="a b" [REGION=…] [INCLUDE_ADMINS=1] (or ALL_MADE_BY_THE_BRIDGE=1 when upgrading)
	@test -n "$(INSTANCE_ID)" -a -n "$(USERNAMES)$(ALL_MADE_BY_THE_BRIDGE)" || { echo 'usage: make adopt-user INSTANCE_ID=<id> USERNAMES="user1 user2" [REGION=…]  (or ALL_MADE_BY_THE_BRIDGE=1)' >&2; exit 2; }
	@$(AWS_ENV) $(PY) scripts/adopt.py --instance-id $(INSTANCE_ID) $(if $(filter 1 true yes,$(INCLUDE_ADMINS)),--include-admins) \
	  $(if $(filter 1 true yes,$(ALL_MADE_BY_THE_BRIDGE)),--made-by-the-bridge) $(subst $(comma), ,$(USERNAMES))

lambda-tools: $(VENV)/.lambda-tools-$(ARCH) ## cargo-lambda (with zig) and the Lambda Rust target

$(VENV)/.lambda-tools-$(ARCH): $(VENV)/.installed
	$(VENV)/bin/pip install --quiet --disable-pip-version-check cargo-lambda==1.9.2
	rustup target add $(if $(filter x86_64,$(ARCH)),x86_64-unknown-linux-gnu,aarch64-unknown-linux-gnu)
	touch $@

deps: $(VENV)/.installed node_modules/.installed ## Install the test tools (Python venv, npm packages)

$(VENV)/.installed: tests/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	touch $@

# checkov in a venv of its own: its pins (boto3 1.35) clash with the test tools'.
$(VENV)/.checkov: tests/requirements-checkov.txt $(VENV)/.installed
	python3 -m venv $(VENV)/checkov
	$(VENV)/checkov/bin/pip install --quiet --disable-pip-version-check -r tests/requirements-checkov.txt
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@
