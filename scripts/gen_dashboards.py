"""Write the spreadsheet dashboards the addons ship as data (Odoo's spreadsheet_dashboard).

Usage: python3 scripts/gen_dashboards.py [--check]

The dashboards are o-spreadsheet documents (JSON) under each addon's ``data/files/``; this
script is their source, so that a change is reviewed as Python and the JSON is regenerated:
``--check`` fails when a file differs from what the script writes (the test of the addon
checks, in a database, that every pivot and chart reads a model and fields that exist).
Every chart and pivot reads a report model (``aftersales.kpi.report``,
``aftersales.satisfaction.report``): their record rules apply, each user sees their teams.
The texts are English; ``_t("...")`` cells and chart titles are translated from the addon's
``i18n/zh_CN.po`` when the dashboard is shown.
"""

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
KPI = "aftersales.kpi.report"
SATISFACTION = "aftersales.satisfaction.report"
TEAM_FILTER = "a5e1c7d0-team"
PERIOD_FILTER = "a5e1c7d0-period"
ROWS_PER_BLOCK = 16  # a chart of 340 px, or a title and a pivot of 12 rows, then a gap
STYLES = {
    "1": {"bold": True, "fontSize": 16, "textColor": "#01666B"},
    "2": {"bold": True, "fontSize": 11, "textColor": "#434343"},
}


def field_matching(date_field="date"):
    return {
        TEAM_FILTER: {"chain": "team_id", "type": "many2one"},
        PERIOD_FILTER: {"chain": date_field, "type": "datetime", "offset": 0},
    }


class Dashboard:
    """A one-sheet dashboard: a title, then blocks (a chart, or a title and a pivot)."""

    def __init__(self, title):
        self.cells, self.cell_styles = {"A1": f'=_t("{title}")'}, {"A1": 1}
        self.figures, self.pivots, self.row = [], {}, 2

    def chart(self, key, title, model, group_by, measure, mode="bar", domain=(), **options):
        date_field = options.pop("date_field", "date")
        self.figures.append(
            {
                "id": key,
                "col": 0,
                "row": self.row,
                "offset": {"x": 0, "y": 0},
                "width": 1000,
                "height": 340,
                "tag": "chart",
                "data": {
                    "chartId": key,
                    "type": f"odoo_{mode}",
                    "title": {"text": title, "bold": True, "color": "#434343"},
                    "background": "#FFFFFF",
                    "legendPosition": "top" if len(group_by) > 1 else "none",
                    "metaData": {
                        "groupBy": list(group_by),
                        "measure": measure,
                        "order": None,
                        "resModel": model,
                        "mode": mode,
                    },
                    "searchParams": {
                        "comparison": None,
                        "context": {},
                        "domain": list(domain),
                        "groupBy": list(group_by),
                        "orderBy": [],
                    },
                    "dataSets": [],
                    "verticalAxisPosition": "left",
                    "stacked": options.get("stacked", False),
                    "cumulative": False,
                    "fieldMatching": field_matching(date_field),
                },
            }
        )
        self.row += ROWS_PER_BLOCK

    def pivot(self, title, model, rows, columns, measures, domain=(), **options):
        pivot_id = str(len(self.pivots) + 1)
        self.pivots[pivot_id] = {
            "type": "ODOO",
            "id": pivot_id,
            "formulaId": pivot_id,
            "name": title,
            "model": model,
            "domain": list(domain),
            "context": {},
            "rows": [{"fieldName": name} for name in rows],
            "columns": [{"fieldName": name} for name in columns],
            "measures": [{"id": m, "fieldName": m, "aggregator": a} for m, a in measures],
            "sortedColumn": {"measure": measures[0][0], "order": "desc", "domain": []}
            if options.get("sorted")
            else None,
            "fieldMatching": field_matching(options.get("date_field", "date")),
        }
        self.cells[f"A{self.row + 1}"] = f'=_t("{title}")'
        self.cell_styles[f"A{self.row + 1}"] = 2
        self.cells[f"A{self.row + 2}"] = f"=PIVOT({pivot_id}, 12)"
        self.row += ROWS_PER_BLOCK

    def data(self, name):
        return {
            "version": "18.5.10",
            "sheets": [
                {
                    "id": "sheet1",
                    "name": name,
                    "colNumber": 12,
                    "rowNumber": self.row + 2,
                    "rows": {},
                    "cols": {"0": {"size": 300}},
                    "merges": [],
                    "cells": self.cells,
                    "styles": self.cell_styles,
                    "formats": {},
                    "borders": {},
                    "conditionalFormats": [],
                    "dataValidationRules": [],
                    "figures": self.figures,
                    "tables": [],
                    "areGridLinesVisible": False,
                    "isVisible": True,
                    "headerGroups": {"ROW": [], "COL": []},
                    "comments": {},
                }
            ],
            "styles": STYLES,
            "formats": {},
            "borders": {},
            "revisionId": "START_REVISION",
            "uniqueFigureIds": True,
            "settings": {},
            "pivots": self.pivots,
            "pivotNextId": len(self.pivots) + 1,
            "customTableStyles": {},
            "globalFilters": [
                {"id": PERIOD_FILTER, "type": "date", "label": "Period"},
                {
                    "id": TEAM_FILTER,
                    "type": "relation",
                    "label": "Team",
                    "modelName": "aftersales.team",
                    "defaultValueDisplayNames": [],
                },
            ],
            "lists": {},
            "listNextId": 1,
            "chartOdooMenusReferences": {},
        }


