"""A future's suitability and crop tables as files and text.

Workbook sheets, their README rows and the command line's totals of the tables
:mod:`processing.future_suitability` computes.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from processing.future_suitability import ALL_SELECTED, FutureEffects


def export_sheets(effects: FutureEffects, side: str) -> dict[str, pd.DataFrame]:
    """Workbook sheets of a future's effects (state ``side`` of a comparison, "a" or "b").

    Per community, then the row over all the scenario's communities (unit id
    :data:`ALL_SELECTED`): ``future_suitability_<side>`` and ``future_crops_<side>``.
    """
    return {
        f"future_suitability_{side}": pd.concat(
            [effects.interventions, effects.intervention_totals], ignore_index=True
        ),
        f"future_crops_{side}": pd.concat([effects.crops, effects.crop_totals], ignore_index=True),
    }


def readme_rows(effects: FutureEffects, side: str) -> pd.DataFrame:
    """What the sheets of :func:`export_sheets` hold (the README sheet's rows)."""
    how = (
        f"median of the GCMs {', '.join(effects.gcms)}; _lo / _hi: their {effects.spread}"
        if effects.ensemble
        else f"the GCM {effects.gcms[0]}; _lo / _hi equal the future"
        if effects.gcms
        else ""
    )
    s, c = f"future_suitability_{side}", f"future_crops_{side}"
    rows = [
        (s, f"{side.upper()} under {effects.future}: suitability per community", "", how),
        (f"{s}: suitable_ha_*", "S1 + S2 area: base, future, lo, hi", "ha",
         "rain and result criteria under the future; results = store + change of the cell "
         "balance (delta method)"),
        (f"{s}: mean_score_*", "mean suitability score", "0-1", "excluded cells count 0"),
        (f"{s}: unit_id {ALL_SELECTED}", "the scenario's communities together", "",
         "sums over them for each GCM, then median and spread"),
        (c, f"{side.upper()} under {effects.future}: EcoCrop per community", "", how),
        (f"{c}: best_month_*", "best planting month (1-12, 0 none), base / future", "month",
         "future: best month of the median over GCMs of each month's unit-mean score"),
        (f"{c}: potential_*", "mean of each cell's best-month score", "0-1", how),
        (f"{c}: gcms_agreeing", "GCMs whose own best month is the future's", "GCMs", ""),
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["item", "value", "units / source", "method"])


def sheets_and_readme(
    effects: Sequence[tuple[str, FutureEffects]],
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame] | None:
    """The sheets of each compared side's future suitability and their README rows.

    ``effects``: (side ``"a"`` or ``"b"``, its effects); None when there are none.
    """
    if not effects:
        return None
    sheets: dict[str, pd.DataFrame] = {}
    for side, fx in effects:
        sheets |= export_sheets(fx, side)
    return sheets, pd.concat([readme_rows(fx, side) for side, fx in effects], ignore_index=True)


def summary_lines(effects: FutureEffects) -> list[str]:
    """Plain-text totals over the scenario's communities (the command line's output)."""

    def spread(lo: float, hi: float, fmt: str) -> str:
        return f" ({lo:{fmt}} - {hi:{fmt}})" if effects.ensemble else ""

    head = f"{effects.future}: " + (
        f"median of {len(effects.gcms)} GCMs ({', '.join(effects.gcms)}), {effects.spread}"
        if effects.ensemble
        else "one GCM"
    )
    lines = [head, f"suitable area S1 + S2 over {len(effects.unit_ids)} communities (ha):"]
    for _, r in effects.intervention_totals.iterrows():
        lines.append(
            f"  {r['intervention']}: {r['suitable_ha_base']:,.0f} -> "
            f"{r['suitable_ha_future']:,.0f}"
            + spread(r["suitable_ha_lo"], r["suitable_ha_hi"], ",.0f")
        )
    if len(effects.crop_totals):
        lines.append("crops (EcoCrop): best month, potential score:")
    for _, r in effects.crop_totals.iterrows():
        agree = f", {r['gcms_agreeing']}/{r['gcms']} GCMs agree" if effects.ensemble else ""
        lines.append(
            f"  {r['crop']}: {r['best_month_name_base'] or '-'} -> "
            f"{r['best_month_name_future'] or '-'}, {r['potential_base']:.2f} -> "
            f"{r['potential_future']:.2f}"
            + spread(r["potential_lo"], r["potential_hi"], ".2f")
            + agree
        )
    return lines
