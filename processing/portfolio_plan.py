"""A region's budget portfolio: impact tables, the optimum, its table and the frontier.

Used by ``landwater portfolio`` and the designer's "Budget portfolio" section. The
optimisation itself is :mod:`processing.portfolio`; the impact tables are
:mod:`processing.portfolio_impacts`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from layers.config import InterventionConfig
from layers.region import load_region
from layers.registry import LayerRegistry
from processing.pipeline import process_region
from processing.portfolio import (
    FRONTIER_POINTS,
    PortfolioError,
    ShareBasis,
    cost_table,
    efficient_frontier,
    frontier_budgets,
    solve_portfolio,
)
from processing.portfolio_impacts import (
    CommunityFacts,
    RechargeTables,
    community_facts,
    impact_table,
    women_youth_flags,
)
from processing.portfolio_terms import DEFAULT_MAX_UNITS, IMPACT_NAMES, IMPACT_UNITS, Impact
from processing.results_store import ResultsStore
from processing.scenario import ScenarioEngine

# the impact column of the portfolio table, its name saying the units
IMPACT_COLUMNS = {
    "m3": "water_harvested_m3_yr",
    "recharge": "recharge_gained_m3_yr",
    "households": "households_reached",
    "ha": "s1s2_ha",
}
AMOUNT_COLUMNS = {"site": "sites", "ha": "area_ha", "m3": "storage_m3"}
# the table's columns as files name them ({currency}: the cost model's), units and meaning
COLUMN_NOTES = {
    "community_id": ("", "the community's id"),
    "community": ("", "the community's name"),
    "units": ("units", "units of the intervention allocated (unit_size of unit each)"),
    "sites": ("sites", "sites built (unit = 'site')"),
    "area_ha": ("ha", "hectares treated (unit = 'ha')"),
    "storage_m3": ("m³", "storage built (unit = 'm3')"),
    "cost_{currency}": ("{currency}", "units x unit_cost x unit_size + fixed_cost_per_community"),
    "water_harvested_m3_yr": (
        "m³/yr",
        "water the storage delivers or the treated land holds a year",
    ),
    "recharge_gained_m3_yr": ("m³/yr", "recharge the units add (designer's scenarios)"),
    "households_reached": ("households", "households of the communities given units"),
    "s1s2_ha": ("ha", "hectares S1+S2 treated or reached"),
    "women_youth_led": ("yes/no", "project sites mostly led by women or young people"),
    "women_youth_households_pct": ("%", "share of the sites' households led by them"),
}


@dataclass(frozen=True)
class PortfolioRequest:
    """What the designer asks for (validated by :meth:`PortfolioPlanner.plan`)."""

    intervention: str
    budget: float
    impact: Impact = "m3"
    max_per_community: int = DEFAULT_MAX_UNITS
    min_women_youth_share: float = 0.0
    share_of: ShareBasis = "cost"
    frontier_points: int = FRONTIER_POINTS


@dataclass(frozen=True)
class PortfolioResult:
    """The chosen portfolio, its totals and the efficient frontier."""

    table: pd.DataFrame  # one row per community given units, greatest impact first
    totals: dict[str, Any]
    frontier: pd.DataFrame  # budget, impact, cost
    currency: str
    impact_unit: str
    impact_column: str
    chosen_ids: list[str] = field(default_factory=list)
    impact: Impact = "m3"


class PortfolioPlanner:
    """Budget portfolios over one region's communities.

    Parameters
    ----------
    facts : CommunityFacts
    interventions : list of InterventionConfig
    scenarios : callable, optional
        Returns the designer's scenario engine (built on first call; needed only for the
        recharge impact).
    """

    def __init__(
        self,
        facts: CommunityFacts,
        interventions: list[InterventionConfig],
        scenarios: Callable[[], ScenarioEngine] | None = None,
    ) -> None:
        self.facts = facts
        self.interventions = {iv.id: iv for iv in interventions}
        self._scenarios = scenarios
        self.recharge = RechargeTables(self._engine, facts.ids)

    def intervention(self, intervention_id: str) -> InterventionConfig:
        """The profile of an id (PortfolioError listing the known ids when unknown)."""
        try:
            return self.interventions[intervention_id]
        except KeyError:
            known = ", ".join(self.interventions) or "none"
            raise PortfolioError(
                "unknown_intervention", name=intervention_id, known=known
            ) from None

    def _engine(self) -> ScenarioEngine:
        if self._scenarios is None:
            raise PortfolioError("recharge_needs_scenarios")
        return self._scenarios()

    def plan(self, request: PortfolioRequest) -> PortfolioResult:
        """Solve the request: the best portfolio and the frontier around it.

        Raises
        ------
        PortfolioError
            Bad input or no portfolio (the message names the fix).
        """
        iv = self.intervention(request.intervention)
        impact = impact_table(
            self.facts, iv, request.impact, request.max_per_community, self.recharge
        )
        flags = women_youth_flags(self.facts, request.min_women_youth_share)
        cost = cost_table(
            self.facts.ids.size,
            request.max_per_community,
            iv.cost_per_unit,
            iv.fixed_cost_per_community,
        )
        args = (flags, request.min_women_youth_share, request.share_of)
        best = solve_portfolio(impact, cost, request.budget, *args)
        budgets = np.union1d(frontier_budgets(cost, request.frontier_points), [request.budget])
        frontier = pd.DataFrame(
            efficient_frontier(impact, cost, budgets, *args), columns=["budget", "impact", "cost"]
        )
        table = self._table(iv, request, best.units, impact, cost, flags)
        led = table["women_youth_led"] == "yes"
        spent = float(table["cost"].sum())
        units = int(table["units"].sum())
        totals = {
            "intervention": iv.id,
            "budget": float(request.budget),
            "cost": best.cost,
            "budget_left": float(request.budget) - best.cost,
            "impact": best.impact,
            "communities": len(table),
            "units": units,
            "women_youth_cost_share": float(table.loc[led, "cost"].sum()) / spent if spent else 0.0,
            "women_youth_units_share": float(table.loc[led, "units"].sum()) / units
            if units
            else 0.0,
            "gap": best.gap,
        }
        return PortfolioResult(
            table=table,
            totals=totals,
            frontier=frontier,
            currency=iv.currency,
            impact_unit=IMPACT_UNITS[request.impact],
            impact_column=IMPACT_COLUMNS[request.impact],
            chosen_ids=table["community_id"].tolist(),
            impact=request.impact,
        )

    def _table(
        self,
        iv: InterventionConfig,
        request: PortfolioRequest,
        units: np.ndarray,
        impact: np.ndarray,
        cost: np.ndarray,
        flags: np.ndarray,
    ) -> pd.DataFrame:
        f = self.facts
        rows = np.arange(f.ids.size)
        share = (
            f.women_youth_share if f.women_youth_share is not None else np.full(rows.size, np.nan)
        )
        table = pd.DataFrame(
            {
                "community_id": f.ids,
                "community": f.names,
                "units": units,
                AMOUNT_COLUMNS[str(iv.unit)]: units * iv.unit_size,
                "cost": cost[rows, units],
                IMPACT_COLUMNS[request.impact]: np.round(impact[rows, units], 1),
                "women_youth_led": np.where(flags, "yes", "no"),
                "women_youth_households_pct": np.round(share * 100.0, 1),
            }
        )
        table = table[units > 0].sort_values(
            IMPACT_COLUMNS[request.impact], ascending=False, kind="stable"
        )
        return table.reset_index(drop=True)


def cost_column(currency: str) -> str:
    """The cost column's name, saying its currency (``cost_usd``)."""
    return "cost_" + (re.sub(r"[^0-9a-z]+", "_", currency.lower()).strip("_") or "currency")


