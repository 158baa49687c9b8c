"""The programme view: monitoring records in, progress by community, watershed and type out.

Pure builders over plain tables (:mod:`processing.programme`), so they are tested without
a browser; the callbacks are in :mod:`dashboard.programme_callbacks`. Every table and chart
carries the women-led and youth-led households beside the households.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard import ids
from dashboard.chart_style import PLAIN_STYLE
from dashboard.i18n import Translate, number, percent, plotly_separators, unit
from dashboard.profile import hover_template
from dashboard.search_options import dropdown_labels
from layers.monitoring import COUNT_COLUMNS, CSV_COLUMNS, STATUSES
from processing.programme import GROUPINGS, RECHARGE_COLUMN, REGION_ROW, WATER_COLUMN, WATER_NOTE

if TYPE_CHECKING:
    from dashboard.service import RegionService

GROUP_LABELS = {"community": "Community", "watershed": "Watershed", "type": "Intervention type"}
STATUS_LABELS = {
    "planned": "planned",
    "ongoing": "ongoing",
    "completed": "completed",
    "abandoned": "abandoned",
}
STATUS_COLOURS = {
    "planned": "#9ecae1",
    "ongoing": "#fdae6b",
    "completed": "#31a354",
    "abandoned": "#969696",
}
SITES_LABELS = {
    "planned": "Sites planned",
    "ongoing": "Sites ongoing",
    "completed": "Sites completed",
    "abandoned": "Sites abandoned",
}
COUNT_LABELS = {
    "households": "Households reached",
    "households_women_led": "led by women",
    "households_youth_led": "led by young people",
}
# the completed sites' water, m3/yr: column, label of the totals and cards, table heading
WATER_LABELS = (
    (WATER_COLUMN, "Water harvested by completed sites", "Water harvested"),
    (RECHARGE_COLUMN, "Recharge gained by completed sites", "Recharge gained"),
)
MAX_TABLE_ROWS = 30  # groups listed in the panel (the downloads hold all of them)


def programme_sites(service: RegionService) -> list[dict[str, str]]:
    """The region's project sites as options of the entry form ("S001 Water pan 1")."""
    sites = service.registry.sites
    spec = service.region.config.layers.project_sites
    if sites is None or spec is None:
        return []
    names = sites[spec.name_field] if spec.name_field and spec.name_field in sites else None
    out = []
    for i, site in enumerate(sites[spec.id_field].astype(str)):
        label = f"{site} {names.iloc[i]}" if names is not None else site
        out.append({"label": label, "value": site})
    return out


def _field(label: str, component: Any, id_: str) -> html.Div:
    return html.Div([html.Label(label, htmlFor=id_), component], className="field")


def programme_section(t: Translate, site_options: list[dict[str, str]]) -> html.Details:
    """Upload, entry form, grouping, totals, charts, table and downloads (filled by callbacks)."""
    counts = [
        _field(
            t(COUNT_LABELS[col]),
            dcc.Input(id=id_, type="number", min=0, step=1, debounce=True),
            id_,
        )
        for col, id_ in zip(
            COUNT_COLUMNS, (ids.PROG_HH, ids.PROG_WOMEN, ids.PROG_YOUTH), strict=True
        )
    ]
    return html.Details(
        [
            html.Summary(t("Programme monitoring")),
            html.P(
                [
                    t("Import a CSV with one row per site and date; columns:"),
                    " ",
                    html.Code(", ".join(CSV_COLUMNS)),
                    " (YYYY-MM-DD)",
                ],
                className="hint",
            ),
            dcc.Upload(
                html.Button(t("Import monitoring CSV")),
                id=ids.PROG_UPLOAD,
                accept=".csv,text/csv",
                max_size=5_000_000,
            ),
            html.Details(
                [
                    html.Summary(t("Enter a record")),
                    _field(
                        t("Project site"),
                        dcc.Dropdown(
                            options=site_options,
                            id=ids.PROG_SITE,
                            labels=dropdown_labels(t),
                        ),
                        ids.PROG_SITE,
                    ),
                    _field(
                        t("Date (YYYY-MM-DD)"),
                        dcc.Input(id=ids.PROG_DATE, type="text", debounce=True),
                        ids.PROG_DATE,
                    ),
                    _field(
                        t("Status"),
                        dcc.Dropdown(
                            options=[{"label": t(STATUS_LABELS[s]), "value": s} for s in STATUSES],
                            id=ids.PROG_STATUS,
                            labels=dropdown_labels(t),
                        ),
                        ids.PROG_STATUS,
                    ),
                    *counts,
                    html.Button(t("Save record"), id=ids.PROG_SAVE, n_clicks=0),
                ]
            ),
            html.Div(id=ids.PROG_MSG, role="status", className="design-msg"),
            _field(
                t("Totals by"),
                dcc.RadioItems(
                    options=[{"label": " " + t(GROUP_LABELS[g]), "value": g} for g in GROUPINGS],
                    value="community",
                    id=ids.PROG_BY,
                ),
                ids.PROG_BY,
            ),
            html.Div(id=ids.PROG_TOTALS),
            _field(
                t("Sites by status over time"),
                dcc.Dropdown(
                    id=ids.PROG_GROUP, placeholder=t("All sites"), labels=dropdown_labels(t)
                ),
                ids.PROG_GROUP,
            ),
            html.Div(id=ids.PROG_CHARTS),
            html.P(t(WATER_NOTE), className="hint"),
            html.Div(id=ids.PROG_TABLE, className="table-scroll"),
            html.Button(t("Download CSV"), id=ids.PROG_DL_CSV, n_clicks=0),
            html.Button(t("Download Excel"), id=ids.PROG_DL_XLSX, n_clicks=0),
            dcc.Download(id=ids.PROG_DOWNLOAD),
        ],
        id=ids.PROG_PANEL,
        className="programme",
    )


