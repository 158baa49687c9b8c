"""The designer's budget portfolio: form, totals, frontier chart, map markers (pure builders).

The portfolio is chosen by :mod:`processing.portfolio_plan`; everything here takes plain
data so it is tested without a browser. Callbacks are in :mod:`dashboard.portfolio_callbacks`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash_leaflet as dl
import plotly.graph_objects as go
from dash import dcc, html

from dashboard import ids
from dashboard.i18n import Translate, language_of, number, plotly_separators, unit
from dashboard.input_checks import NumberField, number_problems
from dashboard.map_layout import PORTFOLIO_OVERLAY
from dashboard.profile import PLAIN_STYLE
from dashboard.search_options import dropdown_labels
from layers.config import InterventionConfig
from processing.portfolio import PortfolioError
from processing.portfolio_plan import PortfolioRequest, PortfolioResult
from processing.portfolio_terms import (
    DEFAULT_MAX_UNITS,
    IMPACT_NAMES,
    IMPACT_UNITS,
    IMPACTS,
    MAX_UNITS,
)

PORTFOLIO_FIELDS = (
    NumberField("budget", "Budget", 0, None, above_minimum=True, required=True),
    NumberField("max_units", "Max. units per community", 1, MAX_UNITS, integer=True, required=True),
    NumberField("share", "Min. women/youth share (0-1)", 0, 1),
)
PORTFOLIO_MARKER = "portfolio-marker"  # CSS class of the map's markers (assets/portfolio.css)
UNIT_WORDS = {"site": "site", "ha": "ha", "m3": "m³ of storage"}
MAX_TABLE_ROWS = 50  # communities listed in the panel (the download holds all of them)


def _field(id_: str, value: float | None, label: Any, hint: str = "") -> html.Div:
    """A number field without browser limits: the server checks it (dashboard.input_checks)."""
    return html.Div(
        [
            html.Label(label, htmlFor=id_, title=hint or None),
            dcc.Input(id=id_, type="number", value=value, step="any", debounce=True),
        ],
        className="field",
    )


def impact_unit(units: str, t: Translate) -> str:
    """An impact's units in ``t``'s language ("households" is a word, "m³/yr" a unit)."""
    return t(units) if t(units) != units else unit(units, t)


def impact_options(t: Translate) -> list[dict[str, str]]:
    """The impact measures, each with its units ("Water harvested (m³/yr)")."""
    out = []
    for k in IMPACTS:
        units = IMPACT_UNITS[k]
        suffix = "" if units == "households" else f" ({impact_unit(units, t)})"
        out.append({"label": t(IMPACT_NAMES[k]) + suffix, "value": k})
    return out


def portfolio_controls(t: Translate) -> html.Div:
    """The intervention's cost model, budget, impact, cap, share, the button and the result."""
    return html.Div(
        [
            html.P(
                t(
                    "The communities a budget should fund for the greatest impact, solved "
                    "exactly (mixed-integer programme, HiGHS)."
                ),
                className="hint",
            ),
            html.Div(id=ids.PORT_INTERVENTION, className="hint"),
            html.Div(
                [
                    _field(ids.PORT_BUDGET, None, html.Span(t("Budget"), id=ids.PORT_BUDGET_LABEL)),
                    _field(ids.PORT_MAX, DEFAULT_MAX_UNITS, t("Max. units per community")),
                    _field(
                        ids.PORT_SHARE,
                        None,
                        t("Min. women/youth share (0-1)"),
                        t(
                            "Least share of the cost in communities whose sites are led by "
                            "women or young people"
                        ),
                    ),
                ],
                className="rec-fields",
            ),
            html.Label(t("Impact"), htmlFor=ids.PORT_IMPACT),
            dcc.Dropdown(
                impact_options(t),
                "m3",
                id=ids.PORT_IMPACT,
                clearable=False,
                labels=dropdown_labels(t),
            ),
            html.Button(t("Find portfolio"), id=ids.PORT_RUN, n_clicks=0),
            html.Div(id=ids.PORT_MSG, role="status", className="design-msg"),
            dcc.Loading(html.Div(id=ids.PORT_RESULT), type="dot", delay_show=300),
            dcc.Download(id=ids.PORT_DOWNLOAD),
            dcc.Store(id=ids.PORT_STORE),
        ],
        className="portfolio",
    )


