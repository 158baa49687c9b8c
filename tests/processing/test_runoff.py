"""Curve-number runoff: TR-55's numbers, the exponential-event expectation against scipy's
quadrature and a Monte-Carlo of the same distribution, and HRU sums that do not depend on
how a region is cut into units."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate

from processing.hru import Hrus
from processing.kernels.runoff import hru_runoff_mm, monthly_runoff_mm, scs_runoff_mm

MM_PER_INCH = 25.4


@pytest.mark.parametrize(("p_in", "q_in"), [(5.0, 2.89), (8.0, 5.63)])
def test_tr55_runoff(p_in: float, q_in: float) -> None:
    # TR-55 (1986) figure 2-1 / table 2-1: CN 80
    q = scs_runoff_mm(p_in * MM_PER_INCH, 80) / MM_PER_INCH
    assert q == pytest.approx(q_in, abs=0.005)


def test_event_limits() -> None:
    assert scs_runoff_mm(10.0, 60) == 0.0  # below the initial abstraction
    assert scs_runoff_mm(50.0, 100) == pytest.approx(50.0)


def _quadrature(mean_mm: float, cn: float) -> float:
    """E[Q] of one event with exponential depth, by scipy's adaptive quadrature."""
    s = 25400.0 / cn - 254.0
    ia = 0.2 * s
    value, _ = integrate.quad(
        lambda p: float(scs_runoff_mm(p, cn)) * np.exp(-p / mean_mm) / mean_mm,
        ia,
        np.inf,
        epsabs=0.0,
        epsrel=1e-11,
        limit=400,
    )
    return value


@given(
    mean_mm=st.floats(0.5, 120.0),
    cn=st.floats(30.0, 99.5),
    events=st.integers(1, 25),
)
def test_expected_runoff_equals_the_quadrature_of_the_distribution(
    mean_mm: float, cn: float, events: int
) -> None:
    month = monthly_runoff_mm(np.array([[mean_mm * events]]), np.array([cn]), np.array([events]))
    expected = events * _quadrature(mean_mm, cn)
    assert month[0, 0] == pytest.approx(expected, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize(("mean_mm", "cn"), [(12.0, 75.0), (8.0, 85.0), (25.0, 60.0)])
def test_expected_runoff_matches_a_monte_carlo_of_daily_rain(mean_mm: float, cn: float) -> None:
    rng = np.random.default_rng(2024)
    depths = rng.exponential(mean_mm, 2_000_000)
    q = scs_runoff_mm(depths, cn)
    standard_error = q.std() / np.sqrt(q.size)
    month = monthly_runoff_mm(np.array([[mean_mm * 10]]), np.array([cn]), np.array([10.0]))
    assert month[0, 0] / 10 == pytest.approx(q.mean(), abs=4 * standard_error)


def test_intermittent_rain_runs_off_where_equal_events_do_not() -> None:
    # 150 mm in 12 events on cropland, soil group C (CN 85): equal 12.5 mm events stay below
    # Ia = 9 mm ... but barely; with CN 75 (Ia = 17 mm) equal events give nothing at all
    p, days = np.array([[150.0]]), np.array([12.0])
    equal = monthly_runoff_mm(p, np.array([75.0]), days, "equal")[0, 0]
    expo = monthly_runoff_mm(p, np.array([75.0]), days, "exponential")[0, 0]
    assert equal == 0.0
    assert 0.02 * 150 < expo < 0.25 * 150


def test_all_rain_runs_off_at_cn_100_and_none_without_rain() -> None:
    p = np.array([[0.0, 80.0, 300.0]])
    q = monthly_runoff_mm(p, np.array([100.0, 100.0, 100.0]), np.array([5.0]))
    np.testing.assert_allclose(q, p)
    assert monthly_runoff_mm(np.zeros((1, 1)), np.array([70.0]), np.array([5.0]))[0, 0] == 0.0


@given(
    p=st.floats(0.0, 800.0),
    cn_low=st.floats(30.0, 98.0),
    bump=st.floats(0.1, 2.0),
    days=st.floats(1.0, 28.0),
)
def test_runoff_is_bounded_and_rises_with_rain_and_cn(
    p: float, cn_low: float, bump: float, days: float
) -> None:
    d = np.array([days])
    low = monthly_runoff_mm(np.array([[p, p + 10.0]]), np.full(2, cn_low), d)[0]
    high = monthly_runoff_mm(np.array([[p]]), np.array([cn_low + bump]), d)[0, 0]
    assert 0.0 <= low[0] <= p + 1e-9
    assert low[1] >= low[0] - 1e-9
    assert high >= low[0] - 1e-9


@given(
    shares=st.lists(st.floats(0.0, 1.0), min_size=2, max_size=8).filter(lambda s: sum(s) > 0.01),
    seed=st.integers(0, 2**31),
)
def test_a_unit_runs_off_the_area_weighted_sum_of_its_hrus(shares: list[float], seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = len(shares)
    cn = rng.uniform(40, 98, n)
    w = np.asarray(shares) / sum(shares)
    p = rng.gamma(0.8, 90, (24, 1))
    days = rng.uniform(1, 20, 24)
    unit = hru_runoff_mm(p, cn[None, :], w[None, :], days)
    parts = monthly_runoff_mm(np.repeat(p, n, axis=1), cn, days)
    np.testing.assert_allclose(unit[:, 0], parts @ w, rtol=1e-9, atol=1e-12)


def test_hru_counts_give_shares_and_skip_classes_without_a_curve_number() -> None:
    counts = np.array([[30.0, 10.0, 60.0], [0.0, 0.0, 0.0]])
    hrus = Hrus.from_counts(counts, np.array([60.0, np.nan, 80.0]))
    np.testing.assert_allclose(hrus.share[0], [1 / 3, 0, 2 / 3])
    assert hrus.mean_cn()[0] == pytest.approx(60 / 3 + 160 / 3)
    assert not hrus.valid[1] and np.isnan(hrus.mean_cn()[1])


def test_converting_part_of_an_hru_moves_its_area_to_the_new_curve_number() -> None:
    hrus = Hrus.from_counts(np.array([[50.0, 50.0]]), np.array([70.0, 85.0]))
    after = hrus.converted(np.array([1]), np.array([[0.2]]), np.array([60.0]))
    np.testing.assert_allclose(after.share, [[0.5, 0.3, 0.2]])
    np.testing.assert_allclose(after.cn, [[70.0, 85.0, 60.0]])
    assert after.share.sum() == pytest.approx(1.0)