def _m3_yr(value: float, t: Translate) -> str:
    """A volume a year without its units ("-": none known)."""
    return "-" if pd.isna(value) else number(float(value), 0, t)


def _pct(value: float, t: Translate) -> str:
    return "-" if value is None or math.isnan(value) else percent(value / 100.0, 1, t)


def totals_list(row: pd.Series, t: Translate, id_: str = ids.PROG_REGION_TOTALS) -> html.Dl:
    """Totals of a group (a row of the programme table) as a definition list."""
    facts = [
        *((t(SITES_LABELS[s]), number(row[f"sites_{s}"], 0, t)) for s in STATUSES),
        (t("Households reached"), number(row["households"], 0, t)),
        (
            t("led by women"),
            f"{number(row['households_women_led'], 0, t)} ({_pct(row['women_led_pct'], t)})",
        ),
        (
            t("led by young people"),
            f"{number(row['households_youth_led'], 0, t)} ({_pct(row['youth_led_pct'], t)})",
        ),
        *(
            (t(label), _m3_yr(row[col], t) + ("" if pd.isna(row[col]) else f" {unit('m³/yr', t)}"))
            for col, label, _ in WATER_LABELS
        ),
    ]
    items = [x for k, v in facts for x in (html.Dt(k), html.Dd(v))]
    return html.Dl(items, className="eval-facts programme-totals", id=id_)


def unit_totals_section(row: pd.Series | None, t: Translate) -> html.Div | None:
    """The profile's programme section: its sites' status, households and water."""
    if row is None:
        return None
    return html.Div(
        [html.H3(t("Programme monitoring")), totals_list(row, t, ids.PROG_UNIT_TOTALS)],
        className="programme-unit",
    )


def _labelled(heading: str) -> dict[str, Any]:
    """The attribute that names a cell's column (shown on a phone, landwater.css)."""
    return {"data-label": heading}


def table_view(table: pd.DataFrame, by: str, t: Translate) -> html.Table:
    """The totals per group (plain text cells), at most :data:`MAX_TABLE_ROWS` groups.

    Each cell carries its column's heading (``data-label``), so a phone shows every row
    as a card of labelled values instead of a table wider than the screen (landwater.css).
    """
    head = [
        t(GROUP_LABELS[by]),
        *(t(STATUS_LABELS[s]) for s in STATUSES),
        t("Households reached"),
        t("led by women"),
        t("led by young people"),
        *(f"{t(short)} ({unit('m³/yr', t)})" for _, _, short in WATER_LABELS),
    ]
    # a card has no heading row above it: its water values say what they are
    water = len(WATER_LABELS)
    labels = [
        *head[:-water],
        *(f"{t(label)} ({unit('m³/yr', t)})" for _, label, _ in WATER_LABELS),
    ]
    groups = table.iloc[:-1].head(MAX_TABLE_ROWS)
    rows = pd.concat([groups, table.iloc[[-1]]])
    body = []
    for r in rows.to_dict("records"):
        label = t(REGION_ROW) if r[by] == REGION_ROW else str(r[by])
        cells = [
            label,
            *(number(r[f"sites_{s}"], 0, t) for s in STATUSES),
            number(r["households"], 0, t),
            f"{number(r['households_women_led'], 0, t)} ({_pct(r['women_led_pct'], t)})",
            f"{number(r['households_youth_led'], 0, t)} ({_pct(r['youth_led_pct'], t)})",
            *(_m3_yr(r[col], t) for col, _, _ in WATER_LABELS),
        ]
        body.append(
            html.Tr([html.Td(c, **_labelled(h)) for h, c in zip(labels, cells, strict=True)])
        )
    return html.Table(
        [html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(body)],
        className="stack-table",
    )


