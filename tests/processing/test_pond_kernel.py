"""The farm-pond reservoir kernel: a plain per-pond loop, its mass balance and a hand case."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from processing.kernels.pond import (
    AREA_VOLUME_EXPONENT,
    DAYS_PER_MONTH,
    OPEN_WATER_KC,
    SPINUP_TOLERANCE_M3,
    farm_ponds,
    offered_runoff_m3,
)


def reference_pond(
    runoff: list[float],
    et0: list[float],
    demand: list[float],
    cap: float,
    depth: float,
    seep_rate: float,
    kc: float,
    spinup: int,
) -> dict[str, list[float] | float]:
    """One pond, month by month in plain Python, written from the method's description."""

    def step(v: float, q: float, e0: float, d: float) -> tuple[float, ...]:
        take = min(max(q, 0.0), cap - v)
        v += take
        surface = (cap / depth) * (v / cap) ** AREA_VOLUME_EXPONENT if cap > 0 else 0.0
        ev = min(v, kc * max(e0, 0.0) * surface / 1000.0)
        v -= ev
        sp = min(v, seep_rate * DAYS_PER_MONTH * surface / 1000.0)
        v -= sp
        use = min(max(d, 0.0), v)
        v -= use
        return v, take, ev, sp, use

    v = 0.0
    for _ in range(spinup):
        start = v
        for m in range(min(12, len(runoff))):
            v = step(v, runoff[m], et0[m], demand[m])[0]
        if abs(v - start) < SPINUP_TOLERANCE_M3:
            break
    out: dict[str, list[float] | float] = {"initial": v}
    names = ("storage", "inflow", "evaporation", "seepage", "delivered")
    for name in names:
        out[name] = []
    for m in range(len(runoff)):
        values = step(v, runoff[m], et0[m], demand[m])
        v = values[0]
        for name, value in zip(names, values, strict=True):
            lst = out[name]
            assert isinstance(lst, list)
            lst.append(value)
    return out


months_units = st.tuples(st.integers(1, 30), st.integers(1, 4))


