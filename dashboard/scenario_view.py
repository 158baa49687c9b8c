"""Scenario form, results panel and map values: pure builders for the designer's callbacks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go
from dash import dcc, html
from pydantic import ValidationError

from dashboard.future_brief import brief_href
from dashboard.i18n import Translate, number, plotly_separators, unit
from dashboard.profile import MONTH_NAMES, PLAIN_STYLE, hover_template
from processing.future_profile import PROFILE_VARIABLES
from processing.scenario import LandUseChange, Scenario, ScenarioResult

MAP_VARIABLES = ("recharge", "runoff", "aet", "deficit")
TOTALS = (
    ("water_harvested_m3_yr", "Water harvested (used from ponds)", "m³/yr"),
    ("pond_fills_per_yr", "Pond fills per year", ""),
    ("pond_evaporation_m3_yr", "Pond evaporation", "m³/yr"),
    ("runoff_change_m3_yr", "Change in runoff", "m³/yr"),
    ("recharge_change_m3_yr", "Change in recharge", "m³/yr"),
    ("aet_change_m3_yr", "Change in actual ET", "m³/yr"),
    ("deficit_months_avoided_per_yr", "", "community-months/yr"),  # worded by its sign
    ("carbon_t_co2_yr", "Carbon sequestered (IPCC tier 1)", "t CO₂/yr"),
    ("households_reached", "Households reached", ""),
)
# totals that are amounts, not changes: shown without a sign, with these decimals
UNSIGNED_DECIMALS = {"pond_fills_per_yr": 1, "pond_evaporation_m3_yr": 0, "households_reached": 0}


def signed(value: float, decimals: int, t: Translate = str) -> str:
    """A change with its sign ("+12", "-3.5") in ``t``'s format; a rounded zero reads "0"."""
    rounded = round(float(value), decimals)
    if rounded == 0:
        return number(0, decimals, t)
    return ("+" if rounded > 0 else "") + number(rounded, decimals, t)


def deficit_months_wording(avoided: float) -> tuple[str, float]:
    """Label and non-negative count of the change in months of deficit (added or avoided)."""
    if round(avoided) > 0:
        return "Months of deficit avoided", float(avoided)
    return "Months of deficit added", float(max(-avoided, 0.0))


def scenario_from_form(form: dict[str, Any]) -> Scenario:
    """A Scenario from the form's values (empty fields mean no change).

    Raises
    ------
    ValueError
        With the first invalid field named (pydantic's message).
    """
    lu = []
    if form.get("lu_from") is not None and form.get("lu_to") is not None and form.get("lu_pct"):
        lu.append(
            LandUseChange(
                from_class=int(form["lu_from"]), to_class=int(form["lu_to"]), pct=form["lu_pct"]
            )
        )
    try:
        return Scenario(
            name=(form.get("name") or "scenario").strip()[:200] or "scenario",
            communities=list(form.get("communities") or []),
            rain_pct=float(form.get("rain_pct") or 0),
            warming_c=float(form.get("warming_c") or 0),
            land_use=lu,
            ponds=int(form.get("ponds") or 0),
            pond_volume_m3=float(form.get("pond_volume_m3") or 0),
            terraces_ha=float(form.get("terraces_ha") or 0),
            agroforestry_ha=float(form.get("agroforestry_ha") or 0),
            future=form.get("future") or None,
            future_spread=form.get("future_spread") or "min-max",
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(x) for x in first["loc"])
        raise ValueError(f"{field}: {first['msg']}") from exc


def form_values(sc: Scenario) -> dict[str, Any]:
    """The form's fields for a saved scenario (inverse of :func:`scenario_from_form`)."""
    lu = sc.land_use[0] if sc.land_use else None
    return {
        "name": sc.name,
        "communities": sc.communities,
        "rain_pct": sc.rain_pct or None,
        "warming_c": sc.warming_c or None,
        "lu_from": lu.from_class if lu else None,
        "lu_to": lu.to_class if lu else None,
        "lu_pct": lu.pct if lu else None,
        "ponds": sc.ponds or None,
        "pond_volume_m3": sc.pond_volume_m3 or None,
        "terraces_ha": sc.terraces_ha or None,
        "agroforestry_ha": sc.agroforestry_ha or None,
        "future": sc.future,
        "future_spread": sc.future_spread,
    }


def map_values(result: ScenarioResult) -> dict[str, dict[str, float]]:
    """Per variable, the change (mm/yr) per community id, for the map of the change."""
    t = result.table
    return {
        v: {str(i): float(d) for i, d in zip(t["id"], t[f"{v}_delta_mm_yr"], strict=True)}
        for v in MAP_VARIABLES
    }


