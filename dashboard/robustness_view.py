"""The designer's ranking robustness: controls, grid columns, map markers (pure builders).

The numbers come from :mod:`processing.robustness`; everything here takes plain data so it
is tested without a browser. Callbacks are in :mod:`dashboard.robustness_callbacks`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash_leaflet as dl
import pandas as pd
from dash import dcc, html

from dashboard import ids
from dashboard.i18n import Translate, grid_number, number, percent
from dashboard.input_checks import NumberField, number_problems
from dashboard.map_layout import ROBUST_OVERLAY
from processing.robustness import (
    DEFAULT_CONCENTRATION,
    DEFAULT_DRAWS,
    DEFAULT_TOP_N,
    ROBUST_SHARE,
)

MAX_CONCENTRATION = 1e9
ROBUST_FIELDS = (
    NumberField("top_n", "Top N", 1, None, integer=True, required=True),
    NumberField(
        "concentration", "Weight concentration", 0, MAX_CONCENTRATION, above_minimum=True,
        required=True,
    ),
)  # fmt: skip
ROBUST_MARKER = "robust-marker"  # CSS class of the map's markers (assets/robustness.css)


def robustness_controls(t: Translate) -> html.Details:
    """N, the concentration, the summary line and the ranking download, under the grid."""

    def field(id_: str, value: float, label: str, hint: str) -> html.Div:
        return html.Div(
            [
                html.Label(label, htmlFor=id_, title=hint),
                dcc.Input(id=id_, type="number", value=value, step="any", debounce=True),
            ],
            className="field",
        )

    return html.Details(
        [
            html.Summary(t("Ranking robustness")),
            html.P(
                t(
                    "The weights are drawn {n} times around yours (Dirichlet); a larger "
                    "concentration keeps the draws closer to your weights."
                ).format(n=DEFAULT_DRAWS),
                className="hint",
            ),
            html.Div(
                [
                    field(
                        ids.ROBUST_TOP_N,
                        DEFAULT_TOP_N,
                        t("Top N"),
                        t("How many communities the programme can take"),
                    ),
                    field(
                        ids.ROBUST_CONCENTRATION,
                        DEFAULT_CONCENTRATION,
                        t("Weight concentration"),
                        t("Larger: weights vary less"),
                    ),
                ],
                className="rec-fields",
            ),
            html.Div(id=ids.ROBUST_MSG, role="status", className="design-msg"),
            html.Button(t("Download the ranking (CSV)"), id=ids.ROBUST_DOWNLOAD_BUTTON),
            dcc.Download(id=ids.ROBUST_DOWNLOAD),
        ],
        open=True,
        className="robustness",
    )


def robustness_column_defs(t: Translate) -> list[dict[str, Any]]:
    """The ranking grid's robustness columns: top-N probability and the 5-95 % rank bar."""
    return [
        {
            "field": "top_n_probability",
            "headerName": t("Top-N probability"),
            "headerTooltip": t("Share of weight draws that rank the community in the top N"),
            "width": 110,
            "sortable": True,
            "valueFormatter": grid_number(0, t, "percent"),
        },
        {
            "field": "rank_interval",
            "headerName": t("Rank 5-95 %"),
            "headerTooltip": t("The community's rank in 90 % of the weight draws; | the median"),
            "width": 130,
            "sortable": False,
            "cellRenderer": "RankInterval",
        },
    ]


def robustness_problems(top_n: Any, concentration: Any, t: Translate) -> list[str]:
    """Problems of the two fields, each naming the field and the fix."""
    return number_problems(ROBUST_FIELDS, {"top_n": top_n, "concentration": concentration}, t)


def interval_text(lo: float, hi: float, t: Translate) -> str:
    """``"3-7"`` (or ``"3"`` when both ends agree), in ``t``'s number format."""
    a, b = number(lo, 0, t), number(hi, 0, t)
    return a if a == b else f"{a}-{b}"


