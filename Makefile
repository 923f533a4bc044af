# Every target builds or refreshes .venv by itself, from nothing.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEMO_STORE ?= .demo/npsdesk-demo.sqlite

.PHONY: run demo test check bench format clean postgres imap

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "npsdesk needs Python 3.11 or newer ($(PYTHON) is older)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

# Builds the demo store from data/ (idempotent) and opens the desk on it.
run: $(STAMP)
	@mkdir -p $(dir $(DEMO_STORE))
	$(VENV)/bin/npsdesk --store $(DEMO_STORE) demo
	$(VENV)/bin/npsdesk --store $(DEMO_STORE)

# The team-store tests need a PostgreSQL server's binaries (Debian's postgresql package);
# the tests start their own throwaway server on loopback. Installed here when missing.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || { \
		echo "installing PostgreSQL (Debian package postgresql) for the team-store tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
			postgresql postgresql-contrib >/dev/null; }

# The customer-reply tests need an IMAP server's binary (Debian's dovecot-imapd); the tests
# start their own throwaway Dovecot on loopback (tests/imap_server.py). Installed when missing.
imap:
	@command -v dovecot >/dev/null || [ -x /usr/sbin/dovecot ] || { \
		echo "installing Dovecot (Debian package dovecot-imapd) for the customer-reply tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
			dovecot-imapd >/dev/null; }

# One test process per core (pytest-xdist), each with its own throwaway servers.
test: $(STAMP) postgres imap
	NPSDESK_TEST_PG=required NPSDESK_TEST_IMAP=required $(PY) -m pytest -q -n auto --dist worksteal

check: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The team-store part runs on a throwaway PostgreSQL server, as the tests do.
bench: $(STAMP) postgres
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .demo bench/.cache .pytest_cache .mypy_cache .ruff_cache
