"""The community/watershed profile panel: pure builders from results tables to components."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard import ids
from dashboard.calibration_view import calibration_section
from dashboard.chart_style import PLAIN_STYLE
from dashboard.glossary_view import info_button, with_info
from dashboard.i18n import Translate, number, plotly_separators, unit
from dashboard.map_assets import site_word
from dashboard.trends_view import trends_section
from processing.area import AreaSummary
from processing.glossary import term
from processing.kernels.water_balance import DEFICIT_MONTH_MM

MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# annual totals: the monthly balance, then the Budyko yield it is cross-checked with
ANNUAL_ROWS = ("rain", "pet", "aet", "runoff", "recharge", "streamflow", "deficit", "water_yield")
CROSS_CHECKS = ("water_yield",)
STRESS_TERMS = ("stress_index", "months_in_deficit_per_yr")  # the line under the chart
CRITERION_LABELS = {  # criterion layer -> English label (translated with t)
    "rainfall_annual_mm": "Annual rainfall",
    "slope_pct": "Slope",
    "elevation_m": "Elevation",
    "land_use": "Land use",
    "soil_hsg": "Soil group",
    "awc_mm_per_m": "Soil water capacity",
    "distance_to_roads_m": "Distance to roads",
    "distance_to_sites_m": "Distance to existing sites",
    "deficit_mm_yr": "Water deficit",
    "runoff_mm_yr": "Runoff",
    "recharge_mm_yr": "Recharge",
    "water_yield_mm_yr": term("water_yield_mm_yr").label,
    "constraints": "Constraints",
}


@dataclass(frozen=True)
class ProfileData:
    """Everything the panel shows about one unit (rows of the results store)."""

    summary: pd.Series
    monthly: pd.DataFrame  # long rows of this unit, unit == "mm"
    attributes: dict[str, object]  # population, households, ... from the source layer
    sites: pd.DataFrame  # project sites inside the unit
    land_use_colours: dict[str, str]  # lu column key -> colour
    # lu column key -> class name in the panel's language (the class table's name_<lang>)
    land_use_names: dict[str, str] = field(default_factory=dict)
    suitability: pd.DataFrame = field(default_factory=pd.DataFrame)  # one row per intervention
    crops: pd.DataFrame | None = field(default_factory=pd.DataFrame)  # None: no crop section
    level: str = "communities"  # or "watersheds"; "area" for a drawn area (no brief)
    calibration: tuple[dict[str, Any], pd.DataFrame] | None = None  # report, monthly flows


def area_profile_data(summary: AreaSummary, land_use_colours: dict[str, str]) -> ProfileData:
    """The panel's data for an area: drawn, uploaded, saved or delineated.

    An area has no attributes, no crop section and no brief.
    """
    return ProfileData(
        summary=summary.summary,
        monthly=summary.monthly,
        attributes={},
        sites=summary.sites,
        land_use_colours=land_use_colours,
        suitability=summary.suitability,
        crops=None,
        level="area",
    )


def annual_label(key: str) -> str:
    """The glossary label of an annual row (``"runoff"`` -> ``"Runoff"``)."""
    return term(f"{key}_mm_yr").label


def monthly_means(monthly: pd.DataFrame) -> pd.DataFrame:
    """Mean of each calendar month per variable: index month 1..12, one column per variable."""
    table = monthly.pivot_table(index="month", columns="variable", values="value", aggfunc="mean")
    return table.reindex(range(1, 13))


def balance_figure(monthly: pd.DataFrame, t: Translate = str) -> go.Figure:
    """Monthly water balance chart: rainfall bars, PET and AET lines, runoff/recharge/deficit."""
    m = monthly_means(monthly)
    months = [t(name) for name in MONTH_NAMES]
    fig = go.Figure()
    fig.add_bar(x=months, y=m.get("rain"), name=t(term("rain").label), marker_color="#6baed6")
    fig.add_scatter(
        x=months,
        y=m.get("pet"),
        name=t(term("pet").label),
        mode="lines+markers",
        line={"color": "#e6550d"},
    )
    fig.add_scatter(
        x=months,
        y=m.get("aet"),
        name=t(term("aet").label),
        mode="lines+markers",
        line={"color": "#31a354"},
    )
    fig.add_bar(x=months, y=m.get("runoff"), name=t(term("runoff").label), marker_color="#08519c")
    fig.add_bar(
        x=months, y=m.get("recharge"), name=t(term("recharge").label), marker_color="#756bb1"
    )
    fig.add_scatter(
        x=months,
        y=m.get("deficit"),
        name=t(term("deficit").label),
        mode="lines",
        line={"color": "#a50f15", "dash": "dot"},
    )
    fig.update_layout(
        barmode="group",
        height=260,
        margin={"l": 40, "r": 10, "t": 10, "b": 30},
        legend={"orientation": "h", "y": -0.2},
        separators=plotly_separators(t),
        **PLAIN_STYLE,
    )
    fig.update_yaxes(title_text=unit("mm/month", t))
    fig.update_traces(hovertemplate=hover_template(unit("mm/month", t)))
    return fig


def hover_template(units: str, digits: int = 0) -> str:
    """A chart hover reading "Rainfall: 87 mm/month (May)" instead of "(May, 87.273)"."""
    return f"%{{fullData.name}}: %{{y:,.{digits}f}} {units} (%{{x}})<extra></extra>"


def land_use_bars(
    summary: pd.Series,
    colours: dict[str, str],
    t: Translate = str,
    names: dict[str, str] | None = None,
) -> html.Div:
    """Land-use mix as plain HTML bars (percent of the unit, hectares in the tooltip).

    ``names`` gives the class names by column key (the key, capitalised, where it lacks one).

    HTML instead of a plotly chart: the profile opens faster (one chart less to draw) and
    screen readers read the numbers.
    """
    rows = []
    cols = [c for c in summary.index if c.startswith("lu_") and c.endswith("_pct")]
    for col in sorted(cols, key=lambda c: -float(summary[c] or 0)):
        key = col[3:-4]
        pct = float(summary[col] or 0)
        ha = float(summary.get(f"lu_{key}_ha", 0) or 0)
        rows.append(
            html.Div(
                [
                    html.Span(
                        (names or {}).get(key) or t(key.replace("_", " ").capitalize()),
                        className="lu-name",
                    ),
                    html.Span(
                        html.Span(
                            style={"width": f"{pct:.1f}%", "background": colours.get(key, "#999")},
                            className="lu-fill",
                        ),
                        className="lu-track",
                    ),
                    html.Span(f"{pct:.0f} %", className="lu-pct", title=f"{number(ha, 0, t)} ha"),
                ],
                className="lu-row",
            )
        )
    return html.Div(rows, className="lu-bars", title=t("% of area"))


def stress_months(monthly: pd.DataFrame) -> list[str]:
    """Calendar months whose mean deficit exceeds ``DEFICIT_MONTH_MM``."""
    m = monthly_means(monthly)
    if "deficit" not in m:
        return []
    deficit = m["deficit"].to_numpy()
    return [MONTH_NAMES[i] for i in range(12) if deficit[i] > DEFICIT_MONTH_MM]


def annual_table(summary: pd.Series, t: Translate = str) -> html.Table:
    """Annual totals in mm and m3, each with its info button; cross-checks set apart."""
    head = html.Thead(html.Tr([html.Th(""), html.Th(unit("mm/yr", t)), html.Th(unit("m³/yr", t))]))
    rows = []
    for key in ANNUAL_ROWS:
        mm, m3 = summary.get(f"{key}_mm_yr"), summary.get(f"{key}_m3_yr")
        label = with_info(t(annual_label(key)), f"{key}_mm_yr", t)
        rows.append(
            html.Tr(
                [html.Td(label), html.Td(_num(mm, t)), html.Td(_num(m3, t))],
                className="cross-check" if key in CROSS_CHECKS else None,
            )
        )
    return html.Table([head, html.Tbody(rows)], className="annual-table")


def stress_line(summary: pd.Series, monthly: pd.DataFrame, t: Translate = str) -> html.P:
    """The water-stress index and the months in deficit, each with its info button."""
    stress = stress_months(monthly)
    index, months = STRESS_TERMS
    return html.P(
        [
            t(term(index).label),
            info_button(index, t),
            f" {number(float(summary['stress_index']), 2, t)}; {t('months in deficit')}",
            info_button(months, t),
            f" (> {DEFICIT_MONTH_MM:.0f} mm): "
            + (", ".join(t(m) for m in stress) if stress else t("none")),
        ],
        className="profile-stress",
    )


CLASS_COLOURS = {"S1": "#1a9850", "S2": "#91cf60", "S3": "#fee08b", "N": "#d9d9d9"}


def _class_bar(row: pd.Series, t: Translate = str) -> html.Div:
    """A stacked bar of the unit's share per suitability class (S1 dark green .. N grey)."""
    parts = []
    for name, colour in CLASS_COLOURS.items():
        pct = float(row.get(f"{name}_pct", 0) or 0)
        area_ha = float(row.get(f"{name}_ha", 0) or 0)
        if pct > 0:
            parts.append(
                html.Span(
                    style={"width": f"{pct:.1f}%", "background": colour},
                    title=f"{name}: {pct:.0f} % ({number(area_ha, 0, t)} ha)",
                    className="class-seg",
                )
            )
    return html.Div(parts, className="class-bar")


