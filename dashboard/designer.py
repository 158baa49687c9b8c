"""The designer's workbench: pure builders from engine results to Dash components.

Callbacks (``dashboard/designer_callbacks.py``) stay thin and call these; everything here
takes plain data (dicts, tables) so it is tested without a browser.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import dash_ag_grid as dag
import dash_leaflet as dl
import pandas as pd
from dash import dcc, html

from dashboard import ids
from dashboard.glossary_view import with_info
from dashboard.i18n import Translate, grid_number, number, unit
from dashboard.input_checks import WEIGHT_RANGE, slider_value
from dashboard.profile import CRITERION_LABELS
from dashboard.robustness_view import robustness_column_defs
from dashboard.search_options import dropdown_labels
from layers.config import InterventionConfig
from processing.hru import SOIL_GROUPS
from processing.kernels.suitability import CR_LIMIT, normalise_weights

CLASS_COLOURS = {"S1": "#1a9850", "S2": "#91cf60", "S3": "#fee08b", "N": "#bdbdbd", "": "#bdbdbd"}
RANKING_COLUMNS = (
    ("rank", "#", 48),
    ("name", "Community", 120),
    ("mean_score", "Score", 70),
    ("s1s2_ha", "S1+S2 ha", 100),
    ("limiting_criterion", "Limited by", 130),
)


def criterion_label(layer: str | None, t: Translate = str) -> str:
    """A criterion layer's readable name in the UI language."""
    if not layer:
        return "-"
    return t(CRITERION_LABELS.get(layer, layer))


UNIT_SUFFIXES = (  # a criterion layer's name ends with its units
    ("_mm_per_m", "mm/m"),
    ("_mm_yr", "mm/yr"),
    ("_mm", "mm"),
    ("_pct", "%"),
    ("_m", "m"),
)


def criterion_value(layer: str, value: float | None, t: Translate = str) -> str:
    """A criterion's value at a site with its units in ``t``'s language; a soil group: A-D."""
    if value is None or value != value:
        return "-"
    if layer == "soil_hsg":
        k = round(value)
        return SOIL_GROUPS[k] if 0 <= k < len(SOIL_GROUPS) else "-"
    if layer == "land_use":
        return f"{round(value)}"  # a class code
    units = next((u for suffix, u in UNIT_SUFFIXES if layer.endswith(suffix)), "")
    digits = 1 if abs(value) < 100 else 0
    return f"{number(value, digits, t)} {unit(units, t)}".strip()


def _slider_name(name: str) -> dict[str, Any]:
    """Attributes naming the slider handles inside an element (read by assets/landwater.js)."""
    return {"data-label": name}


def weight_sliders(
    profile: InterventionConfig, weights: Sequence[float], t: Translate
) -> list[Any]:
    """One slider (0..10) per criterion, labelled with its layer and rationale."""
    out: list[Any] = []
    scale = 10.0 / max(max(weights), 1e-9)
    for i, (crit, w) in enumerate(zip(profile.criteria, weights, strict=True)):
        out.append(
            html.Div(
                [
                    html.Label(
                        criterion_label(crit.layer, t),
                        title=crit.rationale,
                        htmlFor=f"design-weight-{i}",
                    ),
                    dcc.Slider(
                        *WEIGHT_RANGE,
                        0.1,
                        value=round(w * scale, 1),
                        id={"type": ids.DESIGN_WEIGHT, "index": i},
                        marks=None,
                        tooltip={"placement": "right", "always_visible": False},
                    ),
                ],
                className="weight-row",
                **_slider_name(f"{criterion_label(crit.layer, t)}: {t('weight')}"),
            )
        )
    return out


SAATY = (9, 7, 5, 3, 1, 1 / 3, 1 / 5, 1 / 7, 1 / 9)
CONSTRAINT_LABELS = {
    "land_use": "Excluded land use",
    "slope": "Slope limit",
    "protected": "Protected areas",
    "water": "Water buffer",
}


def _saaty_label(v: float) -> str:
    return f"{v:g}" if v >= 1 else f"1/{round(1 / v)}"