def portfolio_problems(form: Mapping[str, Any], t: Translate) -> list[str]:
    """Problems of the budget, cap and share fields, each naming the field and the fix."""
    return number_problems(PORTFOLIO_FIELDS, form, t)


def request_from_form(intervention: str, impact: str, form: Mapping[str, Any]) -> PortfolioRequest:
    """The request of a checked form (see :func:`portfolio_problems`)."""
    share = form.get("share")
    return PortfolioRequest(
        intervention=intervention,
        budget=float(form["budget"]),
        impact=impact,  # type: ignore[arg-type]  # checked by the planner
        max_per_community=int(float(form["max_units"])),
        min_women_youth_share=float(share) if share not in (None, "") else 0.0,
    )


def _value_text(value: Any, t: Translate) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    v = float(value)
    return number(v, 0 if v.is_integer() or abs(v) >= 100 else 2, t)


def error_text(exc: PortfolioError, t: Translate) -> str:
    """A portfolio's refusal in ``t``'s language, its numbers in the language's format."""
    values = {k: _value_text(v, t) for k, v in exc.values.items()}
    return t(exc.template).format(**values)


def cost_model_note(iv: InterventionConfig | None, t: Translate) -> tuple[Any, str]:
    """What the intervention costs (or why it has no portfolio), and the budget's label."""
    if iv is None:
        return t("Choose an intervention (not a crop) for a budget portfolio."), t("Budget")
    if not iv.priced:
        text = error_text(PortfolioError("no_cost_model", name=iv.id), t)
        return html.Div(text, className="panel-error", role="alert"), t("Budget")
    size = "" if iv.unit == "site" else number(iv.unit_size, 0, t) + " "
    template = t(
        "{name}: {cost} {currency} a unit ({size}{unit}), {fixed} {currency} once per "
        "community given units."
    )
    note = template.format(
        name=iv.name_in(language_of(t)),
        cost=number(iv.cost_per_unit, 0, t),
        currency=iv.currency,
        size=size,
        unit=t(UNIT_WORDS[str(iv.unit)]),
        fixed=number(iv.fixed_cost_per_community, 0, t),
    )
    return note, f"{t('Budget')} ({iv.currency})"


def totals_list(result: PortfolioResult, t: Translate) -> html.Dl:
    """Cost, budget left, impact, communities, units, women/youth share, optimality."""
    tot, cur = result.totals, result.currency
    impact_units = impact_unit(result.impact_unit, t)
    share = number(100 * tot["women_youth_cost_share"], 0, t)
    gap = float(tot.get("gap", 0.0))
    rows = [
        (t("Cost"), f"{number(tot['cost'], 0, t)} {cur}"),
        (t("Budget left"), f"{number(tot['budget_left'], 0, t)} {cur}"),
        (t("Impact"), f"{number(tot['impact'], 0, t)} {impact_units}"),
        (t("Communities"), number(tot["communities"], 0, t)),
        (t("Units allocated"), number(tot["units"], 0, t)),
        (t("Women/youth-led share of the cost"), f"{share} %"),
        (
            t("Optimality"),
            t("within {gap} % of the optimum (time limit)").format(gap=number(100 * gap, 2, t))
            if gap > 0
            else t("proven optimum"),
        ),
    ]
    return html.Dl(
        [x for label, text in rows for x in (html.Dt(label), html.Dd(text))],
        className="eval-facts portfolio-totals",
    )


def frontier_figure(result: PortfolioResult, t: Translate) -> go.Figure:
    """Impact against budget (the efficient frontier), the chosen portfolio marked."""
    f = result.frontier.sort_values("budget")
    impact_units = impact_unit(result.impact_unit, t)
    fig = go.Figure()
    fig.add_scatter(
        x=f["budget"],
        y=f["impact"],
        mode="lines+markers",
        name=t("Efficient frontier"),
        line={"color": "#2b8cbe"},
        hovertemplate=f"%{{x:,.0f}} {result.currency}: %{{y:,.0f}} {impact_units}<extra></extra>",
    )
    fig.add_scatter(
        x=[result.totals["budget"]],
        y=[result.totals["impact"]],
        mode="markers",
        name=t("Your budget"),
        marker={"color": "#d7191c", "size": 13, "symbol": "star"},
        hovertemplate=f"%{{x:,.0f}} {result.currency}: %{{y:,.0f}} {impact_units}<extra></extra>",
    )
    fig.update_layout(
        height=240,
        margin={"l": 60, "r": 10, "t": 10, "b": 40},
        legend={"orientation": "h", "y": -0.3, "font": {"size": 9}},
        separators=plotly_separators(t),
        **PLAIN_STYLE,
    )
    fig.update_xaxes(title_text=f"{t('Budget')} ({result.currency})")
    fig.update_yaxes(title_text=f"{t(IMPACT_NAMES[result.impact])} ({impact_units})")
    return fig