def _translucent(hex_colour: str, alpha: float = 0.2) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


FUTURE_ROWS = (
    ("rain", "Rainfall"),
    ("pet", "Potential ET"),
    ("aet", "Actual ET"),
    ("runoff", "Runoff"),
    ("recharge", "Recharge"),
    ("deficit", "Deficit"),
)


def future_table(sc: Scenario, result: ScenarioResult, t: Translate = str) -> html.Div | None:
    """Baseline against the future climate (area-weighted mm/yr), with the GCMs' spread.

    None when the scenario runs under no future climate.
    """
    if not sc.future:
        return None
    table = result.table
    weights = table["area_ha"]
    ensemble = bool(result.members)

    def mean(col: str) -> float:
        return float(np.average(table[col], weights=weights))

    head = [html.Th(""), html.Th(t("Baseline")), html.Th(t("Future"))]
    if ensemble:
        head.append(html.Th(t("GCM spread")))
    rows = []
    for v, label in FUTURE_ROWS:
        cells = [
            html.Td(t(label)),
            html.Td(number(mean(f"{v}_base_mm_yr"), 0, t)),
            html.Td(number(mean(f"{v}_scen_mm_yr"), 0, t)),
        ]
        if ensemble:
            lo, hi = mean(f"{v}_scen_lo_mm_yr"), mean(f"{v}_scen_hi_mm_yr")
            cells.append(html.Td(f"{number(lo, 0, t)} – {number(hi, 0, t)}"))
        rows.append(html.Tr(cells))
    if ensemble:
        spread = t("min-max") if sc.future_spread == "min-max" else t("10-90 %")
        caption = t("Median of {n} GCMs ({gcms}); spread {spread}.").format(
            n=len(result.members), gcms=", ".join(result.members), spread=spread
        )
    else:
        caption = t("One GCM.")
    return html.Div(
        [
            html.H5(f"{t('Future climate')}: {sc.future} ({unit('mm/yr', t)})"),
            html.Table([html.Thead(html.Tr(head)), html.Tbody(rows)], className="future-table"),
            html.P(caption, className="hint"),
        ],
        className="future-result",
    )


PROFILE_FUTURE_ROWS = tuple(r for r in FUTURE_ROWS if r[0] in PROFILE_VARIABLES)


def future_store(sc: Scenario, result: ScenarioResult) -> dict[str, Any] | None:
    """The future scenario's figures each community's profile shows (None without a future).

    Per community the scenario runs on, each of :data:`PROFILE_FUTURE_ROWS`' baseline, future
    (the median of an ensemble) and an ensemble's spread low and high, mm/yr; and the
    scenario's fields, so the profile's file and brief can run it again on the server.
    """
    if not sc.future:
        return None
    table = result.table
    ends = ("base", "scen", "scen_lo", "scen_hi") if result.members else ("base", "scen")
    rows = {
        str(r["id"]): {
            v: [round(float(r[f"{v}_{e}_mm_yr"]), 1) for e in ends] for v, _ in PROFILE_FUTURE_ROWS
        }
        for _, r in table.iterrows()
    }
    return {
        "label": sc.future,
        "name": sc.name,
        "rows": rows,
        "scenario": sc.model_dump(mode="json"),
    }


def profile_future(
    store: dict[str, Any] | None, uid: str | None, t: Translate = str
) -> html.Div | None:
    """The selected community's baseline against the last future scenario (mm/yr).

    None when no future scenario has run, or it leaves the community alone.
    """
    if not store or not uid:
        return None
    row = (store.get("rows") or {}).get(str(uid))
    if not row:
        return None
    ensemble = len(next(iter(row.values()))) == 4
    head = [html.Th(""), html.Th(t("Baseline")), html.Th(t("Future"))]
    if ensemble:
        head.append(html.Th(t("GCM spread")))
    body = []
    for v, label in PROFILE_FUTURE_ROWS:
        values = row[v]
        cells = [html.Td(t(label)), *(html.Td(number(x, 0, t)) for x in values[:2])]
        if ensemble:
            cells.append(html.Td(f"{number(values[2], 0, t)} – {number(values[3], 0, t)}"))
        body.append(html.Tr(cells))
    title = f"{t('Future climate')}: {store['label']} ({unit('mm/yr', t)})"
    return html.Div(
        [
            html.H4(title),
            html.Table([html.Thead(html.Tr(head)), html.Tbody(body)], className="future-table"),
            html.P(f"{t('Scenario')}: {store['name']}", className="hint"),
            html.A(
                t("Printable brief with this future climate"),
                href=brief_href(str(uid), store["scenario"]),
                target="_blank",
                className="brief-link",
            )
            if store.get("scenario")
            else None,
        ],
        className="profile-future",
    )


