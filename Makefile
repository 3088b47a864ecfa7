# Both entry points bootstrap .venv idempotently: it is rebuilt when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint vendor clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/tournee run

# The suite on SQLite and, when TOURNEE_TEST_POSTGRES_URL names a server the tests may create
# databases on, the same whole suite (Chromium tests included) on PostgreSQL at the same time
# (each pass its own databases, temporary folder, ports and Redis prefixes; the two keep both
# cores busy while the other waits on browsers and servers). Either pass failing fails the
# target.
PG_LOG := .pytest-postgresql.log

test: $(STAMP)
	$(BIN)/ruff check app tests bench scripts
	@if [ -n "$$TOURNEE_TEST_POSTGRES_URL" ]; then \
		echo "== the suite on SQLite, and on PostgreSQL beside it (its output: $(PG_LOG))"; \
		TOURNEE_TEST_BACKEND=postgresql $(BIN)/python -m pytest -q -p no:cacheprovider \
			--basetemp="$${TMPDIR:-/tmp}/tournee-pytest-pg-$$$$" > $(PG_LOG) 2>&1 & pg=$$!; \
		$(BIN)/python -m pytest -q; sqlite=$$?; \
		wait $$pg; postgres=$$?; \
		echo "== the same suite on PostgreSQL"; cat $(PG_LOG); \
		test $$sqlite -eq 0 -a $$postgres -eq 0; \
	else \
		echo "== TOURNEE_TEST_POSTGRES_URL unset: the PostgreSQL pass is skipped"; \
		$(BIN)/python -m pytest -q; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check app tests bench scripts

vendor:
	scripts/vendor.sh

clean:
	rm -rf $(VENV) instance/*.db* .pytest_cache $(PG_LOG)