def export_table(result: PortfolioResult) -> pd.DataFrame:
    """The portfolio's table for files: every column name says its units."""
    return result.table.rename(columns={"cost": cost_column(result.currency)})


def export_sheets(result: PortfolioResult) -> dict[str, pd.DataFrame]:
    """The workbook of a portfolio: the table, the frontier, the totals and a README sheet."""
    cur = result.currency
    cost = cost_column(cur)
    table = export_table(result)
    frontier = result.frontier.rename(
        columns={
            "budget": "budget_" + cost.removeprefix("cost_"),
            "impact": result.impact_column,
            "cost": cost,
        }
    )
    units = {"budget": cur, "cost": cur, "budget_left": cur, "impact": result.impact_unit}
    units |= {"women_youth_cost_share": "0..1", "women_youth_units_share": "0..1", "gap": "0..1"}
    totals = pd.DataFrame(
        {
            "figure": list(result.totals),
            "value": list(result.totals.values()),
            "units": [units.get(k, "") for k in result.totals],
        }
    )
    notes = [
        (c.format(currency=cost.removeprefix("cost_")), u.format(currency=cur), m)
        for c, (u, m) in COLUMN_NOTES.items()
    ]
    readme = pd.DataFrame(
        [n for n in notes if n[0] in table.columns], columns=["column", "units", "meaning"]
    )
    return {"portfolio": table, "frontier": frontier, "totals": totals, "README": readme}


def describe_request(request: PortfolioRequest) -> str:
    """One line naming the request (the CLI's header)."""
    return (
        f"{request.intervention}: {IMPACT_NAMES[request.impact].lower()} for a budget of"
        f" {request.budget:,.0f}, at most {request.max_per_community} per community"
    )


def open_portfolio_planner(region_dir: str | Path) -> PortfolioPlanner:
    """A planner for a region: processes it first when results are missing or stale."""
    out = process_region(region_dir)
    store = ResultsStore(out)
    region = load_region(region_dir)
    reg = LayerRegistry(region)
    facts = community_facts(store, reg)
    cache: list[ScenarioEngine] = []

    def scenarios() -> ScenarioEngine:
        if not cache:
            from processing.scenario import build_scenario_engine
            from processing.suitability_engine import build_engine

            cache.append(build_scenario_engine(build_engine(reg, results=store)))
        return cache[0]

    return PortfolioPlanner(facts, list(region.config.interventions), scenarios)