def chosen_table(result: PortfolioResult, t: Translate) -> html.Table:
    """The communities funded (greatest impact first, the first ``MAX_TABLE_ROWS``)."""
    head = html.Tr(
        [
            html.Th(t("Community")),
            html.Th(t("Units allocated")),
            html.Th(f"{t('Cost')} ({result.currency})"),
            html.Th(f"{t('Impact')} ({impact_unit(result.impact_unit, t)})"),
        ]
    )
    rows = [
        html.Tr(
            [
                html.Td(
                    [
                        html.Span(str(r["community"]), className="unit-name"),
                        " ",
                        html.Span(str(r["community_id"]), className="unit-id"),
                    ]
                ),
                html.Td(number(r["units"], 0, t)),
                html.Td(number(r["cost"], 0, t)),
                html.Td(number(r[result.impact_column], 0, t)),
            ]
        )
        for r in result.table.head(MAX_TABLE_ROWS).to_dict("records")
    ]
    return html.Table([html.Thead(head), html.Tbody(rows)], className="scenario-table")


def result_panel(result: PortfolioResult, name: str, t: Translate) -> html.Div:
    """Totals, the frontier chart, the downloads and the table of a chosen portfolio."""
    tot = result.totals
    one = int(tot["communities"]) == 1
    key = (
        "{name}: {n} community for {budget} {currency}"
        if one
        else "{name}: {n} communities for {budget} {currency}"
    )
    title = t(key).format(
        name=name,
        n=number(tot["communities"], 0, t),
        budget=number(tot["budget"], 0, t),
        currency=result.currency,
    )
    return html.Div(
        [
            html.H4(title),
            totals_list(result, t),
            dcc.Graph(
                id=ids.PORT_FRONTIER,
                figure=frontier_figure(result, t),
                config={"displayModeBar": False},
            ),
            html.Div(
                [
                    html.Button(t("Download the portfolio (CSV)"), id=ids.PORT_CSV, n_clicks=0),
                    html.Button("Excel", id=ids.PORT_XLSX, n_clicks=0, title=t("Download")),
                ],
                className="shortlist-actions",
            ),
            html.Div(chosen_table(result, t), className="scenario-table-wrap"),
        ],
        className="portfolio-result",
    )


def portfolio_markers(
    result: PortfolioResult,
    points: Mapping[str, tuple[float, float]],
    t: Translate,
) -> list[dl.DivMarker]:
    """A marker with the units allocated at each funded community's inner point.

    The marker's HTML is ours (a whole number): the community's name only reaches the
    tooltip, as text.
    """
    out = []
    for r in result.table.to_dict("records"):
        uid = str(r["community_id"])
        if uid not in points:
            continue
        lat, lon = points[uid]
        out.append(
            dl.DivMarker(
                position=[lat, lon],
                iconOptions={
                    "className": PORTFOLIO_MARKER,
                    "html": f"<span>{int(r['units'])}</span>",
                    "iconSize": [22, 22],
                    "iconAnchor": [11, 11],
                },
                children=dl.Tooltip(
                    t("{name}: {n} units, {cost} {currency}").format(
                        name=str(r["community"]),
                        n=int(r["units"]),
                        cost=number(r["cost"], 0, t),
                        currency=result.currency,
                    )
                ),
            )
        )
    return out


def portfolio_overlay(t: Translate, checked: bool = True) -> dl.Overlay:
    """The map's "Budget portfolio" layer: the markers of :func:`portfolio_markers`."""
    return dl.Overlay(dl.LayerGroup(id=ids.PORT_LAYER), name=t(PORTFOLIO_OVERLAY), checked=checked)
