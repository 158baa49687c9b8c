"""The profile's year-by-year section for a monthly series: pure builders, no callbacks.

Rain bars by whole year, the dry years in their own colour, with runoff, recharge and
deficit as lines; then a table of each year's rain anomaly and months in deficit. A
climatology (no years) or a series without a whole year shows nothing.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.chart_style import PLAIN_STYLE
from dashboard.i18n import Translate, number, plotly_separators, unit
from processing.glossary import term
from processing.kernels.water_balance import DEFICIT_MONTH_MM
from processing.trends import DRY_PERCENTILE, trends_by_year

RAIN_COLOUR, DRY_COLOUR = "#6baed6", "#d95f0e"
LINES = {"runoff": "#08519c", "recharge": "#756bb1", "deficit": "#a50f15"}


def dry_label(t: Translate = str) -> str:
    """The legend of the dry years: "dry year (below the 20th percentile)"."""
    return t("dry year (below the {p}th percentile)").format(p=f"{DRY_PERCENTILE:.0f}")


def trends_figure(years: pd.DataFrame, t: Translate = str) -> go.Figure:
    """Rain bars by year (dry years in :data:`DRY_COLOUR`), runoff, recharge, deficit lines."""
    fig = go.Figure()
    dry = years["dry_year"].astype(bool)
    units = unit("mm/yr", t)
    for subset, name, colour in (
        (years[~dry], t(term("rain").label), RAIN_COLOUR),
        (years[dry], dry_label(t), DRY_COLOUR),
    ):
        fig.add_bar(
            x=subset["year"],
            y=subset["rain_mm"],
            name=name,
            marker_color=colour,
            offsetgroup="rain",
            hovertemplate=f"%{{fullData.name}}: %{{y:,.0f}} {units} (%{{x}})<extra></extra>",
        )
    for key, colour in LINES.items():
        fig.add_scatter(
            x=years["year"],
            y=years[f"{key}_mm"],
            name=t(term(key).label),
            mode="lines+markers",
            line={"color": colour, "dash": "dot" if key == "deficit" else "solid"},
            hovertemplate=f"%{{fullData.name}}: %{{y:,.0f}} {units} (%{{x}})<extra></extra>",
        )
    fig.update_layout(
        height=260,
        margin={"l": 40, "r": 10, "t": 10, "b": 30},
        legend={"orientation": "h", "y": -0.2},
        separators=plotly_separators(t),
        **PLAIN_STYLE,
    )
    fig.update_xaxes(dtick=1)
    fig.update_yaxes(title_text=units)
    return fig


def trends_table(years: pd.DataFrame, t: Translate = str) -> html.Table:
    """Per year: rain, its anomaly in % of the period mean, months in deficit, dry or not."""
    head = html.Thead(
        html.Tr(
            [
                html.Th(t("Year")),
                html.Th(f"{t(term('rain').label)} ({unit('mm/yr', t)})"),
                html.Th(t("vs. mean")),
                html.Th(f"{t('months in deficit')} (> {DEFICIT_MONTH_MM:.0f} mm)"),
            ]
        )
    )
    body = []
    for _, r in years.iterrows():
        pct = r["rain_anomaly_pct"]
        anomaly = "-" if pd.isna(pct) else f"{'+' if pct >= 0 else ''}{number(float(pct), 0, t)} %"
        body.append(
            html.Tr(
                [
                    html.Td(str(int(r["year"]))),
                    html.Td(number(float(r["rain_mm"]), 0, t)),
                    html.Td(anomaly),
                    html.Td(str(int(r["deficit_months"]))),
                ],
                className="dry-year" if bool(r["dry_year"]) else None,
                title=dry_label(t) if bool(r["dry_year"]) else None,
            )
        )
    return html.Table([head, html.Tbody(body)], className="trends-table")


def trends_section(monthly: pd.DataFrame, t: Translate = str) -> list[Any]:
    """The heading, chart and table of the unit's whole years; [] for a climatology."""
    years = trends_by_year(monthly) if len(monthly) else None
    if years is None or years.empty:
        return []
    return [
        html.H4(t("Year by year")),
        dcc.Graph(
            figure=trends_figure(years, t),
            config={"displayModeBar": False},
            className="profile-chart trends-chart",
        ),
        trends_table(years, t),
    ]
