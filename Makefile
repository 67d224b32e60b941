# After-sales service addons for Odoo 19.0: developer commands.
# Variables: DB (demo database, default aftersales), PORT (HTTP port, default 8069),
# ODOO_SRC (an Odoo 19.0 source tree to install), PG_PORT, PYTHON. See README.md.
SHELL := /bin/bash
DEV := scripts/dev

.PHONY: run stop reset test test-odoo lint help

help:
	@echo "make run    - start the demo (PostgreSQL + Odoo on http://127.0.0.1:$${PORT:-8069})"
	@echo "make test   - install both addons in a fresh database and run every test"
	@echo "make test-odoo - run Odoo's own sale, stock, account, repair, sale_stock and survey"
	@echo "                 tests with both addons installed (a core app must keep working)"
	@echo "make lint   - run the linters (pre-commit: ruff, pylint-odoo, XML checks)"
	@echo "make stop   - stop Odoo and the private PostgreSQL cluster"
	@echo "make reset  - drop the demo database and start again"

run:
	@$(DEV) run

stop:
	@$(DEV) stop

reset:
	@$(DEV) reset

test:
	@$(DEV) test

test-odoo:
	@$(DEV) test-odoo

lint:
	@$(DEV) lint