def ahp_initial(
    profile: InterventionConfig, weights: Sequence[float]
) -> dict[tuple[int, int], float]:
    """Upper-triangle judgements: the profile's AHP matrix, else weight ratios on Saaty's scale."""
    n = len(profile.criteria)
    out = {}
    for i in range(n):
        for j in range(i + 1, n):
            if profile.ahp is not None:
                ratio = profile.ahp[i][j]
            else:
                ratio = max(weights[i], 1e-9) / max(weights[j], 1e-9)
            out[(i, j)] = min(SAATY, key=lambda v: abs(math.log(v) - math.log(ratio)))
    return out


def ahp_grid(profile: InterventionConfig, weights: Sequence[float], t: Translate) -> html.Table:
    """Pairwise comparisons: how much more important the row's criterion is than the column's."""
    n = len(profile.criteria)
    initial = ahp_initial(profile, weights)
    options = [{"label": _saaty_label(v), "value": v} for v in SAATY]
    rows = []
    for i in range(n):
        cells: list[Any] = [html.Th(criterion_label(profile.criteria[i].layer, t))]
        for j in range(1, n):
            if j <= i:
                cells.append(html.Td(""))
                continue
            cells.append(
                html.Td(
                    dcc.Dropdown(
                        options=options,
                        value=initial[(i, j)],
                        clearable=False,
                        id={"type": ids.AHP_CELL, "i": i, "j": j},
                        className="ahp-cell",
                        labels=dropdown_labels(t),
                    )
                )
            )
        rows.append(html.Tr(cells))
    head = html.Tr(
        [html.Th(t("row vs column"))]
        + [html.Th(criterion_label(c.layer, t)) for c in profile.criteria[1:]]
    )
    return html.Table([html.Thead(head), html.Tbody(rows)], className="ahp-table")


def ahp_matrix(
    n: int, cells: Sequence[dict[str, Any]], values: Sequence[float | None]
) -> list[list[float]]:
    """The reciprocal matrix from the upper-triangle dropdowns."""
    a = [[1.0] * n for _ in range(n)]
    for cell, v in zip(cells, values, strict=True):
        i, j = int(cell["i"]), int(cell["j"])
        a[i][j] = float(v or 1.0)
        a[j][i] = 1.0 / a[i][j]
    return a


def ahp_info(cr: float, t: Translate = str) -> html.Div:
    """The consistency ratio, with Saaty's warning at 0.1 and above."""
    if cr >= CR_LIMIT:
        return html.Div(
            f"{t('Consistency ratio')} {cr:.2f} >= {CR_LIMIT}: "
            + t("the comparisons contradict each other; revise them."),
            className="warning",
        )
    return html.Div(f"{t('Consistency ratio')} {cr:.2f} ({t('consistent')})", className="ok")


def constraint_options(
    profile: InterventionConfig, areas: Sequence[str], t: Translate = str
) -> list[dict[str, str]]:
    """The profile's constraints a designer can switch off."""
    names = []
    if profile.exclude_land_use:
        names.append("land_use")
    if profile.max_slope_pct is not None:
        names.append("slope")
    names += [a for a in ("protected", "water") if a in areas]
    return [{"label": " " + t(CONSTRAINT_LABELS[n]), "value": n} for n in names]


def weight_percentages(
    profile: InterventionConfig, values: Sequence[float | None], t: Translate = str
) -> tuple[list[float] | None, html.Div]:
    """Normalised weights of the sliders and their display, or None when all are zero."""
    raw = [slider_value(v, WEIGHT_RANGE, 0.0) for v in values]
    if sum(raw) <= 0:
        return None, html.Div(t("Give at least one criterion a weight."), className="warning")
    w = [float(v) for v in normalise_weights(raw)]
    parts = [
        html.Span(f"{criterion_label(c.layer, t)} {100 * v:.0f} %", className="weight-pct")
        for c, v in zip(profile.criteria, w, strict=True)
    ]
    return w, html.Div(parts, className="weight-pcts")


RANKING_DIGITS = {"mean_score": 3, "s1s2_ha": 1}  # decimals the grid shows


