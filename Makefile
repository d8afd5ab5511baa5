# The RCC pipeline. `make help` lists the targets; `make run` and `make test` do all set-up themselves.
SHELL := /bin/bash
.DEFAULT_GOAL := help

APT_PACKAGES := libxml2-dev zlib1g-dev libsqlite3-dev libjemalloc-dev sqlite3 pkg-config
CONFIG       ?= debug
SWIFT_FLAGS  := -c $(CONFIG)
BIN           = $(shell swift build $(SWIFT_FLAGS) --show-bin-path 2>/dev/null)
RCC          ?= $(BIN)/rcc
# Given RCC=path (as the tests do), the stage targets use that binary and do not build.
BUILD         = $(if $(filter command line environment,$(origin RCC)),,build)
OUT          ?= out
KEY          ?= $(OUT)/dev.key
WAREHOUSE    ?= $(OUT)/warehouse.sqlite
INPUT        ?= samples
PROFILE      ?= full
WORK         ?= $(OUT)/work
# LA=352 YEAR=2025 COLLECTION=ssda903 name the return(s) of every input, overriding folder and file names.
LA           ?=
YEAR         ?=
COLLECTION   ?=
IDENTITY      = $(if $(LA),--la $(LA)) $(if $(YEAR),--year $(YEAR)) $(if $(COLLECTION),--collection $(COLLECTION))
# REFERENCE=DIR: earlier returns under DIR/previous-year/, for the DfE rules that compare with last year.
REFERENCE    ?=
REFERENCE_OPT = $(if $(REFERENCE),--reference $(REFERENCE))

.PHONY: help deps build run ingest extract validate transform load report test clean bench

help: ## List the targets and the variables they take
	@echo "RCC pipeline. Targets:"
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'
	@echo "Variables: INPUT=$(INPUT) WAREHOUSE=$(WAREHOUSE) KEY=$(KEY) PROFILE=$(PROFILE) WORK=$(WORK) OUT=$(OUT) CONFIG=$(CONFIG) (debug|release)"
	@echo "           LA=, YEAR=, COLLECTION= (e.g. LA=352 YEAR=2025) name the return of every input, over folder and file names."
	@echo "           REFERENCE=DIR: last year's returns under DIR/previous-year/ for the rules comparing with them."
	@echo "Exit status 2 (rows quarantined, the rest kept) does not stop make; 3 (a source refused) and worse do."

deps: ## Install the system libraries the build needs (apt), when any is missing
	@missing=""; \
	for lib in libxml-2.0 zlib sqlite3 jemalloc; do pkg-config --exists $$lib 2>/dev/null || missing=yes; done; \
	command -v sqlite3 >/dev/null || missing=yes; \
	if [ -n "$$missing" ]; then \
	  echo "Installing $(APT_PACKAGES) with apt-get"; \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi
	@command -v swift >/dev/null || { echo "The Swift 6 toolchain is needed (swift not on PATH): see README.md" >&2; exit 1; }

build: deps ## Build rcc
	swift build $(SWIFT_FLAGS)

$(KEY):
	@mkdir -p $(dir $(KEY))
	@echo "No key at $(KEY): creating a development key (for samples only; a region keeps its own key safe)."
	@$(RCC) keygen --out $(KEY)

run: $(BUILD) ## Ingest INPUT (the samples) into WAREHOUSE (out/warehouse.sqlite) and print the summary
	@$(MAKE) --no-print-directory $(KEY)
	@mkdir -p $(OUT)
	@status=0; $(RCC) ingest --warehouse $(WAREHOUSE) --key-file $(KEY) --profile $(PROFILE) $(IDENTITY) $(REFERENCE_OPT) --summary $(OUT)/summary.json $(INPUT) || status=$$?; \
	case $$status in \
	  0) ;; \
	  2) echo "(exit status 2: some rows were quarantined, as the messy sample LA is meant to show; the rest loaded)";; \
	  *) exit $$status;; \
	esac
	@echo "Look at it: sqlite3 $(WAREHOUSE) 'SELECT la, COUNT(*) FROM children GROUP BY la'; the DPO's audit: make report"

# The stages one at a time, each reading the last one's output from WORK (raw values there are private,
# mode 0700, and go once transform succeeds). Status 2 means rows were quarantined: make goes on.
define stage
	@status=0; $(1) || status=$$?; if [ $$status -ne 0 ] && [ $$status -ne 2 ]; then exit $$status; fi
endef

ingest: $(BUILD) ## All four stages in one pass: rcc ingest INPUT into WAREHOUSE
	@$(MAKE) --no-print-directory $(KEY)
	@mkdir -p $(OUT)
	$(call stage,$(RCC) ingest --warehouse $(WAREHOUSE) --key-file $(KEY) --profile $(PROFILE) $(IDENTITY) $(REFERENCE_OPT) --summary $(OUT)/summary.json $(INPUT))

extract: $(BUILD) ## Stage 1: read INPUT into WORK (starts a new staged run)
	$(call stage,$(RCC) extract --work $(WORK) $(IDENTITY) $(REFERENCE_OPT) $(INPUT))

validate: $(BUILD) ## Stage 2: check WORK's records; quarantined rows to WORK/quarantine/
	$(call stage,$(RCC) validate --work $(WORK))

transform: $(BUILD) ## Stage 3: pseudonymise and coarsen under KEY and PROFILE; removes WORK's raw files
	@$(MAKE) --no-print-directory $(KEY)
	$(call stage,$(RCC) transform --work $(WORK) --key-file $(KEY) --profile $(PROFILE))

load: $(BUILD) ## Stage 4: load WORK's transformed returns into WAREHOUSE and print the summary
	@mkdir -p $(OUT)
	$(call stage,$(RCC) load --work $(WORK) --warehouse $(WAREHOUSE) --profile $(PROFILE) --summary $(OUT)/summary.json)

report: $(BUILD) ## Write the DPO's pseudonymisation audit of WAREHOUSE to out/reports/ (HTML and JSON)
	$(RCC) report dpo --warehouse $(WAREHOUSE) --key-file $(KEY) --out $(OUT)/reports

test: deps ## Build and run the tests (unit, warehouse and end to end)
	swift build $(SWIFT_FLAGS)
	RCC_BIN="$(RCC)" swift test $(SWIFT_FLAGS) --disable-xctest

clean: ## Remove build output and out/ (the warehouse, keys and run folders)
	rm -rf .build $(OUT)

ROWS         ?= 2000000

bench: deps ## Time rcc ingest and the four stages (release) on synthetic returns beside cat, gzip, xmllint, sqlite3, psql and the floors (the warehouse rcc wrote, written by sqlite3 or psql alone) (ROWS=2000000); out/bench.json
	ROWS="$(ROWS)" OUT="$(OUT)" tools/bench/run.sh
