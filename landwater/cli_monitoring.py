"""``landwater monitoring import|export``: the project sites' monitoring records.

``import REGION file.csv`` checks every row (the columns of
:data:`layers.monitoring.CSV_COLUMNS`) and stores them all in the team workspace, or none
with every problem listed (exit 1). ``export REGION -o table.csv|xlsx`` writes the records
(CSV) or the programme's workbook: records, totals per community, watershed and type, sites
by status over time and a README sheet.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from layers.monitoring_store import MonitoringStore
    from layers.registry import LayerRegistry

EXIT_OK, EXIT_PROBLEMS = 0, 1


def _open(region_dir: Path, database_url: str | None) -> tuple[MonitoringStore, LayerRegistry]:
    from layers.monitoring_store import MonitoringStore
    from layers.region import load_region
    from layers.registry import LayerRegistry
    from layers.workspace import Workspace
    from processing.programme import site_table

    reg = LayerRegistry(load_region(region_dir))
    ids = set(site_table(reg)["site_id"])
    return MonitoringStore(Workspace.for_region(region_dir, database_url), ids), reg


def _completed(
    region_dir: Path, reg: LayerRegistry, records: pd.DataFrame
) -> tuple[pd.Series | None, pd.Series | None]:
    """The completed sites' water harvested and recharge gained (None, None: no results).

    The recharge gained runs the designer's scenarios (None when the grid is too large
    to design on).
    """
    from dashboard.background import results_are_current
    from processing.portfolio_impacts import RechargeTables, community_facts
    from processing.programme import (
        completed_recharge,
        completed_water,
        latest_records,
        site_table,
    )
    from processing.results_store import ResultsStore
    from processing.scenario import build_scenario_engine
    from processing.suitability_engine import build_engine

    results = reg.region.results_dir
    if records.empty or not results_are_current(reg.region.root, results):
        return None, None
    store = ResultsStore(results)
    facts = community_facts(store, reg)
    interventions = list(reg.region.config.interventions)
    latest, sites = latest_records(records), site_table(reg)
    water = completed_water(latest, sites, facts, interventions)
    tables = RechargeTables(
        lambda: build_scenario_engine(build_engine(reg, results=store)), facts.ids
    )
    try:
        recharge = completed_recharge(latest, sites, facts, interventions, tables)
    except ValueError as exc:
        print(f"landwater monitoring export: no recharge gained: {exc}", file=sys.stderr)
        recharge = None
    return water, recharge


def cmd_import(args: argparse.Namespace) -> int:
    """Check and store a monitoring CSV."""
    from layers.errors import LayerReadError, RegionError
    from layers.monitoring import MonitoringError, read_monitoring_csv
    from layers.workspace import WorkspaceWriteError

    try:
        store, _reg = _open(args.region, args.database_url)
        records = read_monitoring_csv(args.csv, store.site_ids)
        stored = store.save(records, author=args.author, source=str(args.csv))
    except (RegionError, LayerReadError) as exc:
        print(f"landwater monitoring import: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except MonitoringError as exc:
        print(f"landwater monitoring import: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except WorkspaceWriteError as exc:
        print(f"landwater monitoring import: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    sites = records["site_id"].nunique()
    print(f"{stored} records of {sites} sites stored in the team workspace")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write the records (CSV) or the programme's workbook (xlsx)."""
    from landwater.cli_output import write_table
    from layers.errors import LayerReadError, RegionError
    from processing.programme import SITE_COLUMNS, programme_sheets, site_table

    try:
        store, reg = _open(args.region, args.database_url)
    except (RegionError, LayerReadError) as exc:
        print(f"landwater monitoring export: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    records = store.records()
    sites = site_table(reg)
    table = records.merge(sites[list(SITE_COLUMNS)], on="site_id", how="left")
    out = write_table(
        "landwater monitoring export",
        table,
        args.output,
        lambda: programme_sheets(records, sites, *_completed(args.region, reg, records)),
        f"{len(table)} records",
    )
    return EXIT_OK if out is not None else EXIT_PROBLEMS


def add_monitoring_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    region_dir: Callable[[str], Path],
) -> None:
    """Register ``monitoring import`` and ``monitoring export``."""
    p = sub.add_parser("monitoring", help="project sites' monitoring records (import, export)")
    actions = p.add_subparsers(dest="action", required=True)
    imp = actions.add_parser("import", help="check and store a monitoring CSV")
    imp.add_argument("region", type=region_dir, help="region folder holding region.toml")
    imp.add_argument(
        "csv",
        type=Path,
        help="one row per site and date: site_id, date (YYYY-MM-DD), status, households,"
        " households_women_led, households_youth_led",
    )
    imp.add_argument("--author", default="", help="who entered the records")
    imp.set_defaults(func=cmd_import)
    exp = actions.add_parser("export", help="the records (CSV) or the programme workbook (xlsx)")
    exp.add_argument("region", type=region_dir, help="region folder holding region.toml")
    exp.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="CSV file of the records, or .xlsx for the programme workbook"
        " (default: CSV on standard output)",
    )
    exp.set_defaults(func=cmd_export)
    for q in (imp, exp):
        q.add_argument(
            "--database-url",
            default=None,
            help="the team workspace's database (default: LANDWATER_WORKSPACE_URL, else"
            " REGION/workspace.sqlite)",
        )
