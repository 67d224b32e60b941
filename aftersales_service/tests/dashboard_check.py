"""Checks of a shipped spreadsheet dashboard, shared by the tests of both addons."""

import json


def dashboard_sources(dashboard):
    """(what, model, field names, domain) of each pivot and Odoo chart of the dashboard."""
    data = json.loads(dashboard.spreadsheet_data)
    for pivot in data["pivots"].values():
        names = [m["fieldName"] for m in pivot["measures"]]
        names += [g["fieldName"] for g in pivot["rows"] + pivot["columns"]]
        yield f"pivot {pivot['name']}", pivot["model"], names, pivot["domain"]
    for sheet in data["sheets"]:
        for figure in sheet["figures"]:
            chart = figure["data"]
            if chart["type"].startswith("odoo_"):
                meta = chart["metaData"]
                names = [meta["measure"], *meta["groupBy"]]
                title = chart["title"]["text"]
                yield f"chart {title}", meta["resModel"], names, chart["searchParams"]["domain"]


def check_dashboard(case, dashboard, user):
    """Each pivot and chart reads a model and fields that exist, and `user` reads them
    grouped as the dashboard does (their record rules apply); returns the sources."""
    sources = list(dashboard_sources(dashboard))
    case.assertTrue(sources, "the dashboard has pivots and charts")
    for what, model, names, domain in sources:
        case.assertIn(model, case.env, what)
        Model = case.env[model].with_user(user)
        fields = [name.split(":")[0] for name in names if name != "__count"]
        for name in fields:
            case.assertIn(name, Model._fields, f"{what}: {model}.{name}")
        groupby = [name for name in names[1:] if name.split(":")[0] in Model._fields]
        measure = names[0]
        aggregator = Model._fields[measure].aggregator or "sum"
        Model._read_group(domain, groupby[:1], [f"{measure}:{aggregator}"])
    return sources
