from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.indicators import (
    INDICATORS,
    available,
    class_colours,
    class_indices,
    hideout,
    legend_rows,
    quantile_breaks,
)
from dashboard.profile import ProfileData, balance_figure, profile_panel, stress_months
from processing.output_spec import describe


def test_quantile_breaks() -> None:
    assert quantile_breaks(np.arange(101.0), 4) == [0.0, 25.0, 50.0, 75.0, 100.0]
    assert quantile_breaks(np.array([np.nan, 3.0, 3.0])) == [3.0, 3.0]
    assert quantile_breaks(np.array([np.nan])) == []
    # ties collapse classes instead of repeating limits
    assert quantile_breaks(np.array([0, 0, 0, 0, 0, 0, 1.0]), 5) == [0.0, 1.0]


def test_hideout_and_legend() -> None:
    summary = pd.DataFrame(
        {"id": ["a", "b", "c", "d"], "rain_mm_yr": [600.0, 800.0, np.nan, 1400.0]}
    )
    ind = next(i for i in INDICATORS if i.key == "rain")
    # the map's features in another order than the table, and one feature without results
    h = hideout(summary, ind, ["d", "c", "x", "b", "a"], selected="b")
    limits, colours = h["limits"], h["colours"]
    assert isinstance(limits, list) and isinstance(colours, list)
    assert limits[0] == 600.0 and limits[-1] == 1400.0 and len(colours) == len(limits) - 1
    # one character per feature: the top class, no data, no data, a middle class, class 0
    assert h["classes"] == f"{len(colours) - 1}--{class_indices(np.array([800.0]), limits)[0]}0"
    assert h["selected"] == "b"
    rows = legend_rows(limits, colours, "mm/yr")
    assert rows[0][1].startswith("600 - ") and rows[-1][1].endswith("1,400 mm/yr")


def test_class_indices_follow_the_legend_rows() -> None:
    rng = np.random.default_rng(3)
    values = rng.gamma(2.0, 300.0, 500)
    values[::50] = np.nan
    limits = quantile_breaks(values)
    k = class_indices(values, limits)
    for v, c in zip(values, k, strict=True):
        if np.isnan(v):
            assert c == -1
            continue
        # the class whose legend row holds the value: lo <= v < hi, the maximum in the top row
        rows = [i for i in range(len(limits) - 1) if limits[i] <= v < limits[i + 1]]
        assert c == (rows[0] if rows else len(limits) - 2)
    counts = np.bincount(k[k >= 0])
    assert len(counts) == 5 and counts.min() >= 80  # quantile classes hold similar counts
    assert class_indices(np.array([1.0, np.nan]), [1.0]).tolist() == [0, -1]


def test_available_and_colours() -> None:
    assert [i.key for i in available(pd.DataFrame(columns=["id", "deficit_mm_yr"]))] == ["deficit"]
    cols = ["id", "stress_index", "lu_cropland_pct", "suit_ponds_score", "crop_tea_score"]
    units = {i.key: i.units for i in available(pd.DataFrame(columns=cols), {"ponds": "Ponds"})}
    assert units == {
        "stress": "ratio",
        "cropland": "%",
        "suit_ponds": "score 0..1",
        "crop_tea": "score 0..1",
    }
    assert class_colours("blues", 2) == ["#eff3ff", "#08519c"]


def _profile() -> ProfileData:
    rows = []
    for m in range(1, 13):
        for var, v in {
            "rain": 100 if m in (4, 11) else 5,
            "pet": 90,
            "aet": 60,
            "runoff": 1,
            "recharge": 0,
            "deficit": 30 if m == 7 else 2,
        }.items():
            rows.append(
                {
                    "unit_id": "C1",
                    "year": None,
                    "month": m,
                    "variable": var,
                    "value": float(v),
                    "unit": "mm",
                }
            )
    summary = pd.Series(
        {
            "id": "C1",
            "name": "Kithi",
            "area_ha": 1234.0,
            "stress_index": 0.66,
            "rain_mm_yr": 1000.0,
            "rain_m3_yr": 1.2e7,
            "lu_cropland_pct": 60.0,
            "lu_forest_pct": 40.0,
        }
    )
    sites = pd.DataFrame(
        {
            "community": ["C1"],
            "name": ["Water pan 3"],
            "type": ["water_pan"],
            "status": ["completed"],
        }
    )
    return ProfileData(
        summary,
        pd.DataFrame(rows),
        {"population": 5400, "households": 1100},
        sites,
        {"cropland": "#e6c84f"},
    )


def test_profile_panel_content() -> None:
    data = _profile()
    assert stress_months(data.monthly) == ["Jul"]
    fig = balance_figure(data.monthly)
    rain = next(t for t in fig.data if t.name == "Rainfall")
    assert list(rain.y)[3] == 100 and len(rain.x) == 12
    text = str(profile_panel(data))
    for piece in (
        "Kithi",
        "1,234 ha",
        "population 5,400",
        "1,100 households",
        "Water pan 3",
        "Jul",
        "1,000",
        "12,000,000",
    ):
        assert piece in text, piece


@pytest.mark.parametrize("ind", INDICATORS, ids=lambda i: i.key)
def test_every_indicator_has_a_palette(ind) -> None:  # type: ignore[no-untyped-def]
    assert len(class_colours(ind.palette, 5)) == 5
    assert ind.units == describe(ind.column)["units"]  # the output spec's units
