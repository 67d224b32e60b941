# After-sales service addons for Odoo 19.0: developer commands.
# Variables: DB (demo database, default aftersales), PORT (HTTP port, default 8069),
# WORKERS (HTTP worker processes of `make run`, default 2), DEMO_LANG (language of the
# demo's company, users and customers, default zh_CN; en_US: an English demo),
# ODOO_SRC (an Odoo 19.0 source tree to install), PG_PORT, PYTHON, UPGRADE_FROM (the
# revision make upgrade-test starts from). See README.md.
SHELL := /bin/bash
DEV := scripts/dev

.PHONY: run stop reset test upgrade-test test-odoo replica wheels lint help

help:
	@echo "make run          - start the demo (PostgreSQL + Odoo on http://127.0.0.1:$${PORT:-8069})"
	@echo "make test         - run every test: both addons in a fresh database, then the core alone"
	@echo "make upgrade-test - upgrade a database made by an old revision (UPGRADE_FROM,"
	@echo "                    default fa014a1) to the current code and check its data"
	@echo "make test-odoo    - run Odoo's own sale, stock, account, repair, sale_stock and"
	@echo "                    survey tests with both addons installed"
	@echo "make replica      - start a streaming read replica of the private PostgreSQL cluster"
	@echo "                    (make run then sends Odoo's read-only requests to it)"
	@echo "make wheels       - build the addons' wheels (odoo-addon-<name>, whool) into dist/"
	@echo "make lint         - run the linters (pre-commit: ruff, pylint-odoo, XML checks)"
	@echo "make stop         - stop Odoo and the private PostgreSQL cluster"
	@echo "make reset        - drop the demo database and start again"

run:
	@$(DEV) run

stop:
	@$(DEV) stop

reset:
	@$(DEV) reset

test:
	@$(DEV) test

upgrade-test:
	@$(DEV) upgrade-test

test-odoo:
	@$(DEV) test-odoo

replica:
	@$(DEV) replica

wheels:
	@$(DEV) wheels

lint:
	@$(DEV) lint
