"""``landwater portfolio``: the communities a budget should fund for the greatest impact.

Processes the region first when its results are missing or stale (instant otherwise).
Exit 1 with a message on bad input (unknown intervention, no cost model, a budget of 0 or
less, a share outside 0..1, constraints no portfolio meets).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from processing.portfolio_plan import PortfolioRequest, PortfolioResult

EXIT_OK, EXIT_PROBLEMS = 0, 1


def totals_lines(request: PortfolioRequest, result: PortfolioResult) -> list[str]:
    """The totals printed after the table (plain text, one figure a line)."""
    t = result.totals
    cur = result.currency
    lines = [
        f"intervention: {t['intervention']}",
        f"communities: {t['communities']}",
        f"units: {t['units']}",
        f"cost: {t['cost']:,.0f} {cur} of {t['budget']:,.0f} {cur} ({t['budget_left']:,.0f} left)",
        f"impact: {t['impact']:,.1f} {result.impact_unit} ({result.impact_column})",
        f"women/youth-led communities: {t['women_youth_cost_share']:.1%} of the cost,"
        f" {t['women_youth_units_share']:.1%} of the units",
    ]
    if t.get("gap", 0.0) > 0:
        lines.append(f"not proven optimal: within {t['gap']:.2%} of the optimum (time limit)")
    return lines


def cmd_portfolio(args: argparse.Namespace) -> int:
    """Choose the portfolio, write its table and print the totals."""
    from landwater.cli_output import write_table
    from layers.errors import LayerReadError, RegionError
    from processing.portfolio import PortfolioError
    from processing.portfolio_plan import (
        PortfolioRequest,
        export_sheets,
        export_table,
        open_portfolio_planner,
    )

    request = PortfolioRequest(
        intervention=args.intervention,
        budget=args.budget,
        impact=args.impact,
        max_per_community=args.max_per_community,
        min_women_youth_share=args.min_women_youth_share,
        share_of=args.share_of,
    )
    try:
        result = open_portfolio_planner(args.region).plan(request)
    except RegionError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        print("landwater portfolio: fix the region first (landwater validate)", file=sys.stderr)
        return EXIT_PROBLEMS
    except (PortfolioError, LayerReadError, ValueError) as exc:
        print(f"landwater portfolio: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    table = export_table(result)
    totals_out = write_table(
        "landwater portfolio",
        table,
        args.output,
        lambda: export_sheets(result),
        f"{len(table)} communities",
    )
    if totals_out is None:
        return EXIT_PROBLEMS
    for line in totals_lines(request, result):
        print(line, file=totals_out)
    return EXIT_OK


def _share(text: str) -> float:
    try:
        return float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"needs a share from 0 to 1 like 0.3, got {text!r}"
        ) from exc


def add_portfolio_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    region_dir: Callable[[str], Path],
) -> None:
    """Register ``portfolio`` on the main parser's subcommands."""
    from processing.portfolio_terms import DEFAULT_MAX_UNITS, IMPACTS

    p = sub.add_parser(
        "portfolio", help="the communities a budget should fund for the greatest impact"
    )
    p.add_argument("region", type=region_dir, help="region folder holding region.toml")
    p.add_argument("--intervention", required=True, help="profile id with a cost model")
    p.add_argument("--budget", type=float, required=True, help="most the portfolio may cost")
    p.add_argument(
        "--max-per-community",
        type=int,
        default=DEFAULT_MAX_UNITS,
        help=f"at most K units per community (default {DEFAULT_MAX_UNITS})",
    )
    p.add_argument(
        "--impact",
        choices=IMPACTS,
        default="m3",
        help="m3 harvested (default), recharge gained (m3), households reached, ha S1+S2",
    )
    p.add_argument(
        "--min-women-youth-share",
        type=_share,
        default=0.0,
        help="least share (0..1) in communities whose sites are led by women or young people",
    )
    p.add_argument(
        "--share-of",
        choices=("cost", "units"),
        default="cost",
        help="the share counts the portfolio's cost (default) or its units",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="CSV file, or .xlsx for a workbook with the frontier, totals and a README sheet"
        " (default: CSV on standard output)",
    )
    p.set_defaults(func=cmd_portfolio)
