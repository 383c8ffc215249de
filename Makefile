# Stepwise developer commands. `make help` lists them.
GO ?= go

.PHONY: help build test fuzz bench serve conformance-data

help: ## list targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

build: ## build the stepwise binary into ./bin
	$(GO) build -o bin/stepwise ./cmd/stepwise

test: ## run every test (unit, conformance, fuzz seeds); prints conformance counts
	$(GO) vet ./...
	$(GO) test -count=1 ./...
	@echo "== pass counts (AWS-recorded conformance cases, JSONata official suite)"
	@$(GO) test -count=1 -v -run 'TestRecordedExecutions|TestRecordedValidationCases|TestOfficialSuite|TestOracle|TestRecordedCases' \
		./conformance ./asl ./asl/jsonata ./teststate | grep -E '^(  [a-z]|conformance |validation cases|jsonata suite|jsonata oracle|teststate cases)' || true

fuzz: ## run every fuzz target for FUZZTIME (default 2m) each
	./scripts/fuzz.sh $${FUZZTIME:-2m}

bench: ## run the benchmarks
	$(GO) test -run '^$$' -bench . -benchmem ./...
