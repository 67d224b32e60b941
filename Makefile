# After-sales service addons for Odoo 19.0: developer commands.
# Variables: DB (demo database, default aftersales), PORT (HTTP port, default 8069),
# WORKERS (HTTP worker processes of `make run`, default 2),
# ODOO_SRC (an Odoo 19.0 source tree to install), PG_PORT, PYTHON. See README.md.
SHELL := /bin/bash
DEV := scripts/dev

.PHONY: run stop reset test lint help

help:
	@echo "make run    - start the demo (PostgreSQL + Odoo on http://127.0.0.1:$${PORT:-8069})"
	@echo "make test   - install both addons in a fresh database and run every test"
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

lint:
	@$(DEV) lint
