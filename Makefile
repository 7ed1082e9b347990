# cloudplatform.aws: set-up, quick start and the test command.
# Needs only python3 (3.11+), make and git; everything else is installed into .venv.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COLLECTION_LINK := .cache/collections/ansible_collections/cloudplatform/aws
EMULATOR := $(BIN)/python tools/emulator.py run
export PATH := $(CURDIR)/$(BIN):$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg

.PHONY: setup deploy test lint sanity unit integration molecule bench clean

setup: $(STAMP) $(COLLECTION_LINK)

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# The collection is used in place: ansible resolves cloudplatform.aws.* through this link.
$(COLLECTION_LINK):
	mkdir -p $(dir $@)
	ln -sfn $(CURDIR) $@

## Quick start: deploy the whole stack into a local emulator and print a summary.
deploy: setup
	$(EMULATOR) -- bash -c 'ansible-playbook site.yml -i inventories/local && ansible-playbook playbooks/summary.yml -i inventories/local'

## The full test suite (what CI runs). The static gates first; then the integration tests and the
## Molecule scenario side by side, each against its own emulators (output printed as each ends).
test: setup lint sanity unit
	$(MAKE) --no-print-directory -j2 --output-sync=target integration molecule
	@echo "all quality gates passed"

lint: setup
	yamllint --strict .
	ruff check plugins tests tools
	ansible-lint --profile production

sanity: setup
	$(BIN)/python tools/sanity.py

unit: setup
	$(BIN)/python -m pytest -q tests/unit

# Two workers, one test file each at a time; each worker starts (and stops) its own emulator.
integration: setup
	$(BIN)/python -m pytest -q -n 2 --dist loadfile --durations=25 -p no:cacheprovider tests/integration

molecule: setup
	$(EMULATOR) --log .cache/emulator/molecule.jsonl -- molecule test -s default

bench: setup
	$(BIN)/python tools/benchmark.py

clean:
	rm -rf .cache tests/output
