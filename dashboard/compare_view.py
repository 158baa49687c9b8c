"""Compare two states (A, B): the designer's controls, the result panel and the map's values.

Pure builders for :mod:`dashboard.compare_callbacks`; the numbers are
:mod:`processing.compare`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from dash import dcc, html

from dashboard import ids
from dashboard.i18n import Translate, number, unit
from dashboard.scenario_view import signed
from processing.compare import (
    COMPARE_VARIABLES,
    DEFICIT_MONTHS,
    MESSAGES,
    PER_MONTH,
    TOTAL_ID,
    CompareError,
    Comparison,
)

MODES = (
    ("scenarios", "Baseline and saved scenarios"),
    ("months", "Two months"),
    ("years", "Two years"),
)
VARIABLE_LABELS = {
    "rain": "Rainfall",
    "pet": "Potential ET",
    "aet": "Actual ET",
    "runoff": "Runoff",
    "recharge": "Recharge",
    "deficit": "Deficit",
    DEFICIT_MONTHS: "Months in deficit",
}
MONTH_WORDS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
BASELINE = "baseline"
SAVED = "saved:"  # a saved scenario's option value: SAVED + its id
SHOWN_ROWS = 50  # units listed in the panel (the downloads have them all)
SHOW_OPTIONS = (("change", "Change B - A"), ("a", "State A"), ("b", "State B"))


def compare_controls(t: Translate) -> html.Div:
    """What to compare (mode, level, A, B, variable), the button, downloads and the result."""
    return html.Div(
        [
            html.P(
                t(
                    "Compare the baseline with a saved scenario, two saved scenarios, two "
                    "months or two years: the change B - A per community or watershed."
                ),
                className="hint",
            ),
            dcc.RadioItems(
                [{"label": " " + t(label), "value": v} for v, label in MODES],
                "months",
                id=ids.COMPARE_MODE,
            ),
            dcc.RadioItems(
                [
                    {"label": " " + t("Communities"), "value": "communities"},
                    {"label": " " + t("Watersheds"), "value": "watersheds"},
                ],
                "communities",
                id=ids.COMPARE_LEVEL,
                inline=True,
            ),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label(t("State A"), htmlFor=ids.COMPARE_A),
                            dcc.Dropdown(id=ids.COMPARE_A, placeholder=t("State A")),
                        ],
                        className="field",
                    ),
                    html.Div(
                        [
                            html.Label(t("State B"), htmlFor=ids.COMPARE_B),
                            dcc.Dropdown(id=ids.COMPARE_B, placeholder=t("State B")),
                        ],
                        className="field",
                    ),
                ],
                className="rec-fields",
            ),
            html.Label(t("Variable"), htmlFor=ids.COMPARE_VAR),
            dcc.Dropdown(
                [{"label": t(label), "value": v} for v, label in VARIABLE_LABELS.items()],
                "runoff",
                id=ids.COMPARE_VAR,
                clearable=False,
            ),
            html.Button(t("Compare"), id=ids.COMPARE_RUN, n_clicks=0),
            html.Button("CSV", id=ids.COMPARE_CSV, n_clicks=0, title=t("Download")),
            html.Button("Excel", id=ids.COMPARE_XLSX, n_clicks=0, title=t("Download")),
            dcc.Download(id=ids.COMPARE_DOWNLOAD),
            dcc.Store(id=ids.COMPARE_REQUEST),
            html.Div(id=ids.COMPARE_MSG, role="status", className="design-msg"),
            dcc.Loading(html.Div(id=ids.COMPARE_RESULT), type="dot", delay_show=300),
        ],
        className="compare",
    )


def compare_map_controls(t: Translate) -> html.Div:
    """The map's choice of the comparison's state (shown once a comparison is on the map)."""
    return html.Div(
        [
            dcc.Store(id=ids.COMPARE_STORE),
            html.Label(t("Map of the comparison"), htmlFor=ids.COMPARE_SHOW),
            dcc.RadioItems(
                [{"label": " " + t(label), "value": v} for v, label in SHOW_OPTIONS],
                "change",
                id=ids.COMPARE_SHOW,
                inline=True,
            ),
        ],
        id=ids.COMPARE_SHOW_BOX,
        className="compare-show no-compare",
    )


def month_word(month: int, t: Translate) -> str:
    """The month's name in ``t``'s language."""
    return t(MONTH_WORDS[int(month) - 1])


def state_options(
    mode: str | None,
    t: Translate,
    saved: list[dict[str, Any]] | None = None,
    years: list[int] | None = None,
) -> list[dict[str, Any]]:
    """The states one can choose for A and B in ``mode``.

    ``saved`` are the options of the saved-scenario list (label, value = the scenario's id);
    ``years`` the whole years of a series.
    """
    if mode == "months":
        return [{"label": month_word(m, t), "value": m} for m in range(1, 13)]
    if mode == "years":
        return [{"label": str(y), "value": y} for y in years or []]
    return [{"label": t("Baseline"), "value": BASELINE}] + [
        {"label": str(o["label"]), "value": f"{SAVED}{o['value']}"} for o in saved or []
    ]


def default_states(mode: str | None, years: list[int] | None = None) -> tuple[Any, Any]:
    """A and B chosen when the mode is picked (the user changes them)."""
    if mode == "months":
        return 1, 7
    if mode == "years":
        return (years[0], years[-1]) if years and len(years) > 1 else (None, None)
    return BASELINE, None


def error_text(exc: CompareError, t: Translate) -> str:
    """A comparison's refusal in ``t``'s language (periods worded too)."""
    values = {k: t(v) if isinstance(v, str) else v for k, v in exc.values.items()}
    return t(MESSAGES[exc.key]).format(**values)


def column(variable: str, side: str) -> str:
    """The table's column of ``variable`` in A, B or the change (``side``), in mm or months."""
    if variable == DEFICIT_MONTHS:
        return f"{DEFICIT_MONTHS}_{side}"
    return f"{variable}_{side}_mm"


def units_of(cmp: Comparison, variable: str) -> str:
    """Units of ``variable``'s A, B and change in this comparison."""
    if variable == DEFICIT_MONTHS:
        return "months"
    return "mm/month" if cmp.period == PER_MONTH else "mm/yr"


def title(cmp: Comparison) -> str:
    """``A → B``."""
    return f"{cmp.a} → {cmp.b}"


def result_panel(
    cmp: Comparison, variable: str, t: Translate, names: Mapping[str, str] | None = None
) -> html.Div:
    """Totals of every variable's change, then the chosen variable per unit with its total."""
    total = cmp.total
    per = units_of(cmp, "rain")
    facts = []
    for v in COMPARE_VARIABLES:
        text = (
            f"{signed(total[f'{v}_change_m3'], 0, t)} m³ "
            f"({signed(total[f'{v}_change_mm'], 1, t)} {unit(per, t)})"
        )
        facts += [html.Dt(t(VARIABLE_LABELS[v])), html.Dd(text)]
    months = signed(total[f"{DEFICIT_MONTHS}_change"], 1, t)
    facts += [html.Dt(t(VARIABLE_LABELS[DEFICIT_MONTHS])), html.Dd(months)]
    units = cmp.units.sort_values(column(variable, "change"), kind="stable", na_position="last")
    has_m3 = variable != DEFICIT_MONTHS
    # an ensemble future's GCM spread, beside its median (months in deficit have none)
    spread_sides = [s for s, _ in cmp.spreads if has_m3]
    v_units = unit(units_of(cmp, variable), t)
    head = html.Tr(
        [
            html.Th(t("Unit")),
            html.Th(f"A {v_units}"),
            *(html.Th(f"A {t('GCM spread')}") for s in spread_sides if s == "a"),
            html.Th(f"B {v_units}"),
            *(html.Th(f"B {t('GCM spread')}") for s in spread_sides if s == "b"),
            html.Th(f"Δ {v_units}"),
            html.Th("Δ m³") if has_m3 else None,
        ]
    )

    def spread(r: pd.Series, side: str) -> list[html.Td]:
        if side not in spread_sides:
            return []
        lo, hi = r[f"{variable}_{side}_lo_mm"], r[f"{variable}_{side}_hi_mm"]
        return [html.Td("–" if pd.isna(lo) else f"{_number(lo, t)} – {_number(hi, t)}")]

    def row(r: pd.Series, css: str = "") -> html.Tr:
        uid = str(r["id"])
        name = t("Total") if uid == TOTAL_ID else (names or {}).get(uid, "")
        cells = [
            html.Td(
                [html.Span(name, className="unit-name"), " ", html.Span(uid, className="unit-id")]
                if uid != TOTAL_ID
                else html.Strong(name)
            ),
            html.Td(_number(r[column(variable, "a")], t)),
            *spread(r, "a"),
            html.Td(_number(r[column(variable, "b")], t)),
            *spread(r, "b"),
            html.Td(_signed(r[column(variable, "change")], 1, t)),
            html.Td(_signed(r[f"{variable}_change_m3"], 0, t)) if has_m3 else None,
        ]
        return html.Tr(cells, className=css)

    rows = [row(r) for _, r in units.head(SHOWN_ROWS).iterrows()]
    rows.append(row(total, "compare-total"))
    return html.Div(
        [
            html.H4(f"{title(cmp)}: {len(cmp.units)} {t('units')}"),
            html.P(t("Change B - A, totals over all units:"), className="hint"),
            html.Dl(facts, className="eval-facts compare-totals"),
            html.H4(t(VARIABLE_LABELS[variable])),
            html.Div(
                html.Table(
                    [html.Thead(head), html.Tbody(rows)], className="scenario-table compare-table"
                ),
                className="scenario-table-wrap",
            ),
        ],
        className="compare-result",
    )


def _number(value: float, t: Translate) -> str:
    return "–" if pd.isna(value) else number(float(value), 1, t)


def _signed(value: float, decimals: int, t: Translate) -> str:
    return "–" if pd.isna(value) else signed(float(value), decimals, t)


def map_store(cmp: Comparison, variable: str, t: Translate) -> dict[str, Any]:
    """Per community: A, B and the change of ``variable``, with the map's title and units."""
    units = cmp.units
    ids_ = units["id"].astype(str)

    def by_id(side: str) -> dict[str, float]:
        values = units[column(variable, side)].astype(float)
        return {i: float(x) for i, x in zip(ids_, values, strict=True) if pd.notna(x)}

    return {
        "name": f"{title(cmp)}: {t(VARIABLE_LABELS[variable])}",
        "units": units_of(cmp, variable),
        "a": by_id("a"),
        "b": by_id("b"),
        "change": by_id("change"),
    }


def map_values(store: dict[str, Any] | None, show: str | None) -> dict[str, Any] | None:
    """What the choropleth shows of a comparison: the change (diverging), A or B; None: none."""
    if not store or "change" not in store:
        return None
    side = show if show in ("a", "b") else "change"
    return {
        "side": side,
        "name": store["name"],
        "units": store["units"],
        "values": store[side],
    }
