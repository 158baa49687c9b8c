"""Reference ET, runoff, water balance and water yield against published numbers and pyet."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from processing.kernels.et0 import (
    MJ_TO_MM,
    daylight_hours,
    extraterrestrial_radiation,
    hargreaves_daily_mm,
    hargreaves_monthly_mm,
    monthly_extraterrestrial_radiation_mj_m2,
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
    # 10 degC all year: I = 12 (2)^1.514; unadjusted PET = 16 (10 T / I)^a; at the equator
    # every day has 12 hours of daylight, so a month of d days is corrected by d / 30
    t = np.full(12, 10.0)
    heat = 12 * 2.0**1.514
    a = 6.75e-7 * heat**3 - 7.71e-5 * heat**2 + 1.792e-2 * heat + 0.49239
    at_equator = thornthwaite_monthly_mm(t, 0.0)
    expected = (
        16 * (100 / heat) ** a * np.array([31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    )
    np.testing.assert_allclose(at_equator, expected / 30, rtol=1e-9)
    # freezing months evaporate nothing; hot months use Willmott's quadratic (136.5 mm at 26.5 degC)
    cold = thornthwaite_monthly_mm(np.array([-5, 0, 5, 10, 15, 20, 26.5, 20, 15, 10, 5, 0.0]), 0.0)
    assert cold[0] == 0 and cold[1] == 0
    assert cold[6] / (31 / 30) == pytest.approx(136.5, abs=0.1)


# A four-year leap cycle of days (2024 is the leap year): a monthly total is the mean of the
# four calendar sums of the daily values, each day at its month's mean temperatures.
LEAP_CYCLE = pd.date_range("2021-01-01", "2024-12-31", freq="D")
LEAP_CYCLE_MONTH = LEAP_CYCLE.month.to_numpy() - 1


def _leap_cycle_month_sums(daily: np.ndarray) -> np.ndarray:
    return np.bincount(LEAP_CYCLE_MONTH, weights=daily, minlength=12) / 4


def _fao56_lambda_mj_kg(tmean_c: np.ndarray) -> np.ndarray:
    """Latent heat of vaporisation, FAO-56 eq. 3-1 (what pyet divides by)."""
    return 2.501 - 0.002361 * tmean_c


_MONTHLY = arrays(np.float64, 12, elements=st.floats(-15.0, 30.0))
_RANGE = arrays(np.float64, 12, elements=st.floats(0.0, 20.0))


@settings(max_examples=60)
@given(lat=st.floats(-60.0, 60.0), tmin=_MONTHLY, trange=_RANGE)
def test_hargreaves_monthly_totals_are_pyet_daily_sums(
    lat: float, tmin: np.ndarray, trange: np.ndarray
) -> None:
    import pyet

    tmax = tmin + trange
    tmean = (tmin + tmax) / 2
    day = LEAP_CYCLE_MONTH
    daily = pyet.hargreaves(
        pd.Series(tmean[day], index=LEAP_CYCLE),
        pd.Series(tmax[day], index=LEAP_CYCLE),
        pd.Series(tmin[day], index=LEAP_CYCLE),
        np.deg2rad(lat),
    ).to_numpy()
    pyet_month_mm = _leap_cycle_month_sums(daily)
    ours = hargreaves_monthly_mm(tmin, tmax, lat)
    # FAO-56 eq. 52 multiplies by 0.408 where pyet divides by lambda(Tmean): the ratio of the
    # two is 0.408 lambda(Tmean), the same on every day of a month
    np.testing.assert_allclose(
        ours, pyet_month_mm * MJ_TO_MM * _fao56_lambda_mj_kg(tmean), rtol=3e-7, atol=1e-9
    )


def test_hargreaves_difference_to_pyet_by_temperature() -> None:
    """The figures the README quotes, measured on monthly totals at 20 deg S."""
    import pyet
    import xarray as xr

    tmean = np.round(np.linspace(-10.0, 40.0, 501), 1)  # steps of 0.1 degC

    def daily(t: np.ndarray) -> xr.DataArray:
        values = np.broadcast_to(t, (LEAP_CYCLE.size, 1, t.size))
        return xr.DataArray(values, dims=("time", "y", "x"), coords={"time": LEAP_CYCLE})

    pyet_daily = pyet.hargreaves(
        daily(tmean), daily(tmean + 5.0), daily(tmean - 5.0), np.deg2rad(-20.0)
    ).to_numpy()[:, 0, :]
    pyet_month_mm = np.stack([_leap_cycle_month_sums(d) for d in pyet_daily.T], axis=1)
    ours = hargreaves_monthly_mm(
        np.broadcast_to(tmean - 5.0, (12, tmean.size)),
        np.broadcast_to(tmean + 5.0, (12, tmean.size)),
        -20.0,
    )
    ratio = ours / pyet_month_mm
    # the same in every month: the temperature is constant, Ra cancels
    np.testing.assert_allclose(ratio, np.broadcast_to(ratio[0], ratio.shape), rtol=1e-7)
    diff = dict(zip(tmean, ratio[0] - 1, strict=True))
    assert diff[-3.0] == pytest.approx(0.0233, abs=1e-4)
    assert diff[29.0] == pytest.approx(-0.0075, abs=1e-4)
    assert abs(diff[21.2]) < 1e-4
    within = tmean[np.abs(ratio[0] - 1) <= 0.002]
    assert (within.min(), within.max()) == (19.2, 23.2)


@settings(max_examples=60)
@given(lat=st.floats(-60.0, 60.0), t=arrays(np.float64, 12, elements=st.floats(-5.0, 35.0)))
def test_thornthwaite_day_length_is_the_month_sum_of_pyet_daylight(
    lat: float, t: np.ndarray
) -> None:
    import pyet

    # Thornthwaite (1948) per 30-day month of 12-hour days; Willmott et al. (1985) from 26.5 degC
    warm = np.maximum(t, 0.0)
    heat = np.sum((warm / 5) ** 1.514)
    a = 6.75e-7 * heat**3 - 7.71e-5 * heat**2 + 1.792e-2 * heat + 0.49239
    standard = 16 * (10 * warm / heat) ** a if heat > 0 else np.zeros(12)
    standard = np.where(t >= 26.5, -415.85 + 32.24 * t - 0.43 * t**2, standard)
    daylight_h = _leap_cycle_month_sums(pyet.daylight_hours(LEAP_CYCLE, np.deg2rad(lat)))
    expected = np.where(t > 0, standard * daylight_h / (30 * 12), 0.0)
    np.testing.assert_allclose(thornthwaite_monthly_mm(t, lat), expected, rtol=3e-7, atol=1e-9)


@given(
    south=st.floats(-80.0, 78.0), offsets=arrays(np.float64, (3, 4), elements=st.floats(0.0, 2.0))
)
def test_monthly_radiation_of_a_cell_ignores_the_other_cells(
    south: float, offsets: np.ndarray
) -> None:
    # a strip of the grid and the whole grid give every cell the same total
    lats = south + offsets
    grid = monthly_extraterrestrial_radiation_mj_m2(lats)
    np.testing.assert_array_equal(grid[:, 1:], monthly_extraterrestrial_radiation_mj_m2(lats[1:]))
    for i, j in np.ndindex(lats.shape):
        assert np.array_equal(grid[:, i, j], monthly_extraterrestrial_radiation_mj_m2(lats[i, j]))


def test_monthly_radiation_nan_latitude() -> None:
    ra = monthly_extraterrestrial_radiation_mj_m2(np.array([np.nan, -20.0]))
    assert np.isnan(ra[:, 0]).all() and np.isfinite(ra[:, 1]).all()


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