def service_dashboard():
    board = Dashboard("After-Sales Service")
    board.chart("a5e1-opened", "Tickets opened per week", KPI, ["date:week"], "ticket_count")
    board.chart(
        "a5e1-closed",
        "Tickets closed per week",
        KPI,
        ["closed_date:week"],
        "closed_count",
        domain=[["is_closed", "=", True]],
        date_field="closed_date",
    )
    board.chart(
        "a5e1-servqual",
        "Satisfaction per SERVQUAL dimension (0-100)",
        SATISFACTION,
        ["date:month", "dimension"],
        "score",
        mode="line",
    )
    board.pivot(
        "Top faults per product",
        KPI,
        ["product_id"],
        ["fault_category_id"],
        [("ticket_count", "sum")],
        domain=[["product_id", "!=", False]],
        sorted=True,
    )
    board.chart(
        "a5e1-open",
        "Open tickets per stage and engineer",
        KPI,
        ["stage_id", "user_id"],
        "ticket_count",
        domain=[["is_closed", "=", False]],
        stacked=True,
    )
    board.pivot(
        "Open tickets per engineer and stage",
        KPI,
        ["user_id"],
        ["stage_id"],
        [("ticket_count", "sum")],
        domain=[["is_closed", "=", False]],
        sorted=True,
    )
    board.chart(
        "a5e1-warranty",
        "Warranty claims per month",
        KPI,
        ["date:month", "coverage"],
        "warranty_claim_count",
        domain=[["warranty_claim_count", ">", 0]],
        stacked=True,
    )
    board.pivot(
        "Warranty claims and costs",
        KPI,
        ["coverage"],
        [],
        [("warranty_claim_count", "sum"), ("warranty_cost", "sum"), ("cost_total", "sum")],
        domain=[["coverage", "!=", False]],
        sorted=True,
    )
    return board.data("Service")


def sla_dashboard():
    board = Dashboard("Service Promises")
    board.chart(
        "a5e1-sla",
        "SLA compliance per month and team (%)",
        KPI,
        ["closed_date:month", "team_id"],
        "sla_compliance_rate",
        mode="line",
        domain=[["is_closed", "=", True]],
        date_field="closed_date",
    )
    board.pivot(
        "SLA compliance per team and month",
        KPI,
        ["team_id"],
        ["closed_date:month"],
        [("sla_compliance_rate", "avg"), ("sla_breached_count", "sum")],
        domain=[["is_closed", "=", True]],
        date_field="closed_date",
    )
    return board.data("Service Promises")


FILES = {
    "aftersales_service/data/files/aftersales_dashboard.json": service_dashboard,
    "aftersales_service_sla/data/files/aftersales_sla_dashboard.json": sla_dashboard,
}


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for path, build in FILES.items():
        text = json.dumps(build(), indent=1, ensure_ascii=False) + "\n"
        target = REPO / path
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            target.write_text(text, encoding="utf-8")
    if stale:
        print("out of date, run python3 scripts/gen_dashboards.py: " + ", ".join(stale))
        sys.exit(1)


if __name__ == "__main__":
    main()