def suitability_table(rows: pd.DataFrame, t: Translate = str) -> html.Table | html.P:
    """Per intervention: mean score, class mix, S1+S2 hectares and the limiting criterion."""
    if rows.empty:
        return html.P(t("No suitability results yet."))
    head = html.Thead(
        html.Tr(
            [
                html.Th(t("Intervention")),
                html.Th(t("Score")),
                html.Th(t("S1 / S2 / S3 / N")),
                html.Th("S1+S2 ha"),
                html.Th(t("Limited by")),
            ]
        )
    )
    body = []
    for _, r in rows.sort_values("mean_score", ascending=False).iterrows():
        good = float(r.get("S1_ha", 0) or 0) + float(r.get("S2_ha", 0) or 0)
        limiting = r.get("limiting_criterion")
        limiting = "" if pd.isna(limiting) else str(limiting)
        body.append(
            html.Tr(
                [
                    html.Td(str(r.get("name") or r["intervention"])),
                    html.Td(number(float(r["mean_score"]), 2, t)),
                    html.Td(_class_bar(r, t)),
                    html.Td(number(good, 0, t)),
                    html.Td(t(CRITERION_LABELS.get(limiting, limiting)) if limiting else "-"),
                ],
                className=f"suit-{r['intervention']}",
            )
        )
    return html.Table([head, html.Tbody(body)], className="suitability-table")


