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


def _spread(lo: float, hi: float, decimals: int, t: Translate) -> html.Div:
    """The GCMs' spread, a small line under the future's value."""
    if pd.isna(lo) or pd.isna(hi):
        return html.Div("–", className="spread")
    text = f"{number(float(lo), decimals, t)} – {number(float(hi), decimals, t)}"
    return html.Div(text, className="spread")


def _head(title: str, under: str | None) -> html.Th:
    """A column heading, with what the small second line of its cells holds."""
    if under is None:
        return html.Th(title)
    return html.Th([title, html.Div(under, className="spread")])


def _month(name: object, t: Translate) -> str:
    return t(str(name)) if isinstance(name, str) and name else "–"


def _table(head: list[html.Th], body: list[html.Tr], kind: str) -> html.Div:
    """Three columns, so it fits the panel on a phone and a desktop without scrolling."""
    return html.Div(
        html.Table(
            [html.Thead(html.Tr(head)), html.Tbody(body)],
            className=f"scenario-table future-table {kind}",
        ),
        className="scenario-table-wrap",
    )


def intervention_rows(
    effects: FutureEffects, t: Translate, names: Mapping[str, str] | None = None
) -> html.Div:
    """Per intervention: suitable hectares in the baseline, the future and the GCM spread."""
    spread = t("GCM spread") if effects.ensemble else None
    head = [html.Th(t("Intervention")), html.Th(t("Baseline")), _head(t("Future"), spread)]
    body = []
    for _, r in effects.intervention_totals.iterrows():
        iv = str(r["intervention"])
        future: list[Component | str] = [number(float(r["suitable_ha_future"]), 0, t)]
        if effects.ensemble:
            future.append(_spread(r["suitable_ha_lo"], r["suitable_ha_hi"], 0, t))
        cells = [
            html.Td((names or {}).get(iv, iv)),
            html.Td(number(float(r["suitable_ha_base"]), 0, t)),
            html.Td(future),
        ]
        body.append(html.Tr(cells))
    return _table(head, body, "future-suit-table")


def crop_rows(effects: FutureEffects, t: Translate) -> html.Div:
    """Per crop: best month and potential score, baseline -> future (ensemble: under them).

    An ensemble adds the GCMs agreeing on the month and the spread of the score.
    """
    ens = effects.ensemble
    head = [
        html.Th(t("Crop")),
        _head(t("Best month"), t("GCMs agreeing") if ens else None),
        _head(t("Potential score"), t("GCM spread") if ens else None),
    ]
    body = []
    for _, r in effects.crop_totals.iterrows():
        month: list[Component | str] = [
            f"{_month(r['best_month_name_base'], t)} → {_month(r['best_month_name_future'], t)}"
        ]
        potential: list[Component | str] = [
            f"{number(float(r['potential_base']), 2, t)} → "
            f"{number(float(r['potential_future']), 2, t)}"
        ]
        if ens:
            agree = f"{int(r['gcms_agreeing'])}/{int(r['gcms'])}"
            month.append(html.Div(agree, className="spread"))
            potential.append(_spread(r["potential_lo"], r["potential_hi"], 2, t))
        body.append(html.Tr([html.Td(t(str(r["crop_name"]))), html.Td(month), html.Td(potential)]))
    return _table(head, body, "future-crop-table")


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