def status_figure(
    over_time: pd.DataFrame, t: Translate, group: str | None = None, today: dt.date | None = None
) -> go.Figure:
    """Sites planned / ongoing / completed / abandoned on every record date (stacked).

    Each status holds until the next record date; the latest one holds until ``today``
    (default: the server's date), so the latest record date shows as a step, not a point.
    """
    title = t("Sites by status over time") + (f": {group}" if group else "")
    today = today or dt.date.today()
    steps = over_time
    if not over_time.empty and over_time["date"].iloc[-1] < today:
        steps = pd.concat([over_time, over_time.tail(1).assign(date=today)], ignore_index=True)
    fig = go.Figure()
    for s in STATUSES:
        fig.add_trace(
            go.Scatter(
                x=[str(d) for d in steps["date"]],
                y=steps[s].tolist(),
                name=t(STATUS_LABELS[s]),
                stackgroup="sites",
                line={"color": STATUS_COLOURS[s], "shape": "hv"},
            )
        )
    fig.update_layout(
        **PLAIN_STYLE,
        title={"text": title, "font": {"size": 12}},
        height=260,
        margin={"l": 40, "r": 10, "t": 30, "b": 70},
        legend={"orientation": "h", "y": -0.3},
        separators=plotly_separators(t),
    )
    return fig


def households_figure(table: pd.DataFrame, by: str, t: Translate) -> go.Figure:
    """Households reached per group, with those led by women and by young people."""
    groups = table.iloc[:-1].head(MAX_TABLE_ROWS)
    fig = go.Figure()
    for col, colour in zip(COUNT_COLUMNS, ("#6baed6", "#e377c2", "#bcbd22"), strict=True):
        fig.add_trace(
            go.Bar(
                x=groups[by].astype(str).tolist(),
                y=groups[col].tolist(),
                name=t(COUNT_LABELS[col]),
                marker={"color": colour},
            )
        )
    fig.update_layout(
        **PLAIN_STYLE,
        barmode="group",
        title={"text": t("Households reached"), "font": {"size": 12}},
        height=340,
        margin={"l": 40, "r": 30, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.6},
        separators=plotly_separators(t),
    )
    fig.update_xaxes(automargin=True)  # the group names, however long, are not cut
    return fig


WATER_COLOURS = ("#3182bd", "#756bb1")  # water harvested, recharge gained


def water_figure(table: pd.DataFrame, by: str, t: Translate) -> go.Figure:
    """Water harvested and recharge gained by the completed sites per group (m3/yr).

    Groups whose sites give neither (no completed site of an intervention) are left out;
    a blank chart when no group gives any.
    """
    groups = table.iloc[:-1].head(MAX_TABLE_ROWS)
    known = groups[[col for col, _, _ in WATER_LABELS]].notna().any(axis=1)
    groups = groups[known]
    if groups.empty:
        return empty_figure()
    per_yr = unit("m³/yr", t)
    fig = go.Figure()
    for (col, _, short), colour in zip(WATER_LABELS, WATER_COLOURS, strict=True):
        fig.add_trace(
            go.Bar(
                x=groups[by].astype(str).tolist(),
                y=[None if pd.isna(v) else float(v) for v in groups[col]],
                name=t(short),
                marker={"color": colour},
                hovertemplate=hover_template(per_yr),
            )
        )
    fig.update_layout(
        **PLAIN_STYLE,
        barmode="group",
        title={"text": f"{t('Water from completed sites')} ({per_yr})", "font": {"size": 12}},
        height=320,
        margin={"l": 50, "r": 30, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.5},
        separators=plotly_separators(t),
    )
    fig.update_xaxes(automargin=True)  # the group names, however long, are not cut
    return fig


def programme_charts(status: go.Figure, households: go.Figure, water: go.Figure) -> list[Any]:
    """The status, households and water charts, for the charts' place in the panel.

    They are made once there are records: a page whose programme has none draws no empty
    chart (three plotly figures less on every page load).
    """
    chart_ids = (ids.PROG_STATUS_CHART, ids.PROG_HH_CHART, ids.PROG_WATER_CHART)
    return [
        dcc.Graph(id=id_, figure=fig, config={"displayModeBar": False})
        for id_, fig in zip(chart_ids, (status, households, water), strict=True)
    ]


def empty_figure() -> go.Figure:
    """A blank chart (no records yet, or a failed update)."""
    fig = go.Figure()
    fig.update_layout(**PLAIN_STYLE, height=40, margin={"l": 0, "r": 0, "t": 0, "b": 0})
    return fig