def crops_table(rows: pd.DataFrame, t: Translate = str) -> html.Table | html.P:
    """Per crop: best planting month and its score (EcoCrop)."""
    if rows.empty:
        return html.P(t("No crop results (needs monthly Tmin and Tmax)."))
    head = html.Thead(html.Tr([html.Th(t("Crop")), html.Th(t("Plant in")), html.Th(t("Score"))]))
    body = [
        html.Tr(
            [
                html.Td(t(str(r["crop_name"]))),
                html.Td("-" if pd.isna(r["best_month_name"]) else t(str(r["best_month_name"]))),
                html.Td(number(float(r["best_month_score"]), 2, t)),
            ]
        )
        for _, r in rows.sort_values("best_month_score", ascending=False).iterrows()
    ]
    return html.Table([head, html.Tbody(body)], className="crops-table")


def _num(value: object, t: Translate = str) -> str:
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "-"
    return "-" if v != v else number(v, 0, t)


FACT_SEPARATOR = " · "


def header_facts(unit_id: str, facts: list[html.Span]) -> list[Any]:
    """The header line "id C077 · 1,481 ha · population 2,460 · 476 households"."""
    out: list[Any] = ["id ", html.Span(unit_id, className="profile-id")]
    for fact in facts:
        out += [FACT_SEPARATOR, fact]
    return out


def site_status(site: pd.Series, t: Translate = str) -> str:
    """A site's status in ``t``'s language, with the date of the record that gave it.

    ``status_date`` (from :func:`processing.programme.monitored_status`) is the date of the
    latest monitoring record; a site without one shows the sites layer's status alone.
    """
    status = t(site_word(str(site["status"])))
    day = site.get("status_date")
    if not isinstance(day, str) or not day:
        return status
    return t("{status} on {date}").format(status=status, date=day)


def profile_panel(data: ProfileData, t: Translate = str) -> html.Div:
    """The whole profile panel of one unit."""
    s = data.summary
    facts = [html.Span(f"{number(float(s['area_ha']), 0, t)} ha")]
    population, households = data.attributes.get("population"), data.attributes.get("households")
    if population is not None:
        facts.append(html.Span(f"{t('population')} {number(float(population), 0, t)}"))  # type: ignore[arg-type]
    if households is not None:
        facts.append(html.Span(f"{number(float(households), 0, t)} {t('households')}"))  # type: ignore[arg-type]
    sites = data.sites
    site_list = (
        html.Ul(
            [
                html.Li(f"{r['name']} - {t(site_word(r['type']))} ({site_status(r, t)})")
                for _, r in sites.iterrows()
            ],
            className="site-list",
        )
        if len(sites)
        else html.P(t("No project sites recorded here."))
    )
    return html.Div(
        [
            html.H3(str(s["name"]), className="profile-name"),
            html.Div(
                [
                    html.Button(
                        t("Download (Excel)"),
                        id=ids.PROFILE_DOWNLOAD,
                        n_clicks=0,
                        className="small",
                    ),
                    html.A(
                        t("Printable brief"),
                        href=f"/brief/{data.level}/{s['id']}.html",
                        target="_blank",
                        className="brief-link",
                    ),
                ],
                className="profile-actions",
            )
            if data.level in ("communities", "watersheds")
            else None,
            html.Div(header_facts(str(s["id"]), facts), className="profile-facts"),
            html.H4(t("Monthly water balance")),
            dcc.Graph(
                figure=balance_figure(data.monthly, t),
                config={"displayModeBar": False},
                className="profile-chart",
            ),
            stress_line(s, data.monthly, t),
            html.H4(t("Annual totals")),
            annual_table(s, t),
            *trends_section(data.monthly, t),
            calibration_section(*data.calibration, t) if data.calibration else None,
            html.H4(t("Land use")),
            land_use_bars(s, data.land_use_colours, t, data.land_use_names),
            html.H4(t("Suitability for interventions")),
            html.Div(suitability_table(data.suitability, t), className="table-scroll"),
            *(
                [
                    html.H4(t("Crops: best planting month")),
                    html.Div(crops_table(data.crops, t), className="table-scroll"),
                ]
                if data.crops is not None
                else []
            ),
            html.H4(f"{t('Project sites')} ({len(sites)})"),
            site_list,
        ],
        className="profile",
    )
