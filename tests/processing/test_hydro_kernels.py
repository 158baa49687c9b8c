"""Reference ET, runoff, water balance and water yield against published numbers and pyet."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from processing.kernels.et0 import (
    MJ_TO_MM,
    daylight_hours,
    extraterrestrial_radiation,
    hargreaves_daily_mm,
    hargreaves_monthly_mm,
    thornthwaite_monthly_mm,
)
from processing.kernels.runoff import monthly_runoff_mm
from processing.kernels.water_balance import thornthwaite_mather
from processing.kernels.water_yield import aet_fraction, water_yield_mm


def test_fao56_example_8_extraterrestrial_radiation() -> None:
    # 20 deg S on 3 September (day 246): Ra = 32.2 MJ m-2 day-1
    assert extraterrestrial_radiation(-20.0, 246) == pytest.approx(32.2, abs=0.05)


def test_fao56_example_9_daylight_hours() -> None:
    assert daylight_hours(-20.0, 246) == pytest.approx(11.7, abs=0.05)


def test_radiation_and_hargreaves_match_pyet() -> None:
    import pyet

    idx = pd.date_range("2020-01-01", "2020-12-31", freq="D")
    rng = np.random.default_rng(1)
    tmin = pd.Series(rng.uniform(8, 16, idx.size), index=idx)
    tmax = tmin + rng.uniform(6, 15, idx.size)
    tmean = (tmin + tmax) / 2
    for lat in (-1.4, 11.6, -33.9, 52.0):
        ra_pyet = pyet.extraterrestrial_r(idx, np.deg2rad(lat)).to_numpy()
        ra_ours = extraterrestrial_radiation(lat, idx.dayofyear.to_numpy())
        np.testing.assert_allclose(ra_ours, ra_pyet, rtol=2e-3)
        pet_pyet = pyet.hargreaves(tmean, tmax, tmin, np.deg2rad(lat)).to_numpy()
        # pyet divides by the temperature-dependent latent heat; FAO-56 uses 1/2.45 = 0.408
        lambda_pyet = pyet.calc_lambda(tmean).to_numpy()
        ours = hargreaves_daily_mm(tmin.to_numpy(), tmax.to_numpy(), lat, idx.dayofyear.to_numpy())
        np.testing.assert_allclose(ours, pet_pyet * lambda_pyet * MJ_TO_MM, rtol=2e-3)


def test_hargreaves_monthly_shape_and_magnitude() -> None:
    tmin = np.full((12, 3, 4), 12.0)
    tmax = np.full((12, 3, 4), 26.0)
    et0 = hargreaves_monthly_mm(tmin, tmax, np.full((3, 4), -1.4))
    assert et0.shape == (12, 3, 4)
    annual = et0.sum(axis=0)
    assert np.all((annual > 1400) & (annual < 1900))  # East African highlands: about 4-5 mm/day


def test_thornthwaite_properties() -> None:
    # 10 degC all year: I = 12 (2)^1.514; unadjusted PET = 16 (10 T / I)^a
    t = np.full(12, 10.0)
    heat = 12 * 2.0**1.514
    a = 6.75e-7 * heat**3 - 7.71e-5 * heat**2 + 1.792e-2 * heat + 0.49239
    at_equator = thornthwaite_monthly_mm(t, 0.0)
    expected = 16 * (100 / heat) ** a * (daylight_hours(0.0, 15) / 12) * (31 / 30)
    assert at_equator[0] == pytest.approx(expected, rel=1e-9)
    # freezing months evaporate nothing; hot months use Willmott's quadratic (136.5 mm at 26.5 degC)
    cold = thornthwaite_monthly_mm(np.array([-5, 0, 5, 10, 15, 20, 26.5, 20, 15, 10, 5, 0.0]), 0.0)
    assert cold[0] == 0 and cold[1] == 0
    assert cold[6] / ((daylight_hours(0.0, 196) / 12) * (31 / 30)) == pytest.approx(136.5, abs=0.1)


# Ritter, The Physical Environment, table 10.3: Rockford, IL, field capacity 90 mm
ROCKFORD = {
    "P": [50, 49, 66, 78, 100, 106, 88, 84, 86, 73, 56, 45],
    "PE": [0, 0, 5, 40, 84, 123, 145, 126, 85, 44, 8, 0],
    "ST": [90, 90, 90, 90, 90, 73, 16, 0, 1, 30, 78, 90],
    "AE": [0, 0, 5, 40, 84, 123, 145, 100, 85, 44, 8, 0],
    "D": [0, 0, 0, 0, 0, 0, 0, 26, 0, 0, 0, 0],
    "S": [50, 49, 61, 38, 16, 0, 0, 0, 0, 0, 0, 33],
}


def test_textbook_bucket_sequence_rockford() -> None:
    wb = thornthwaite_mather(
        np.array(ROCKFORD["P"], float)[:, None],
        np.array(ROCKFORD["PE"], float)[:, None],
        runoff_mm=np.zeros((12, 1)),  # no runoff in the textbook budget
        capacity_mm=np.array([90.0]),
        drawdown="linear",
    )
    np.testing.assert_allclose(wb.runoff[:, 0], 0, atol=1e-9)
    np.testing.assert_allclose(wb.storage[:, 0], ROCKFORD["ST"])
    np.testing.assert_allclose(wb.aet[:, 0], ROCKFORD["AE"])
    np.testing.assert_allclose(wb.deficit[:, 0], ROCKFORD["D"])
    np.testing.assert_allclose(wb.surplus[:, 0], ROCKFORD["S"])
    # the table prints an annual surplus of 258 mm, but its own monthly row adds up to 247
    assert wb.aet.sum() == 634 and wb.surplus.sum() == sum(ROCKFORD["S"]) == 247


def test_exponential_drawdown_follows_tm_retention_table() -> None:
    # Thornthwaite & Mather (1957), 100 mm: APWL 50 -> 61 mm, 100 -> 37 mm, 200 -> 14 mm retained
    p = np.zeros((4, 1))
    pet = np.array([[50.0], [50.0], [100.0], [0.0]])
    wb = thornthwaite_mather(p, pet, np.zeros_like(p), np.array([100.0]), spinup_years=0)
    np.testing.assert_allclose(wb.storage[:3, 0], [61, 37, 14], atol=0.5)


def test_mass_balance_closes_for_every_unit_and_month() -> None:
    rng = np.random.default_rng(7)
    months, units = 120, 500
    p = rng.gamma(0.8, 90, (months, units))
    pet = rng.uniform(60, 180, (months, units))
    cn = rng.uniform(40, 95, units)
    cap = rng.choice([0.0, 20.0, 150.0, 300.0], units)
    days = rng.uniform(2, 15, 12)[np.arange(months) % 12]
    wb = thornthwaite_mather(p, pet, monthly_runoff_mm(p, cn, days), cap)
    scale = np.maximum(np.abs(p), 1.0)
    assert np.max(np.abs(wb.closure_mm()) / scale) < 1e-6
    assert np.all(wb.aet <= wb.pet + 1e-9) and np.all(wb.aet >= -1e-9)
    assert np.all(wb.storage <= cap + 1e-9) and np.all(wb.storage >= -1e-9)
    assert np.all((wb.stress_index >= 0) & (wb.stress_index <= 1 + 1e-12))


def test_invest_fractp_values() -> None:
    # natcap/invest tests/test_annual_water_yield.py::test_fractp_op (Z = 6)
    kc = np.array([[1, 0.1, 0.1], [0.6, 0.6, 0.1]])
    eto = np.array([[1000, 900, 900], [1100, 1005, 1000]])
    precip = np.array([[100, 1000, 10], [500, 800, 1100]])
    root = np.array([[99, 300, 400], [5, 500, 800]])
    soil = np.array([[600, 700, 700], [800, 900, 600]])
    pawc = np.array([[0.11, 0.11, 0.12], [0.55, 0.55, 0.19]])
    veg = np.array([[1, 1, 0], [0, 1, 0]])
    awc = np.minimum(root, soil) * pawc
    fractp = aet_fraction(kc, eto, precip, awc, veg, z=6)
    expected = np.array([[0.9345682, 0.06896508, 1.0], [1.0, 0.6487423, 0.09090909]])
    np.testing.assert_allclose(fractp, expected, rtol=1e-6)
    np.testing.assert_allclose(water_yield_mm(precip, fractp), (1 - expected) * precip, rtol=1e-6)
