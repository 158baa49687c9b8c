"""Observed against simulated flow at a calibrated outlet: chart and metrics for the profile."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.i18n import Translate


def flow_figure(flows: pd.DataFrame, t: Translate = str) -> go.Figure:
    """Monthly observed (dots) and simulated (line) flow in m3/s; validation shaded."""
    months = pd.to_datetime(flows["month"])
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=months,
            y=flows["observed_m3s"],
            mode="markers+lines",
            name=t("Observed"),
            line={"color": "#222222", "width": 1},
            marker={"size": 5},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=months,
            y=flows["simulated_m3s"],
            mode="lines",
            name=t("Simulated"),
            line={"color": "#2171b5", "width": 2},
        )
    )
    val = months[flows["period"] == "validation"]
    if len(val):
        fig.add_vrect(x0=val.min(), x1=val.max(), fillcolor="#fdd0a2", opacity=0.35, line_width=0)
    fig.update_layout(
        template=None,
        height=220,
        margin={"l": 40, "r": 10, "t": 10, "b": 30},
        yaxis_title="m³/s",
        legend={"orientation": "h", "y": 1.12},
        plot_bgcolor="#ffffff",
    )
    return fig


def metrics_rows(report: dict[str, Any]) -> list[list[str]]:
    """Period, months, NSE, KGE and PBIAS of calibration and validation, as text."""
    rows = []
    for label in ("calibration", "validation"):
        m = report[label]
        rows.append(
            [
                label,
                str(m["period"]),
                str(m["months"]),
                f"{m['nse']:.2f}",
                f"{m['kge']:.2f}",
                f"{m['pbias_pct']:+.0f} %",
            ]
        )
    return rows


def calibration_section(report: dict[str, Any], flows: pd.DataFrame, t: Translate) -> html.Div:
    """Chart, metrics table and calibrated parameters of the watershed's outlet."""
    p = report["params"]
    head = [t("Period"), "", t("Months"), "NSE", "KGE", "PBIAS"]
    return html.Div(
        [
            html.H4(t("Observed and simulated flow at the outlet")),
            dcc.Graph(
                figure=flow_figure(flows, t),
                config={"displayModeBar": False},
                className="profile-chart",
            ),
            html.Table(
                [
                    html.Thead(html.Tr([html.Th(h) for h in head])),
                    html.Tbody(
                        [
                            html.Tr([html.Td(t(r[0])), *[html.Td(c) for c in r[1:]]])
                            for r in metrics_rows(report)
                        ]
                    ),
                ],
                className="calibration-table",
            ),
            html.P(
                f"{t('Calibrated')}: CN x {p['cn_multiplier']:.2f}, AWC x "
                f"{p['awc_multiplier']:.2f}, {t('baseflow recession')} "
                f"{p['baseflow_k_months']:.1f} {t('months')} ({report['objective'].upper()})",
                className="calibration-params",
            ),
        ],
        className="calibration",
    )