def _records(table: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """The table's rows by unit id (as text)."""
    return {str(r["unit_id"]): {str(k): v for k, v in r.items()} for r in table.to_dict("records")}


def with_robustness(
    rows: Sequence[Mapping[str, Any]], table: pd.DataFrame, t: Translate
) -> list[dict[str, Any]]:
    """The ranking rows with ``top_n_probability`` and ``rank_interval`` (by ``unit_id``).

    ``rank_interval`` carries the bar's ends and median as shares of the number of units
    (for assets/robustness.js) and its text, which screen readers read.
    """
    n = max(len(table), 1)
    by_id = _records(table)
    out = []
    for row in rows:
        new = dict(row)
        r = by_id.get(str(row.get("unit_id")))
        if r is not None:
            lo, hi, med = float(r["rank_p05"]), float(r["rank_p95"]), float(r["median_rank"])
            new["top_n_probability"] = round(float(r["top_n_probability"]), 3)
            new["rank_interval"] = {
                "lo": round((lo - 1) / n, 4),
                "hi": round(hi / n, 4),
                "median": round((med - 0.5) / n, 4),
                "text": interval_text(lo, hi, t),
            }
        out.append(new)
    return out


def robust_ids(table: pd.DataFrame, share: float = ROBUST_SHARE) -> list[str]:
    """Units in the top N in at least ``share`` of the draws, most robust first."""
    robust = table[table["top_n_probability"] >= share]
    robust = robust.sort_values(["top_n_probability", "median_rank"], ascending=[False, True])
    return [str(u) for u in robust["unit_id"]]


def robustness_message(table: pd.DataFrame, top_n: int, concentration: float, t: Translate) -> str:
    """One line: how many communities stay in the top N, and how the weights were drawn."""
    k = len(robust_ids(table))
    return t(
        "{k} communities are in the top {n} in at least {share} of {draws} weight draws "
        "(concentration {c})."
    ).format(
        k=k,
        n=top_n,
        share=percent(ROBUST_SHARE, 0, t),
        draws=DEFAULT_DRAWS,
        c=number(concentration, 0 if float(concentration).is_integer() else 1, t),
    )


def robust_markers(
    table: pd.DataFrame,
    points: Mapping[str, tuple[float, float]],
    names: Mapping[str, str],
    top_n: int,
    t: Translate,
) -> list[dl.DivMarker]:
    """A star at each robust community's inner point; its name and probability on hover.

    The marker's HTML is ours (a fixed symbol): the community's name only reaches the
    tooltip, as text.
    """
    by_id = _records(table)
    out = []
    for uid in robust_ids(table):
        if uid not in points:
            continue
        lat, lon = points[uid]
        p = float(by_id[uid]["top_n_probability"])
        out.append(
            dl.DivMarker(
                position=[lat, lon],
                iconOptions={
                    "className": ROBUST_MARKER,
                    "html": "<span>★</span>",
                    "iconSize": [20, 20],
                    "iconAnchor": [10, 10],
                },
                children=dl.Tooltip(
                    t("{name}: in the top {n} in {p} of the weight draws").format(
                        name=names.get(uid, uid), n=top_n, p=percent(p, 0, t)
                    )
                ),
            )
        )
    return out


def robust_overlay(t: Translate, checked: bool = True) -> dl.Overlay:
    """The map's "Robust top N" layer: the stars of :func:`robust_markers`."""
    return dl.Overlay(dl.LayerGroup(id=ids.ROBUST_LAYER), name=t(ROBUST_OVERLAY), checked=checked)


def ranking_export(ranking: pd.DataFrame, table: pd.DataFrame, top_n: int) -> pd.DataFrame:
    """The designer's ranking with the robustness columns, for a CSV download."""
    cols = ["unit_id", "median_rank", "rank_p05", "rank_p95", "top_n_probability"]
    out = ranking.merge(table[cols], on="unit_id", how="left", validate="one_to_one")
    out["top_n"] = top_n
    return out
