"""Calibration: recovers the parameters of a series the model generated itself; the
baseflow reservoir against its closed form; observed-flow reading and its errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from processing.calibration import (
    BOUNDS,
    FlowParams,
    OutletInputs,
    calibrate,
    read_observed_flow,
    simulate_flow,
)
from processing.kernels.baseflow import linear_reservoir


def _inputs(years: int = 10) -> OutletInputs:
    rng = np.random.default_rng(7)
    months = pd.date_range("2000-01-01", periods=12 * years, freq="MS")
    season = np.clip(np.sin((months.month.to_numpy() - 4) / 12 * 2 * np.pi), 0, None)
    rain = 20 + 330 * season * rng.gamma(4.0, 0.25, months.size)  # a wet season, varying
    pet = np.tile([140, 140, 150, 140, 120, 100, 90, 90, 100, 110, 120, 130], years) * 0.8
    return OutletInputs(
        "W1",
        25e6,
        months,
        rain,
        pet.astype(float),
        rng.uniform(60, 85, 500),
        rng.uniform(60, 200, 500),
        np.tile(np.array([2, 2, 4, 6, 9, 14, 22, 22, 15, 8, 4, 2], float), years),
        "exponential",
        5,
    )


def test_linear_reservoir_matches_its_closed_form() -> None:
    k = 3.0
    a = np.exp(-1 / k)
    r = np.zeros(24)
    r[:12] = 10.0
    q = linear_reservoir(r, k)
    # steady state: a year of 10 mm/month recharge gives 10 mm/month baseflow
    np.testing.assert_allclose(q[:12], 10.0)
    # then the store empties geometrically: Qb(t) = Qb(t-1) * a
    np.testing.assert_allclose(q[13:] / q[12:-1], a)
    assert q.sum() + q[-1] * a / (1 - a) == pytest.approx(r.sum() + 10 * a / (1 - a))
    with pytest.raises(ValueError, match="positive"):
        linear_reservoir(r, 0.0)


@pytest.mark.slow
def test_calibration_recovers_known_parameters() -> None:
    inputs = _inputs()
    truth = FlowParams(cn_multiplier=0.9, awc_multiplier=1.4, baseflow_k_months=3.0)
    observed = simulate_flow(inputs, truth)["flow_mm"]
    result = calibrate(inputs, observed, "2002-01:2006-12", "2007-01:2009-12", "nse")
    got = result.params
    assert got.cn_multiplier == pytest.approx(0.9, abs=0.01)
    assert got.awc_multiplier == pytest.approx(1.4, abs=0.05)
    assert got.baseflow_k_months == pytest.approx(3.0, abs=0.1)
    assert result.calibration.nse > 0.999 and result.validation.nse > 0.999
    assert abs(result.validation.pbias_pct) < 0.5
    assert result.calibration.months == 60 and result.validation.months == 36
    assert set(result.series["period"]) == {"calibration", "validation"}
    # observed m3/s follows from mm and the area
    row = result.series.iloc[0]
    seconds = row["month"].days_in_month * 86400
    assert row["observed_m3s"] == pytest.approx(row["observed_mm"] / 1000 * 25e6 / seconds)
    # the same seed gives the same answer
    again = calibrate(inputs, observed, "2002-01:2006-12", "2007-01:2009-12", "nse")
    assert again.params == got


@pytest.mark.slow
def test_parameters_stay_in_their_bounds() -> None:
    inputs = _inputs()
    # flow far above anything the model can make drives the search to the bounds
    observed = simulate_flow(inputs, FlowParams())["flow_mm"] * 3 + 50
    result = calibrate(inputs, observed, "2002-01:2006-12", "2007-01:2009-12")
    for name, (lo, hi) in BOUNDS.items():
        assert lo <= getattr(result.params, name) <= hi


def test_period_errors() -> None:
    inputs = _inputs(3)
    obs = simulate_flow(inputs, FlowParams())["flow_mm"]
    with pytest.raises(ValueError, match="outside the rainfall series"):
        calibrate(inputs, obs, "1999-01:2000-12", "2001-01:2002-12")
    with pytest.raises(ValueError, match="YYYY-MM:YYYY-MM"):
        calibrate(inputs, obs, "2000", "2001-01:2002-12")
    with pytest.raises(ValueError, match="fewer than 6 observed months"):
        calibrate(inputs, obs.iloc[:20], "2000-01:2000-12", "2002-01:2002-12")


def test_read_observed_flow(tmp_path: Path) -> None:
    path = tmp_path / "flow.csv"
    path.write_text("Date,Flow\n1993/1,0.5\n1993/2,\n1993/3,-1\n")
    mm = read_observed_flow(path, "m3/s", 10e6)
    assert mm.index[0] == pd.Timestamp("1993-01-01")
    assert mm.iloc[0] == pytest.approx(0.5 * 31 * 86400 / 10e6 * 1000)  # 133.9 mm
    assert mm.iloc[1:].isna().all()  # blank and negative are missing
    path.write_text("when,q\nrainy season,1\n")
    with pytest.raises(ValueError, match="not readable"):
        read_observed_flow(path, "mm", 1.0)
