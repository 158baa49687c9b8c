"""Compare two states of a region's water balance, unit by unit: A against B.

A state is one value per unit (community or watershed) of each balance variable, in mm,
and the months in deficit, for one of:

- a calendar month of the results store's monthly table (a climatology's month, or the
  month's mean over the years of a series; months in deficit: the share of those years
  whose month's deficit exceeds
  :data:`processing.kernels.water_balance.DEFICIT_MONTH_MM`);
- a whole calendar year of a series (the sum of its 12 months; months in deficit: how many);
- the lumped baseline or a scenario of :mod:`processing.scenario` (mean year; communities
  the scenario leaves alone keep their baseline).

The comparison is B - A: per unit, each variable in A, in B and its change, in mm and in m3
(depth x the unit's area / 1000), and the months in deficit; the total row sums the m3 and
the months in deficit over the units and gives the mm as the area-weighted mean (the summed
m3 over the summed area).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from processing.kernels.water_balance import DEFICIT_MONTH_MM
from processing.scenario import Scenario, ScenarioEngine, ScenarioResult, run_scenario

COMPARE_VARIABLES = ("rain", "pet", "aet", "runoff", "recharge", "deficit")  # in mm and m3
DEFICIT_MONTHS = "deficit_months"
TOTAL_ID = "TOTAL"
MONTHS_PER_YEAR = 12
PER_MONTH, PER_YEAR = "month", "year"  # the period a state's mm are summed over


MESSAGES = {
    "same": "A and B are both '{name}': choose two different states.",
    "month": "Month {value} does not exist: choose a month from 1 to 12.",
    "climatology": (
        "These results are a climatology (one mean year, no calendar years): compare two "
        "months or two scenarios instead."
    ),
    "year": "Year {value} is not a whole year of the series: choose one from {low} to {high}.",
    "periods": "A is a {kind} and B a {other}: compare two months or two years.",
    "level": "Scenarios are run per community: choose communities to compare scenarios.",
    "deleted": (
        "Saved scenario #{value} no longer exists (deleted from the team workspace): "
        "choose another one."
    ),
    "missing": "Choose both A and B to compare.",
}


class CompareError(ValueError):
    """A comparison that cannot be made as asked: the message names the input and the fix.

    Parameters
    ----------
    key : str
        The reason, a key of :data:`MESSAGES` (its template is what a translation formats).
    **values
        The message's fields.
    """

    def __init__(self, key: str, **values: object) -> None:
        self.key = key
        self.template = MESSAGES[key]
        self.values = values
        super().__init__(self.template.format(**values))


@dataclass(frozen=True)
class UnitState:
    """One state of every unit: mm of each variable and the months in deficit.

    ``values`` is indexed by unit id (str), columns :data:`COMPARE_VARIABLES` and
    :data:`DEFICIT_MONTHS`; ``period`` is :data:`PER_MONTH` or :data:`PER_YEAR`. A GCM
    ensemble's state also has its ``spread``: same index, columns ``{v}_lo`` and ``{v}_hi``
    (mm) for each of :data:`COMPARE_VARIABLES`, and ``spread_note`` says what it spans.
    """

    label: str
    period: str
    values: pd.DataFrame
    spread: pd.DataFrame | None = None
    spread_note: str = ""


@dataclass(frozen=True)
class Comparison:
    """A and B side by side: one row per unit, then the total row (id :data:`TOTAL_ID`)."""

    a: str
    b: str
    period: str
    table: pd.DataFrame
    spreads: tuple[tuple[str, str], ...] = ()  # (side "a" or "b", what its spread spans)

    @property
    def units(self) -> pd.DataFrame:
        """The unit rows (without the total)."""
        return self.table[self.table["id"] != TOTAL_ID]

    @property
    def total(self) -> pd.Series:
        """The total row."""
        return self.table[self.table["id"] == TOTAL_ID].iloc[0]


def _mm_rows(monthly: pd.DataFrame) -> pd.DataFrame:
    rows = monthly[(monthly["unit"] == "mm") & monthly["variable"].isin(COMPARE_VARIABLES)]
    return rows.assign(unit_id=rows["unit_id"].astype(str))


def _state(per_unit: pd.DataFrame, in_deficit: pd.Series, label: str, period: str) -> UnitState:
    values = per_unit.reindex(columns=list(COMPARE_VARIABLES)).astype(float)
    values[DEFICIT_MONTHS] = in_deficit.reindex(values.index).astype(float)
    values.index = values.index.astype(str)
    values.index.name = "id"
    return UnitState(label, period, values)


def month_state(monthly: pd.DataFrame, month: int, label: str = "") -> UnitState:
    """Calendar month ``month`` (1-12) of the store's long monthly table.

    A series gives the month's mean over its years, and as months in deficit the share of
    those years in deficit that month.

    Raises
    ------
    CompareError
        A month outside 1-12.
    """
    if not 1 <= int(month) <= MONTHS_PER_YEAR:
        raise CompareError("month", value=month)
    rows = _mm_rows(monthly)
    rows = rows[rows["month"] == int(month)]
    per_unit = rows.pivot_table(index="unit_id", columns="variable", values="value", aggfunc="mean")
    deficit = rows[rows["variable"] == "deficit"]
    share = (deficit["value"] > DEFICIT_MONTH_MM).groupby(deficit["unit_id"]).mean()
    return _state(per_unit, share, label or calendar.month_name[int(month)], PER_MONTH)


def series_years(monthly: pd.DataFrame) -> list[int]:
    """The whole calendar years (all 12 months) of a series; empty for a climatology."""
    rows = monthly.dropna(subset=["year"])
    if rows.empty:
        return []
    months = rows.groupby("year")["month"].nunique()
    return sorted(int(y) for y in months[months == MONTHS_PER_YEAR].index)


def year_state(monthly: pd.DataFrame, year: int, label: str = "") -> UnitState:
    """Whole calendar year ``year`` of a series: the sum of its months, months in deficit.

    Raises
    ------
    CompareError
        A climatology (no years), or a year that is not a whole year of the series.
    """
    years = series_years(monthly)
    if not years:
        raise CompareError("climatology")
    if int(year) not in years:
        raise CompareError("year", value=year, low=years[0], high=years[-1])
    rows = _mm_rows(monthly)
    rows = rows[pd.to_numeric(rows["year"], errors="coerce") == int(year)]
    per_unit = rows.pivot_table(index="unit_id", columns="variable", values="value", aggfunc="sum")
    deficit = rows[rows["variable"] == "deficit"]
    count = (deficit["value"] > DEFICIT_MONTH_MM).groupby(deficit["unit_id"]).sum()
    return _state(per_unit, count, label or str(int(year)), PER_YEAR)


def scenario_state(
    se: ScenarioEngine,
    scenario: Scenario | None,
    label: str = "",
    run: Callable[[Scenario], ScenarioResult] | None = None,
) -> UnitState:
    """The lumped community balance's mean year: the baseline (``None``) or a scenario.

    Communities outside the scenario keep their baseline values. ``run`` runs the scenario
    (default :func:`processing.scenario.run_scenario` on ``se``; a future climate's
    scenario needs :meth:`processing.futures.RegionFutures.run`, whose ensemble gives the
    median over the GCMs, and the state's ``spread`` its low and high).

    Raises
    ------
    ValueError
        The scenario cannot run (see :func:`processing.scenario.run_scenario`).
    """
    base = run_scenario(se, Scenario(name="baseline")).table.set_index("id")
    columns = {f"{v}_base_mm_yr": v for v in COMPARE_VARIABLES}
    columns["months_in_deficit_base"] = DEFICIT_MONTHS
    values = base[list(columns)].rename(columns=columns)
    name = label or (scenario.name if scenario is not None else "baseline")
    if scenario is None:
        return _state(values, values[DEFICIT_MONTHS], name, PER_YEAR)
    runner = run or (lambda sc: run_scenario(se, sc))
    result = runner(scenario)
    changed = result.table.set_index("id")
    scen = {f"{v}_scen_mm_yr": v for v in COMPARE_VARIABLES}
    scen["months_in_deficit_scen"] = DEFICIT_MONTHS
    values.loc[changed.index, list(scen.values())] = (
        changed[list(scen)].rename(columns=scen).to_numpy()
    )
    state = _state(values, values[DEFICIT_MONTHS], name, PER_YEAR)
    if not result.members:
        return state
    # communities the scenario leaves alone: their baseline is both ends of the spread
    spread = pd.DataFrame(index=state.values.index)
    for v in COMPARE_VARIABLES:
        for end in ("lo", "hi"):
            col = values[v].astype(float).copy()
            col.loc[changed.index] = changed[f"{v}_scen_{end}_mm_yr"].to_numpy(float)
            spread[f"{v}_{end}"] = col.to_numpy()
    note = f"{scenario.future_spread} over the GCMs {', '.join(result.members)}"
    return UnitState(state.label, state.period, state.values, spread, note)


def compare_states(a: UnitState, b: UnitState, area_m2: pd.Series) -> Comparison:
    """B - A per unit (mm, m3, months in deficit) and the total row.

    Parameters
    ----------
    a, b : UnitState
        The two states, over the same period (two months, or two years).
    area_m2 : pandas.Series
        Area of each unit (m2), indexed by unit id: its rows, in its order, are the table's.

    Raises
    ------
    CompareError
        The same state twice, or states over different periods (a month against a year).
    """
    if a.label == b.label:
        raise CompareError("same", name=a.label)
    if a.period != b.period:
        raise CompareError("periods", kind=a.period, other=b.period)
    ids = area_m2.index.astype(str)
    area = pd.Series(area_m2.to_numpy(dtype=float), index=ids)
    va, vb = a.values.reindex(ids), b.values.reindex(ids)
    out = pd.DataFrame({"id": ids, "area_ha": area.to_numpy() / 1e4})
    spreads = [(side, s) for side, s in (("a", a), ("b", b)) if s.spread is not None]
    for v in COMPARE_VARIABLES:
        mm_a, mm_b = va[v].to_numpy(), vb[v].to_numpy()
        out[f"{v}_a_mm"] = mm_a
        out[f"{v}_b_mm"] = mm_b
        out[f"{v}_change_mm"] = mm_b - mm_a
        out[f"{v}_a_m3"] = mm_a * area.to_numpy() / 1000.0
        out[f"{v}_b_m3"] = mm_b * area.to_numpy() / 1000.0
        out[f"{v}_change_m3"] = out[f"{v}_b_m3"] - out[f"{v}_a_m3"]
        for side, state in spreads:
            assert state.spread is not None
            for end in ("lo", "hi"):
                mm = state.spread[f"{v}_{end}"].reindex(ids).to_numpy(float)
                out[f"{v}_{side}_{end}_mm"] = mm
                out[f"{v}_{side}_{end}_m3"] = mm * area.to_numpy() / 1000.0
    da, db = va[DEFICIT_MONTHS].to_numpy(), vb[DEFICIT_MONTHS].to_numpy()
    out[f"{DEFICIT_MONTHS}_a"] = da
    out[f"{DEFICIT_MONTHS}_b"] = db
    out[f"{DEFICIT_MONTHS}_change"] = db - da
    return Comparison(
        a.label,
        b.label,
        a.period,
        pd.concat([out, _total_row(out)], ignore_index=True),
        tuple((side, state.spread_note) for side, state in spreads),
    )


def _total_row(out: pd.DataFrame) -> pd.DataFrame:
    """Sums of m3, area and months in deficit; mm as the summed m3 over the summed area.

    A GCM spread's columns stay empty: the units' lows (highs) come from different GCMs,
    so their sum is not any GCM's total.
    """
    total: dict[str, object] = {"id": TOTAL_ID, "area_ha": out["area_ha"].sum()}
    for v in COMPARE_VARIABLES:
        for side in ("a", "b", "change"):
            m3 = out[f"{v}_{side}_m3"]
            total[f"{v}_{side}_m3"] = m3.sum(min_count=1)
            counted = out["area_ha"].where(m3.notna()).sum()
            total[f"{v}_{side}_mm"] = (
                m3.sum(min_count=1) / (counted * 1e4) * 1000.0 if counted > 0 else np.nan
            )
    for side in ("a", "b", "change"):
        total[f"{DEFICIT_MONTHS}_{side}"] = out[f"{DEFICIT_MONTHS}_{side}"].sum(min_count=1)
    return pd.DataFrame([total], columns=out.columns)


def rounded(table: pd.DataFrame) -> pd.DataFrame:
    """The table as exported: mm to 0.1, m3 to 1, ha to 0.01, months in deficit to 0.01."""
    out = table.copy()
    for col in out.columns:
        if col.endswith("_mm"):
            out[col] = out[col].round(1)
        elif col.endswith("_m3"):
            out[col] = out[col].round(0)
        elif col == "area_ha" or col.startswith(DEFICIT_MONTHS):
            out[col] = out[col].round(2)
    return out


def readme_rows(cmp: Comparison, level: str) -> pd.DataFrame:
    """What the comparison is and what each of its columns means (the README sheet's head)."""
    per = "mm per month" if cmp.period == PER_MONTH else "mm per year"
    rows = [
        ("comparison", f"A = {cmp.a}; B = {cmp.b}", "", "change = B - A"),
        ("units", level, "", "one row per unit, then the total row (id TOTAL)"),
        ("period", cmp.period, per, "what the mm of A and B are summed over"),
        ("area_ha", "area of the unit", "ha", "polygon area in the working CRS"),
    ]
    for v in COMPARE_VARIABLES:
        rows.append((f"{v}_a_mm / {v}_b_mm", f"{v} in A / in B", per, "unit's lumped balance"))
        rows.append((f"{v}_change_mm", f"change in {v}", per, "B - A; total: summed m3 / area"))
        rows.append((f"{v}_a_m3 / {v}_b_m3", f"{v} in A / in B", "m3", "mm x area / 1000"))
        rows.append((f"{v}_change_m3", f"change in {v}", "m3", "B - A; total: sum of units"))
        for side, note in cmp.spreads:
            name = side.upper()
            rows.append(
                (
                    f"{v}_{side}_lo_mm / {v}_{side}_hi_mm",
                    f"{v} in {name}: low / high of the GCM spread",
                    per,
                    f"{note}; {v}_{side}_mm is the median; total: empty (not additive)",
                )
            )
            rows.append(
                (
                    f"{v}_{side}_lo_m3 / {v}_{side}_hi_m3",
                    f"{v} in {name}: low / high of the GCM spread",
                    "m3",
                    "mm x area / 1000; total: empty (not additive)",
                )
            )
    rows.append(
        (
            f"{DEFICIT_MONTHS}_a / _b / _change",
            f"months with deficit > {DEFICIT_MONTH_MM:g} mm",
            "months",
            "a month: share of the years in deficit; total: sum of units",
        )
    )
    return pd.DataFrame(rows, columns=["item", "value", "units / source", "method"])


def export_table(cmp: Comparison, names: pd.Series | None = None) -> pd.DataFrame:
    """The exported table: ``id``, the unit's ``name`` (when known), then the rounded columns."""
    out = rounded(cmp.table)
    if names is not None:
        label = out["id"].map(names.set_axis(names.index.astype(str)))
        out.insert(1, "name", label.where(out["id"] != TOTAL_ID, "total").fillna(""))
    return out


def export_sheets(
    cmp: Comparison,
    level: str,
    readme: pd.DataFrame,
    names: pd.Series | None = None,
    extra: tuple[dict[str, pd.DataFrame], pd.DataFrame] | None = None,
) -> dict[str, pd.DataFrame]:
    """Excel sheets: the comparison, then a README (its columns, then the region's ``readme``).

    ``extra``: more sheets after the comparison, and their README rows (item, value,
    units / source, method), put after the comparison's.
    """
    sheets, rows = extra if extra is not None else ({}, None)
    head = readme_rows(cmp, level)
    if rows is not None:
        head = pd.concat([head, rows], ignore_index=True)
    head = head.assign(licence="")
    tail = readme.reindex(columns=head.columns, fill_value="")
    return {"comparison": export_table(cmp, names), **sheets, "README": pd.concat([head, tail])}
