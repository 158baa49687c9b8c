"""The community/watershed profile panel: pure builders from results tables to components."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.i18n import Translate

MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
ANNUAL_ROWS = (
    ("Rainfall", "rain"),
    ("Crop PET", "pet"),
    ("Actual ET", "aet"),
    ("Runoff", "runoff"),
    ("Recharge", "recharge"),
    ("Deficit", "deficit"),
)
STRESS_DEFICIT_MM = 10.0


@dataclass(frozen=True)
class ProfileData:
    """Everything the panel shows about one unit (rows of the results store)."""

    summary: pd.Series
    monthly: pd.DataFrame  # long rows of this unit, unit == "mm"
    attributes: dict[str, object]  # population, households, ... from the source layer
    sites: pd.DataFrame  # project sites inside the unit
    land_use_colours: dict[str, str]  # lu column key -> colour


def monthly_means(monthly: pd.DataFrame) -> pd.DataFrame:
    """Mean of each calendar month per variable: index month 1..12, one column per variable."""
    table = monthly.pivot_table(index="month", columns="variable", values="value", aggfunc="mean")
    return table.reindex(range(1, 13))


def balance_figure(monthly: pd.DataFrame, t: Translate = str) -> go.Figure:
    """Monthly water balance chart: rainfall bars, PET and AET lines, runoff/recharge/deficit."""
    m = monthly_means(monthly)
    months = [t(name) for name in MONTH_NAMES]
    fig = go.Figure()
    fig.add_bar(x=months, y=m.get("rain"), name=t("Rainfall"), marker_color="#6baed6")
    fig.add_scatter(
        x=months,
        y=m.get("pet"),
        name=t("Crop PET"),
        mode="lines+markers",
        line={"color": "#e6550d"},
    )
    fig.add_scatter(
        x=months,
        y=m.get("aet"),
        name=t("Actual ET"),
        mode="lines+markers",
        line={"color": "#31a354"},
    )
    fig.add_bar(x=months, y=m.get("runoff"), name=t("Runoff"), marker_color="#08519c")
    fig.add_bar(x=months, y=m.get("recharge"), name=t("Recharge"), marker_color="#756bb1")
    fig.add_scatter(
        x=months,
        y=m.get("deficit"),
        name=t("Deficit"),
        mode="lines",
        line={"color": "#a50f15", "dash": "dot"},
    )
    fig.update_layout(
        barmode="group",
        height=260,
        margin={"l": 40, "r": 10, "t": 10, "b": 30},
        yaxis_title="mm/month",
        legend={"orientation": "h", "y": -0.2},
        template="plotly_white",
    )
    return fig


def land_use_figure(summary: pd.Series, colours: dict[str, str], t: Translate = str) -> go.Figure:
    """Horizontal bar of the land-use mix, percent of the unit."""
    cols = [c for c in summary.index if c.startswith("lu_") and c.endswith("_pct")]
    keys = [c[3:-4] for c in cols]
    values = [float(summary[c]) for c in cols]
    labels = [k.replace("_", " ").capitalize() for k in keys]
    fig = go.Figure(
        go.Bar(
            x=values, y=labels, orientation="h", marker_color=[colours.get(k, "#999") for k in keys]
        )
    )
    fig.update_layout(
        height=40 + 22 * len(cols),
        margin={"l": 110, "r": 10, "t": 5, "b": 25},
        xaxis_title=t("% of area"),
        template="plotly_white",
    )
    return fig


def stress_months(monthly: pd.DataFrame) -> list[str]:
    """Calendar months whose mean deficit exceeds ``STRESS_DEFICIT_MM``."""
    m = monthly_means(monthly)
    if "deficit" not in m:
        return []
    deficit = m["deficit"].to_numpy()
    return [MONTH_NAMES[i] for i in range(12) if deficit[i] > STRESS_DEFICIT_MM]


def annual_table(summary: pd.Series, t: Translate = str) -> html.Table:
    """Annual totals in mm and m3."""
    head = html.Thead(html.Tr([html.Th(""), html.Th("mm/yr"), html.Th("m³/yr")]))
    rows = []
    for label, key in ANNUAL_ROWS:
        mm, m3 = summary.get(f"{key}_mm_yr"), summary.get(f"{key}_m3_yr")
        rows.append(html.Tr([html.Td(t(label)), html.Td(_num(mm)), html.Td(_num(m3))]))
    return html.Table([head, html.Tbody(rows)], className="annual-table")


def _num(value: object) -> str:
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "-"
    return "-" if v != v else f"{v:,.0f}"


def profile_panel(data: ProfileData, t: Translate = str) -> html.Div:
    """The whole profile panel of one unit."""
    s = data.summary
    facts = [html.Span(f"{float(s['area_ha']):,.0f} ha")]
    for key in ("population", "households"):
        if data.attributes.get(key) is not None:
            facts.append(html.Span(f"{t(key)}: {int(data.attributes[key]):,}"))  # type: ignore[call-overload]
    stress = stress_months(data.monthly)
    sites = data.sites
    site_list = (
        html.Ul(
            [html.Li(f"{r['name']} - {r['type']} ({r['status']})") for _, r in sites.iterrows()],
            className="site-list",
        )
        if len(sites)
        else html.P(t("No project sites recorded here."))
    )
    return html.Div(
        [
            html.H3(str(s["name"]), className="profile-name"),
            html.Div(
                [html.Span(str(s["id"]), className="profile-id"), *facts], className="profile-facts"
            ),
            html.H4(t("Monthly water balance")),
            dcc.Graph(
                figure=balance_figure(data.monthly, t),
                config={"displayModeBar": False},
                className="profile-chart",
            ),
            html.P(
                f"{t('Water-stress index')} {float(s['stress_index']):.2f}; "
                f"{t('months in deficit')} (> {STRESS_DEFICIT_MM:.0f} mm): "
                + (", ".join(t(m) for m in stress) if stress else t("none")),
                className="profile-stress",
            ),
            html.H4(t("Annual totals")),
            annual_table(s, t),
            html.H4(t("Land use")),
            dcc.Graph(
                figure=land_use_figure(s, data.land_use_colours, t),
                config={"displayModeBar": False},
            ),
            html.H4(f"{t('Project sites')} ({len(sites)})"),
            site_list,
        ],
        className="profile",
    )