@st.composite
def pond_inputs(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    months, units = draw(months_units)
    flows = st.floats(0, 5_000, allow_nan=False)
    runoff = draw(arrays(np.float64, (months, units), elements=flows))
    et0 = draw(arrays(np.float64, (months, units), elements=st.floats(0, 250)))
    demand = draw(arrays(np.float64, (months, units), elements=st.floats(0, 800)))
    cap = draw(arrays(np.float64, (units,), elements=st.floats(0, 3_000)))
    return runoff, et0, demand, cap


@given(
    pond_inputs(),
    st.floats(0.5, 5),
    st.sampled_from([0.0, 2.0, 5.0, 20.0]),
    st.integers(0, 6),
)
def test_kernel_matches_a_plain_per_pond_loop(
    inputs: tuple[np.ndarray, ...], depth: float, seep: float, spinup: int
) -> None:
    runoff, et0, demand, cap = inputs
    pb = farm_ponds(runoff, et0, demand, cap, depth, seep, OPEN_WATER_KC, spinup)
    for u in range(cap.size):
        ref = reference_pond(
            list(runoff[:, u]),
            list(et0[:, u]),
            list(demand[:, u]),
            float(cap[u]),
            depth,
            seep,
            OPEN_WATER_KC,
            spinup,
        )
        assert pb.initial_storage[u] == pytest.approx(ref["initial"], abs=1e-6)
        for name in ("storage", "inflow", "evaporation", "seepage", "delivered"):
            np.testing.assert_allclose(getattr(pb, name)[:, u], ref[name], atol=1e-6, rtol=1e-9)


@given(pond_inputs(), st.floats(0.5, 5), st.sampled_from([0.0, 5.0, 50.0]))
def test_mass_balance_and_bounds(inputs: tuple[np.ndarray, ...], depth: float, seep: float) -> None:
    runoff, et0, demand, cap = inputs
    pb = farm_ponds(runoff, et0, demand, cap, depth, seep)
    scale = 1e-9 * (1 + cap.max())
    # inflow = use + evaporation + seepage + change in storage, every month
    assert np.abs(pb.closure_m3()).max() <= scale
    start = np.vstack([pb.initial_storage[np.newaxis], pb.storage[:-1]])
    np.testing.assert_allclose(
        pb.inflow.sum(0),
        (pb.delivered + pb.evaporation + pb.seepage).sum(0) + pb.storage[-1] - start[0],
        atol=scale * runoff.shape[0],
    )
    # the runoff offered is taken in or passes the pond by
    np.testing.assert_allclose(pb.inflow + pb.spill, runoff, atol=scale)
    assert (pb.spill >= 0).all() and (pb.inflow <= runoff + scale).all()
    assert (pb.storage >= 0).all() and (pb.storage <= cap[np.newaxis] + scale).all()
    assert (pb.delivered <= demand + scale).all()
    for flow in (pb.inflow, pb.evaporation, pb.seepage, pb.delivered):
        assert (flow >= 0).all()
    # a month never takes in more than the room left at its start
    assert (pb.inflow <= cap[np.newaxis] - start + scale).all()


def test_one_wet_month_then_dry_months_give_at_most_one_fill_less_losses() -> None:
    """100 m3, 1 m deep (100 m2 full), lined: one wet month fills it, five dry ones draw it."""
    runoff = np.array([[500.0], [0], [0], [0], [0], [0]])
    et0 = np.full((6, 1), 100.0)  # mm/month
    demand = np.array([[0.0], [30], [30], [30], [30], [30]])
    pb = farm_ponds(runoff, et0, demand, np.array([100.0]), 1.0, 0.0, 1.0, spinup_years=0)
    # the first month: full (100 taken in, 400 passed by), 100 mm off 100 m2 evaporated
    assert pb.inflow[0, 0] == 100.0 and pb.spill[0, 0] == 400.0
    assert pb.evaporation[0, 0] == pytest.approx(10.0)
    assert pb.storage[0, 0] == pytest.approx(90.0)
    # the second month: 100 mm off the area of 90 m3, then 30 m3 used
    area = 100.0 * 0.9**AREA_VOLUME_EXPONENT
    assert pb.evaporation[1, 0] == pytest.approx(area * 0.1)
    assert pb.delivered[1, 0] == pytest.approx(30.0)
    assert pb.storage[1, 0] == pytest.approx(90.0 - area * 0.1 - 30.0)
    # the pond runs dry: it delivers one fill less its evaporation, not a fill a month
    assert pb.inflow.sum() == 100.0
    assert pb.delivered.sum() == pytest.approx(100.0 - pb.evaporation.sum() - pb.storage[-1, 0])
    assert pb.delivered.sum() < 100.0 - pb.evaporation.sum() + 1e-9
    assert pb.storage[-1, 0] == pytest.approx(0.0, abs=1e-9)
    assert pb.delivered[-1, 0] < 30.0  # the last month's use is cut short
    assert pb.fills_per_year()[0] == pytest.approx(100.0 / 100.0 / 0.5)  # 6 months: 0.5 yr


def test_seepage_of_an_unlined_pond_follows_its_daily_rate() -> None:
    """5 mm/day over the 100 m2 of a full 100 m3, 1 m pond: 15.2 m3 in a month of 30.4 days."""
    pb = farm_ponds(
        np.array([[100.0]]), np.zeros((1, 1)), np.zeros((1, 1)), np.array([100.0]), 1.0, 5.0
    )
    assert pb.seepage[0, 0] == pytest.approx(5.0 / 1000 * 100 * 365.25 / 12)
    assert pb.evaporation[0, 0] == 0.0


def test_no_ponds_and_a_bad_depth() -> None:
    pb = farm_ponds(
        np.full((12, 2), 50.0), np.full((12, 2), 150.0), np.full((12, 2), 10.0), np.zeros(2)
    )
    assert not pb.delivered.any() and not pb.inflow.any() and (pb.spill == 50.0).all()
    assert (pb.fills_per_year() == 0).all()
    with pytest.raises(ValueError, match="pond depth must be above 0 m"):
        farm_ponds(np.ones((1, 1)), np.ones((1, 1)), np.ones((1, 1)), np.ones(1), depth_m=0)


def test_the_ponds_catch_the_runoff_of_their_catchment_within_the_unit() -> None:
    """500 m3 at 40 m2/m3 drain 2 ha; a unit of 1 ha gives at most its own runoff."""
    runoff_mm = np.array([[10.0, 10.0], [0.0, 30.0]])
    offered = offered_runoff_m3(runoff_mm, np.array([500.0, 500.0]), np.array([1e6, 1e4]))
    np.testing.assert_allclose(offered, [[200.0, 100.0], [0.0, 300.0]])
    assert offered_runoff_m3(runoff_mm, np.zeros(2), np.full(2, 1e6)).sum() == 0