def monthly_figure(result: ScenarioResult, t: Translate = str) -> go.Figure:
    """Baseline (dashed) and scenario (solid) monthly volumes of the affected communities.

    An ensemble future's scenario line is the GCMs' median, over its spread's shaded band.
    """
    fig = go.Figure()
    colours = {"runoff": "#08519c", "recharge": "#756bb1", "aet": "#31a354", "deficit": "#a50f15"}
    labels = {"runoff": "Runoff", "recharge": "Recharge", "aet": "Actual ET", "deficit": "Deficit"}
    months = [t(m) for m in MONTH_NAMES]
    m = result.monthly
    for var, colour in colours.items():
        rows = m[m["variable"] == var].sort_values("month")
        fig.add_scatter(
            x=months,
            y=rows["baseline_m3"],
            name=f"{t(labels[var])} ({t('baseline')})",
            line={"color": colour, "dash": "dot"},
        )
        if "scenario_lo_m3" in rows:  # an ensemble: its spread as a band under the median
            fig.add_scatter(
                x=months, y=rows["scenario_hi_m3"], mode="lines", line={"width": 0},
                showlegend=False, hoverinfo="skip",
            )  # fmt: skip
            fig.add_scatter(
                x=months,
                y=rows["scenario_lo_m3"],
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=_translucent(colour),
                name=f"{t(labels[var])} ({t('GCM spread')})",
            )
        name = t(labels[var])
        if "scenario_lo_m3" in rows:
            name = f"{name} ({t('future median')})"
        fig.add_scatter(x=months, y=rows["scenario_m3"], name=name, line={"color": colour})
    fig.update_layout(
        height=340,
        margin={"l": 50, "r": 10, "t": 10, "b": 30},
        # the legend's top below the month names (rotated on a narrow panel), not over them
        legend={"orientation": "h", "y": -0.3, "yanchor": "top", "font": {"size": 9}},
        separators=plotly_separators(t),
        **PLAIN_STYLE,
    )
    fig.update_yaxes(title_text=unit("m³/month", t))
    fig.update_traces(hovertemplate=hover_template(unit("m³/month", t)))
    return fig


def scenario_panel(
    sc: Scenario,
    result: ScenarioResult,
    t: Translate = str,
    names: Mapping[str, str] | None = None,
) -> html.Div:
    """Impact figures, the per-community deltas and the monthly overlay."""
    totals = result.totals
    facts = []
    for key, label, units in TOTALS:
        value = totals.get(key, 0.0)
        if key == "deficit_months_avoided_per_yr":
            label, value = deficit_months_wording(value)
            text = f"{number(round(value), 0, t)} {unit(units, t)}"
        elif key in UNSIGNED_DECIMALS:
            text = f"{number(value, UNSIGNED_DECIMALS[key], t)} {unit(units, t)}"
        else:
            text = f"{signed(value, 0, t)} {unit(units, t)}"
        facts += [html.Dt(t(label)), html.Dd(text.strip())]
    table = result.table.sort_values("recharge_delta_m3_yr", kind="stable")
    head = html.Tr(
        [
            html.Th(t("Community")),
            *(html.Th(f"Δ {t(label)} mm") for label in ("Runoff", "Recharge", "Actual ET")),
            html.Th(t("Harvested m³")),
            html.Th(t("Fills/yr")),
        ]
    )
    rows = [
        html.Tr(
            [
                html.Td(
                    [
                        html.Span(str((names or {}).get(str(r["id"]), "")), className="unit-name"),
                        " ",
                        html.Span(str(r["id"]), className="unit-id"),
                    ]
                ),
                html.Td(signed(r["runoff_delta_mm_yr"], 1, t)),
                html.Td(signed(r["recharge_delta_mm_yr"], 1, t)),
                html.Td(signed(r["aet_delta_mm_yr"], 1, t)),
                html.Td(number(r["water_harvested_m3_yr"], 0, t)),
                html.Td(number(r["pond_fills_per_yr"], 1, t)),
            ]
        )
        for _, r in table.head(50).iterrows()
    ]
    return html.Div(
        [
            html.H4(f"{sc.name}: {totals['communities']} {t('communities')}"),
            future_table(sc, result, t),
            html.Dl(facts, className="eval-facts scenario-totals"),
            dcc.Graph(figure=monthly_figure(result, t), config={"displayModeBar": False}),
            html.Div(
                html.Table([html.Thead(head), html.Tbody(rows)], className="scenario-table"),
                className="scenario-table-wrap",
            ),
        ],
        className="scenario-result",
    )
