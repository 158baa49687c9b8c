"""The profile's year-by-year section: shown for a series, with the dry year marked; absent
for a climatology."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.i18n import translator
from dashboard.profile import ProfileData, profile_panel
from dashboard.trends_view import DRY_COLOUR, RAIN_COLOUR, trends_figure, trends_section
from processing.trends import trends_by_year

# a unit's rain by year: 2003 is the driest of five (20th percentile: 700 + 0.8 x 200 = 860)
RAIN_MM = {2001: 1000.0, 2002: 900.0, 2003: 700.0, 2004: 1100.0, 2005: 1200.0}


def _monthly() -> pd.DataFrame:
    """One unit's long mm rows: five whole years and three months of 2006 (a partial year)."""
    rows = []
    for y, rain in [*RAIN_MM.items(), (2006, 600.0)]:
        for m in range(1, 13 if y < 2006 else 4):
            deficit = 30.0 if (y == 2003 and m <= 7) or m <= 2 else 0.0
            for var, value in (
                ("rain", rain / 12),
                ("runoff", rain / 120),
                ("recharge", rain / 60),
                ("deficit", deficit),
            ):
                rows.append(("C1", y, m, var, value, "mm"))
    return pd.DataFrame(rows, columns=["unit_id", "year", "month", "variable", "value", "unit"])


def _profile(monthly: pd.DataFrame) -> str:
    summary = pd.Series({"id": "C1", "name": "Kijiji", "area_ha": 100.0, "stress_index": 0.4})
    data = ProfileData(
        summary=summary,
        monthly=monthly,
        attributes={},
        sites=pd.DataFrame(columns=["name", "type", "status"]),
        land_use_colours={},
    )
    return str(profile_panel(data))


def test_the_chart_marks_the_dry_year_in_its_own_colour() -> None:
    years = trends_by_year(_monthly())
    assert years is not None
    fig = trends_figure(years)
    bars = {trace.name: trace for trace in fig.data if trace.type == "bar"}
    dry = bars["dry year (below the 20th percentile)"]
    assert list(dry.x) == [2003] and list(dry.y) == [700.0]
    assert dry.marker.color == DRY_COLOUR != RAIN_COLOUR == bars["Rainfall"].marker.color
    assert list(bars["Rainfall"].x) == [2001, 2002, 2004, 2005]  # 2006 has three months
    lines = {trace.name for trace in fig.data if trace.type == "scatter"}
    assert lines == {"Runoff", "Recharge", "Deficit"}


def test_the_table_gives_anomalies_and_months_in_deficit() -> None:
    table = trends_section(_monthly())[2]
    rows = [[td.children for td in tr.children] for tr in table.children[1].children]
    mean = np.mean(list(RAIN_MM.values()))  # 980
    assert [r[0] for r in rows] == ["2001", "2002", "2003", "2004", "2005"]  # not 2006
    assert rows[2] == ["2003", "700", f"-{100 * (mean - 700) / mean:.0f} %", "7"]  # -29 %
    assert rows[4] == ["2005", "1,200", "+22 %", "2"]  # January and February in deficit
    dry = [tr.className == "dry-year" for tr in table.children[1].children]
    assert dry == [False, False, True, False, False]


def test_the_profile_shows_the_section_for_a_series_only() -> None:
    series = _profile(_monthly())
    assert "Year by year" in series and "trends-chart" in series
    climatology = _monthly()
    climatology = climatology[climatology["year"] == 2001].assign(year=np.nan)
    shown = _profile(climatology)
    assert "Monthly water balance" in shown
    assert "Year by year" not in shown and "trends-chart" not in shown


@pytest.mark.parametrize(
    ("lang", "legend"),
    [
        ("fr", "année sèche (sous le 20e centile)"),
        ("es", "año seco (bajo el percentil 20)"),
        ("sw", "mwaka mkavu"),
    ],
)
def test_the_section_speaks_the_language(lang: str, legend: str) -> None:
    t = translator(lang)
    text = str(trends_section(_monthly(), t))
    assert legend in text and t("Year by year") in text and "Year by year" not in text
