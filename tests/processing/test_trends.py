"""Multi-year trends against a plain loop over units and years (numpy, no pandas groupby)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processing.kernels.water_balance import DEFICIT_MONTH_MM
from processing.trends import TREND_VARIABLES, trends_by_year

VARIABLES = ("rain", "pet", "runoff", "recharge", "deficit", "storage")


def _long(values: dict[str, np.ndarray], first_month: int, start_year: int) -> pd.DataFrame:
    """A store-like long monthly table of one unit per key, the series starting at a month."""
    frames = []
    for uid, series in values.items():
        n = series.shape[1]
        index = first_month - 1 + np.arange(n)
        for k, var in enumerate(VARIABLES):
            for unit, scale in (("mm", 1.0), ("m3", 7.0)):
                frames.append(
                    pd.DataFrame(
                        {
                            "unit_id": uid,
                            "year": start_year + index // 12,
                            "month": index % 12 + 1,
                            "variable": var,
                            "value": series[k] * scale,
                            "unit": unit,
                        }
                    )
                )
    return pd.concat(frames, ignore_index=True)


def _expected(series: np.ndarray, first_month: int, start_year: int) -> list[dict[str, object]]:
    """Whole calendar years by explicit slicing; dry: below np.percentile(rain, 20)."""
    n = series.shape[1]
    skip = (12 - (first_month - 1)) % 12  # months before the first January
    years = (n - skip) // 12
    first = start_year + (1 if first_month != 1 else 0)
    out = []
    for y in range(years):
        block = series[:, skip + 12 * y : skip + 12 * (y + 1)]
        row: dict[str, object] = {"year": first + y}
        for var in TREND_VARIABLES:
            row[var] = float(block[VARIABLES.index(var)].sum())
        row["deficit_months"] = int(
            np.count_nonzero(block[VARIABLES.index("deficit")] > DEFICIT_MONTH_MM)
        )
        out.append(row)
    if out:
        rain = np.array([r["rain"] for r in out], dtype=float)
        cut = np.percentile(rain, 20)
        for r, value in zip(out, rain, strict=True):
            r["dry"] = bool(value < cut)
    return out


@settings(max_examples=60, deadline=None)
@given(
    months=st.integers(0, 240),
    first_month=st.integers(1, 12),
    seed=st.integers(0, 2**31 - 1),
    units=st.integers(1, 3),
)
def test_trends_match_a_plain_loop(months: int, first_month: int, seed: int, units: int) -> None:
    rng = np.random.default_rng(seed)
    data = {
        f"u{i}": np.round(rng.gamma(1.5, 40.0, (len(VARIABLES), months)), 1) for i in range(units)
    }
    if months == 0:
        return
    table = trends_by_year(_long(data, first_month, 2001))
    assert table is not None
    for uid, series in data.items():
        expected = _expected(series, first_month, 2001)
        got = table[table["unit_id"] == uid].reset_index(drop=True)
        assert got["year"].tolist() == [r["year"] for r in expected]
        for var in TREND_VARIABLES:
            want = np.array([r[var] for r in expected], dtype=float)
            np.testing.assert_allclose(got[f"{var}_mm"], want, atol=2e-3)
            if len(want):
                mean = want.mean()
                np.testing.assert_allclose(got[f"{var}_anomaly_mm"], want - mean, atol=4e-3)
                if mean > 1.0:
                    np.testing.assert_allclose(
                        got[f"{var}_anomaly_pct"], 100 * (want - mean) / mean, atol=2e-2
                    )
        assert got["deficit_months"].tolist() == [r["deficit_months"] for r in expected]
        assert got["dry_year"].tolist() == [r["dry"] for r in expected]


def test_partial_years_are_left_out_and_the_driest_of_five_is_dry() -> None:
    rain = np.array([800.0, 1200.0, 600.0, 1000.0, 900.0])
    series = np.zeros((len(VARIABLES), 12 * 5 + 4))  # January 2001 .. April 2006
    series[0, :3] = 99.0
    series[0, 3:63] = np.repeat(rain / 12, 12)  # April to March "seasons"
    series[VARIABLES.index("deficit"), 3:15] = [0, 5, 11, 20, 30, 0, 0, 0, 10, 10.5, 0, 0]
    table = trends_by_year(_long({"A": series}, 1, 2001))
    assert table is not None
    assert table["year"].tolist() == [2001, 2002, 2003, 2004, 2005]  # 2006 has 4 months
    expected_rain = [297 + 600, 200 + 900, 300 + 450, 150 + 750, 250 + 675]
    np.testing.assert_allclose(table["rain_mm"], expected_rain, atol=1e-3)
    assert table["deficit_months"].tolist() == [3, 1, 0, 0, 0]  # 11, 20, 30; then 10.5
    # 20th percentile of 750, 897, 900, 925, 1100: 750 + 0.8 x 147 = 867.6
    assert table["dry_year"].tolist() == [False, False, True, False, False]
    mean = np.mean(expected_rain)
    assert table.loc[2, "rain_anomaly_mm"] == pytest.approx(750 - mean, abs=1e-3)
    assert table.loc[2, "rain_anomaly_pct"] == pytest.approx(100 * (750 - mean) / mean, abs=1e-3)


def test_a_climatology_has_no_trends() -> None:
    clim = _long({"A": np.ones((len(VARIABLES), 12))}, 1, 2001)
    clim["year"] = np.nan
    assert trends_by_year(clim) is None


def test_a_zero_mean_leaves_the_percentage_empty() -> None:
    series = np.ones((len(VARIABLES), 24))
    series[VARIABLES.index("runoff")] = 0.0
    table = trends_by_year(_long({"A": series}, 1, 2010))
    assert table is not None
    assert table["runoff_anomaly_pct"].isna().all()
    assert table["rain_anomaly_pct"].tolist() == pytest.approx([0.0, 0.0])
    assert not table["dry_year"].any()  # equal years: none below the 20th percentile