def ranking_grid(rows: list[dict[str, Any]], t: Translate = str) -> dag.AgGrid:
    """The community ranking: sortable, filterable (dash-ag-grid)."""
    return dag.AgGrid(
        id=ids.DESIGN_RANKING,
        rowData=rows,
        columnDefs=[
            {
                "field": f,
                "headerName": t(h),
                "width": w,
                "sortable": True,
                "filter": True,
                "floatingFilter": f == "name",
            }
            | ({"valueFormatter": grid_number(RANKING_DIGITS[f], t)} if f in RANKING_DIGITS else {})
            for f, h, w in RANKING_COLUMNS[:3]  # rank, name, score
        ]
        + robustness_column_defs(t)
        + [
            {"field": f, "headerName": t(h), "width": w, "sortable": True, "filter": True}
            | ({"valueFormatter": grid_number(RANKING_DIGITS[f], t)} if f in RANKING_DIGITS else {})
            for f, h, w in RANKING_COLUMNS[3:]
        ],
        getRowId="params.data.unit_id",
        # no menu or filter icons in the headers: they cut the names ("Sc..."); communities
        # are filtered by name from the box under the header; long names wrap onto two lines
        defaultColDef={
            "resizable": True,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            "suppressHeaderMenuButton": True,
            "suppressHeaderFilterButton": True,
        },
        # cells and headers are no tab stops: 5 per row would stand between the weights and
        # the suggest and scenario controls (the unit search selects from the keyboard)
        dashGridOptions={
            "animateRows": False,
            "rowHeight": 28,
            "suppressCellFocus": True,
            "suppressHeaderFocus": True,
        },
        style={"height": "260px"},
        className="ag-theme-alpine",
    )


def ranking_rows(table: pd.DataFrame, t: Translate = str) -> list[dict[str, Any]]:
    """Rows of the ranking grid from :meth:`DesignerService.ranking`."""
    out = []
    for r in table.to_dict("records"):
        limiting = r["limiting_criterion"]
        out.append(
            {
                "rank": int(r["rank"]),
                "unit_id": str(r["unit_id"]),
                "name": str(r["name"]),
                "mean_score": round(float(r["mean_score"]), 3),
                "s1s2_ha": round(float(r["s1s2_ha"]), 1),
                "limiting_criterion": criterion_label(
                    None if pd.isna(limiting) else str(limiting), t
                ),
            }
        )
    return out


def evaluation_panel(ev: dict[str, Any], t: Translate = str) -> html.Div:
    """A candidate site's evaluation: score, criteria, limiting factor, places, water balance."""
    score = ev.get("score")
    klass = ev.get("suitability_class") or ""
    rows = [
        html.Tr(
            [
                html.Td(criterion_label(c["layer"], t), title=c.get("rationale", "")),
                html.Td(criterion_value(c["layer"], c["value"], t)),
                html.Td("-" if c["membership"] is None else f"{c['membership']:.2f}"),
                html.Td(f"{100 * c['weight']:.0f} %"),
            ]
        )
        for c in ev.get("criteria", [])
    ]
    wb = ev.get("water_balance") or {}
    facts = [
        (t("Community"), f"{ev.get('community_name') or '-'} ({ev.get('community_id') or '-'})"),
        (t("Watershed"), str(ev.get("watershed_name") or "-")),
        (t("Land use"), str(ev.get("land_use") or "-")),
        (t("Slope"), _fmt(ev.get("slope_pct"), "%", t)),
        (t("Annual rainfall"), _fmt(ev.get("rainfall_annual_mm"), "mm", t)),
        (
            t("Nearest existing site"),
            f"{ev.get('nearest_site_id') or '-'} ({_fmt(ev.get('nearest_site_m'), 'm', t)})",
        ),
        (
            with_info(t("Community deficit"), "deficit_mm_yr", t),
            _fmt(wb.get("deficit_mm_yr"), "mm/yr", t),
        ),
        (
            with_info(t("Community runoff"), "runoff_mm_yr", t),
            _fmt(wb.get("runoff_mm_yr"), "mm/yr", t),
        ),
    ]
    return html.Div(
        [
            html.Div(
                [
                    html.Span(
                        klass or "-",
                        className="class-badge",
                        style={"background": CLASS_COLOURS.get(klass, "#bdbdbd")},
                    ),
                    html.Strong(f"{t('Score')} {'-' if score is None else f'{score:.2f}'}"),
                    html.Span(
                        f" {t('Limited by')}: {criterion_label(ev.get('limiting_criterion'), t)}"
                    ),
                ],
                className="eval-head",
            ),
            html.Ul([html.Li(t(x)) for x in ev.get("exclusions", [])], className="exclusions"),
            html.Table(
                [
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(t("Criterion")),
                                html.Th(t("Value")),
                                html.Th(t("Membership")),
                                html.Th(t("Weight")),
                            ]
                        )
                    ),
                    html.Tbody(rows),
                ],
                className="eval-criteria",
            ),
            html.Dl(
                [x for k, v in facts for x in (html.Dt(k), html.Dd(v))], className="eval-facts"
            ),
        ],
        className="evaluation",
    )


