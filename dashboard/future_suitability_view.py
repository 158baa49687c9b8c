"""The scenario panel's suitability and crop tables under a future climate (pure builders).

The numbers are :mod:`processing.future_suitability`'s totals over the scenario's
communities: suitable hectares (S1 + S2) of each intervention, and each crop's best
planting month and potential score, baseline against the future (an ensemble's median,
with the GCMs' spread and how many GCMs pick the same month).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from dash import html
from dash.development.base_component import Component

from dashboard.i18n import Translate, number
from processing.future_suitability import FutureEffects

SPREAD_WORDS = {"min-max": "min-max", "10-90": "10-90 %"}


def _spread_cell(lo: float, hi: float, decimals: int, t: Translate) -> html.Td:
    if pd.isna(lo) or pd.isna(hi):
        return html.Td("–")
    return html.Td(f"{number(float(lo), decimals, t)} – {number(float(hi), decimals, t)}")


def _month(name: object, t: Translate) -> str:
    return t(str(name)) if isinstance(name, str) and name else "–"


def intervention_rows(
    effects: FutureEffects, t: Translate, names: Mapping[str, str] | None = None
) -> html.Div:
    """Per intervention: suitable hectares in the baseline, the future and the GCM spread."""
    head = [html.Th(t("Intervention")), html.Th(t("Baseline")), html.Th(t("Future"))]
    if effects.ensemble:
        head.append(html.Th(t("GCM spread")))
    body = []
    for _, r in effects.intervention_totals.iterrows():
        iv = str(r["intervention"])
        cells = [
            html.Td((names or {}).get(iv, iv)),
            html.Td(number(float(r["suitable_ha_base"]), 0, t)),
            html.Td(number(float(r["suitable_ha_future"]), 0, t)),
        ]
        if effects.ensemble:
            cells.append(_spread_cell(r["suitable_ha_lo"], r["suitable_ha_hi"], 0, t))
        body.append(html.Tr(cells))
    return html.Div(
        html.Table(
            [html.Thead(html.Tr(head)), html.Tbody(body)],
            className="scenario-table future-table future-suit-table",
        ),
        className="scenario-table-wrap",
    )


def crop_rows(effects: FutureEffects, t: Translate) -> html.Div:
    """Per crop: best month baseline -> future, potential score baseline / future / spread."""
    head = [
        html.Th(t("Crop")),
        html.Th(t("Best month")),
        html.Th(t("Potential score")),
        html.Th(t("Future")),
    ]
    if effects.ensemble:
        head += [html.Th(t("GCM spread")), html.Th(t("GCMs agreeing"))]
    body = []
    for _, r in effects.crop_totals.iterrows():
        month = f"{_month(r['best_month_name_base'], t)} → {_month(r['best_month_name_future'], t)}"
        cells = [
            html.Td(t(str(r["crop_name"]))),
            html.Td(month),
            html.Td(number(float(r["potential_base"]), 2, t)),
            html.Td(number(float(r["potential_future"]), 2, t)),
        ]
        if effects.ensemble:
            cells.append(_spread_cell(r["potential_lo"], r["potential_hi"], 2, t))
            cells.append(html.Td(f"{int(r['gcms_agreeing'])}/{int(r['gcms'])}"))
        body.append(html.Tr(cells))
    return html.Div(
        html.Table(
            [html.Thead(html.Tr(head)), html.Tbody(body)],
            className="scenario-table future-table future-crop-table",
        ),
        className="scenario-table-wrap",
    )


def future_suitability_panel(
    effects: FutureEffects, t: Translate = str, names: Mapping[str, str] | None = None
) -> html.Div:
    """Both tables under their titles, with what they sum and how the future is made."""
    n = len(effects.unit_ids)
    spread = t(SPREAD_WORDS.get(effects.spread, effects.spread))
    note = (
        t("Median of {n} GCMs ({gcms}); spread {spread}.").format(
            n=len(effects.gcms), gcms=", ".join(effects.gcms), spread=spread
        )
        if effects.ensemble
        else t("One GCM.")
    )
    children: list[Component] = [
        html.H5(f"{t('Suitable area (S1 + S2) under the future climate')} (ha)"),
        intervention_rows(effects, t, names),
    ]
    if len(effects.crop_totals):
        children += [html.H5(t("Crops under the future climate (EcoCrop)")), crop_rows(effects, t)]
    children.append(
        html.P(
            [
                note,
                " ",
                t(
                    "Over the scenario's {n} communities; the water results move by the "
                    "change of each cell's balance (delta method)."
                ).format(n=n),
            ],
            className="hint",
        )
    )
    return html.Div(children, className="future-suitability")
