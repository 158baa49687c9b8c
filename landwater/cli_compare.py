"""``landwater compare``: two states of a region side by side, B - A per unit.

A state is ``month:N`` (1-12), ``year:YYYY`` (a whole year of a monthly series),
``baseline`` or ``saved:ID`` (a scenario saved in the team workspace; communities only).
Processes the region first when its results are missing or stale (instant otherwise).
Exit 1 with a message on bad input (the same state twice, a month and a year, an unknown
saved scenario, years of a climatology).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from processing.compare import UnitState
    from processing.future_suitability import FutureEffects

EXIT_OK, EXIT_PROBLEMS = 0, 1
KINDS = ("month", "year", "baseline", "saved")


def parse_state(text: str) -> tuple[str, int | None]:
    """``month:3`` -> ("month", 3); ``baseline`` -> ("baseline", None).

    Raises
    ------
    argparse.ArgumentTypeError
        Text of no known form.
    """
    kind, _, value = text.strip().partition(":")
    kind = kind.lower()
    if kind == "baseline" and not value:
        return kind, None
    if kind in ("month", "year", "saved") and value.strip().isdigit():
        return kind, int(value)
    raise argparse.ArgumentTypeError(
        f"unknown state {text!r}: give month:N (1-12), year:YYYY, baseline or saved:ID"
    )


def cmd_compare(args: argparse.Namespace) -> int:
    """Compare the two states, write the table and print the totals."""
    import pandas as pd

    from landwater.cli_output import write_table
    from layers.errors import LayerReadError, RegionError
    from layers.region import load_region
    from layers.registry import LayerRegistry
    from layers.workspace import Workspace
    from processing.compare import (
        COMPARE_VARIABLES,
        CompareError,
        compare_states,
        export_sheets,
        export_table,
        month_state,
        scenario_state,
        year_state,
    )
    from processing.exports import readme_table
    from processing.future_suitability import FutureSuitability
    from processing.future_suitability_exports import sheets_and_readme, summary_lines
    from processing.futures import cell_climate, region_futures
    from processing.pipeline import process_region
    from processing.results_store import ResultsStore
    from processing.scenario import Scenario, build_scenario_engine
    from processing.suitability_engine import build_engine

    level = args.level
    effects: list[tuple[str, FutureEffects]] = []  # a saved scenario's future: suitability
    try:
        store = ResultsStore(process_region(args.region))
        region = load_region(args.region)
        summary = store.summary(level)
        kinds = {args.a[0], args.b[0]}
        if kinds <= {"baseline", "saved"}:
            if level != "communities":
                raise CompareError("level")
            engine = build_engine(LayerRegistry(region), results=store)
            se = build_scenario_engine(engine)
            c = engine.cells
            futures = region_futures(
                engine.reg,
                se,
                cell_climate(engine.reg, c.rain_mm, c.et0_mm * c.kc[None], c.first_month),
            )
            ws = Workspace.for_region(args.region)
            saved: dict[int, tuple[str, Scenario]] = {}
            fs = FutureSuitability(engine, futures)
            for side, spec in (("a", args.a), ("b", args.b)):
                if spec[0] != "saved":
                    continue
                try:
                    record = ws.get_scenario(int(spec[1] or 0))
                except KeyError as exc:
                    raise CompareError("deleted", value=spec[1]) from exc
                sc = Scenario.model_validate(record.spec)
                saved[int(spec[1] or 0)] = (f"{record.name} (#{spec[1]})", sc)
                if sc.future:  # first: it reads the GCMs' files once for the balance too
                    ids = sc.communities or [str(i) for i in se.ids]
                    effects.append((side, fs.effects(sc.future, ids, sc.future_spread)))

            def state(spec: tuple[str, int | None]) -> UnitState:
                if spec[0] == "baseline":
                    return scenario_state(se, None, "baseline")
                label, sc = saved[int(spec[1] or 0)]
                return scenario_state(se, sc, label, futures.run)

            area = pd.Series(se.area_m2, index=se.ids)
            cmp = compare_states(state(args.a), state(args.b), area)
        else:
            monthly = store.monthly(level)
            builders: dict[str, Callable[..., UnitState]] = {
                "month": month_state,
                "year": year_state,
            }

            def state(spec: tuple[str, int | None]) -> UnitState:
                if spec[0] not in builders:
                    raise CompareError("periods", kind="scenario", other="month or year")
                return builders[spec[0]](monthly, spec[1])

            area = pd.Series(
                summary["area_ha"].to_numpy(float) * 1e4, index=summary["id"].astype(str)
            )
            cmp = compare_states(state(args.a), state(args.b), area)
    except RegionError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        print("landwater compare: fix the region first (landwater validate)", file=sys.stderr)
        return EXIT_PROBLEMS
    except (CompareError, LayerReadError, ValueError, FileNotFoundError) as exc:
        print(f"landwater compare: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    names = summary.set_index(summary["id"].astype(str))["name"] if "name" in summary else None
    table = export_table(cmp, names)
    extra = sheets_and_readme(effects)
    totals_out = write_table(
        "landwater compare",
        table,
        args.output,
        lambda: export_sheets(cmp, level, readme_table(region, store), names, extra),
        f"{len(cmp.units)} {level}",
    )
    if totals_out is None:
        return EXIT_PROBLEMS
    csv_file = args.output is not None and args.output.suffix.lower() != ".xlsx"
    if extra is not None and csv_file and not write_beside(args.output, extra[0]):
        return EXIT_PROBLEMS
    total = cmp.total
    print(f"{cmp.a} -> {cmp.b} (B - A, per {cmp.period}, all {level}):", file=totals_out)
    for v in COMPARE_VARIABLES:
        print(
            f"{v}: {total[f'{v}_change_m3']:+,.0f} m3 ({total[f'{v}_change_mm']:+.1f} mm)",
            file=totals_out,
        )
    print(f"months in deficit: {total['deficit_months_change']:+.1f}", file=totals_out)
    for side, fx in effects:
        print(f"{side.upper()} under the future climate", file=totals_out)
        for line in summary_lines(fx):
            print(line, file=totals_out)
    return EXIT_OK


def write_beside(output: Path, sheets: dict[str, pd.DataFrame]) -> bool:
    """Each sheet as a CSV beside ``output`` (``<stem>_<sheet>.csv``); False when one fails."""
    from layers.io import write_csv

    for name, frame in sheets.items():
        path = output.with_name(f"{output.stem}_{name}.csv")
        try:
            write_csv(frame, path, for_spreadsheets=True)
        except OSError as exc:
            print(f"landwater compare: cannot write {path}: {exc}", file=sys.stderr)
            return False
        print(f"{len(frame)} rows written to {path}")
    return True


def add_compare_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    region_dir: Callable[[str], Path],
) -> None:
    """Register ``compare`` on the main parser's subcommands."""
    p = sub.add_parser("compare", help="two states side by side: B - A per unit, with totals")
    p.add_argument("region", type=region_dir, help="region folder holding region.toml")
    for name in ("a", "b"):
        p.add_argument(
            f"--{name}",
            type=parse_state,
            required=True,
            help=f"state {name.upper()}: month:N (1-12), year:YYYY, baseline or saved:ID",
        )
    p.add_argument(
        "--level", choices=("communities", "watersheds"), default="communities", help="units"
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="CSV file, or .xlsx for a workbook with a README sheet (default: CSV on stdout)",
    )
    p.set_defaults(func=cmd_compare)