def _fmt(value: object, units: str, t: Translate = str) -> str:
    """``value`` rounded, then its ``units`` in ``t``'s language ("-" when unknown)."""
    if value is None:
        return "-"
    try:
        return f"{number(float(value), 0, t)} {unit(units, t)}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "-"


def candidate_markers(candidates: list[dict[str, Any]]) -> list[dl.DivMarker]:
    """Map markers of the candidate sites: numbered squares coloured by class.

    Squares with a number (rank of a suggestion, order of a pick) read apart from the
    round markers of existing project sites.
    """
    out = []
    for i, c in enumerate(candidates):
        number = str(c["rank"]) if c.get("rank") else str(i + 1)
        score = c.get("score")
        fill = CLASS_COLOURS.get(c.get("suitability_class") or "", "#bdbdbd")
        out.append(
            dl.DivMarker(
                position=[c["lat"], c["lon"]],
                iconOptions={
                    "className": "cand-marker",
                    # the number and colour are ours (digits, a hex code): no user text here
                    "html": f'<span style="background:{fill}">{number}</span>',
                    "iconSize": [24, 24],
                    "iconAnchor": [12, 12],
                },
                children=dl.Tooltip(
                    f"#{number} {c.get('intervention', '')}: "
                    f"{'-' if score is None else f'{score:.2f}'} "
                    f"{c.get('suitability_class') or ''} - {c.get('community_name') or '-'}, "
                    f"{c.get('watershed_name') or '-'}; "
                    f"limited by {criterion_label(c.get('limiting_criterion'))}"
                ),
                id={"type": ids.CANDIDATE_MARK, "index": i},
            )
        )
    return out


def candidate_list(candidates: list[dict[str, Any]], t: Translate = str) -> html.Div:
    """The candidates with their note field and a remove button each."""
    if not candidates:
        return html.Div(t("No candidate sites yet."), className="hint")
    rows = []
    for i, c in enumerate(candidates):
        score = c.get("score")
        rows.append(
            html.Div(
                [
                    html.Span(
                        f"#{c['rank']}" if c.get("rank") else f"{i + 1}.", className="cand-no"
                    ),
                    html.Span(
                        f"{'-' if score is None else f'{score:.2f}'} "
                        f"{c.get('suitability_class') or ''} {c.get('community_name') or ''}",
                        className="cand-text",
                        title=f"{c['lat']:.6f}, {c['lon']:.6f}",  # lat, lon: read by tests
                    ),
                    dcc.Input(
                        value=c.get("note", ""),
                        placeholder=t("note"),
                        debounce=True,
                        id={"type": ids.CANDIDATE_NOTE, "index": i},
                        className="cand-note",
                    ),
                    html.Button(
                        "↔" if not c.get("moving") else "…",
                        id={"type": ids.CANDIDATE_MOVE, "index": i},
                        title=t("Move: then click the map"),
                        className="cand-move",
                        n_clicks=0,
                    ),
                    html.Button(
                        "x",
                        id={"type": ids.CANDIDATE_REMOVE, "index": i},
                        title=t("Remove"),
                        className="cand-remove",
                        n_clicks=0,
                    ),
                ],
                className="cand-row",
            )
        )
    return html.Div(rows, className="cand-list")


def shortlist_options(records: Sequence[Any]) -> list[dict[str, Any]]:
    """Dropdown options of the saved shortlists (newest first)."""
    return [
        {
            "label": f"{r.name} ({len(r.sites)}, {r.author or '-'}, {r.updated_at:%Y-%m-%d %H:%M})",
            "value": r.id,
        }
        for r in records
    ]
