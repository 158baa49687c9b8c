"""Budget portfolios against brute-force enumeration of every allocation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from processing.portfolio import (
    PortfolioError,
    ShareBasis,
    cost_table,
    efficient_frontier,
    solve_portfolio,
)


def brute_force(
    impact: np.ndarray,
    cost: np.ndarray,
    budget: float,
    flags: np.ndarray,
    min_share: float,
    share_of: str,
) -> float:
    """Greatest impact over every allocation that fits the budget and the share."""
    n, width = impact.shape
    rows = np.arange(n)
    best = 0.0
    for units in itertools.product(range(width), repeat=n):
        k = np.array(units)
        spent = cost[rows, k]
        if spent.sum() > budget:
            continue
        basis = spent if share_of == "cost" else k.astype(float)
        if min_share > 0 and basis[flags].sum() < min_share * basis.sum():
            continue
        best = max(best, float(impact[rows, k].sum()))
    return best


@st.composite
def instances(
    draw: st.DrawFn,
) -> tuple[np.ndarray, np.ndarray, float, np.ndarray, float, ShareBasis]:
    n = draw(st.integers(1, 4))
    k_max = draw(st.integers(1, 3))
    gains = draw(
        st.lists(st.integers(0, 50), min_size=n * k_max, max_size=n * k_max).map(
            lambda v: np.array(v, dtype=float).reshape(n, k_max)
        )
    )
    impact = np.hstack([np.zeros((n, 1)), gains])  # any curve, not only concave ones
    unit_cost = draw(st.integers(1, 20))
    fixed = draw(st.integers(0, 15))
    cost = cost_table(n, k_max, unit_cost, fixed)
    budget = float(draw(st.integers(1, int(cost[:, -1].sum()) + 5)))
    flags = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    share = draw(st.sampled_from([0.0, 0.25, 0.5, 0.8, 1.0]))
    share_of: ShareBasis = draw(st.sampled_from(["cost", "units"]))
    return impact, cost, budget, flags, share, share_of


@given(instances())
def test_milp_finds_the_brute_force_optimum(
    case: tuple[np.ndarray, np.ndarray, float, np.ndarray, float, ShareBasis],
) -> None:
    impact, cost, budget, flags, share, share_of = case
    best = brute_force(impact, cost, budget, flags, share, share_of)
    if best == 0:
        with pytest.raises(PortfolioError):
            solve_portfolio(impact, cost, budget, flags, share, share_of)
        return
    p = solve_portfolio(impact, cost, budget, flags, share, share_of)
    assert p.gap == 0
    assert p.impact == pytest.approx(best, abs=1e-9)
    rows = np.arange(impact.shape[0])
    # never over the budget, and the share holds
    assert cost[rows, p.units].sum() <= budget
    assert p.cost == pytest.approx(cost[rows, p.units].sum())
    basis = cost[rows, p.units] if share_of == "cost" else p.units.astype(float)
    assert basis[flags].sum() >= share * basis.sum() - 1e-9
    assert (p.units >= 0).all() and (p.units < impact.shape[1]).all()


def test_a_hand_checked_optimum() -> None:
    # three communities, units of 10, a fixed cost of 5; budget 40
    # A: 1 unit 9, 2 units 15; B: 1 unit 8, 2 units 10; C: 1 unit 4 (women-led)
    impact = np.array([[0, 9, 15], [0, 8, 10], [0, 4, 4]], dtype=float)
    cost = cost_table(3, 2, 10.0, 5.0)  # 15 for one unit, 25 for two
    p = solve_portfolio(impact, cost, 40.0)
    assert p.units.tolist() == [2, 1, 0]  # 15 + 8 = 23 for 25 + 15 = 40
    assert (p.impact, p.cost) == (23.0, 40.0)
    # at least 30 % of the cost in C: C's unit (15 of 40) with A's two (25): 15 + 4 = 19
    flags = np.array([False, False, True])
    p = solve_portfolio(impact, cost, 40.0, flags, 0.3)
    assert p.units.tolist() == [2, 0, 1] and (p.impact, p.cost) == (19.0, 40.0)
    # at least 40 %: C's unit (15) with A's or B's one unit (15): 9 + 4 = 13
    p = solve_portfolio(impact, cost, 40.0, flags, 0.4)
    assert p.units.tolist() == [1, 0, 1] and p.impact == 13.0
    # costs that are not whole numbers go to HiGHS: the same optimum
    p = solve_portfolio(impact, cost / 4, 10.0)
    assert p.units.tolist() == [2, 1, 0] and p.gap == 0


def test_many_near_equal_communities_are_proven_optimal() -> None:
    """Impacts a[c] x k for a fixed cost plus a unit cost (farm ponds): HiGHS's branch and
    bound stalls on such tables; the recursion proves the optimum, the best 13 at 10 units."""
    rng = np.random.default_rng(3)
    n, k_max = 108, 10
    a = rng.uniform(30, 130, n)
    impact = a[:, np.newaxis] * np.arange(k_max + 1)[np.newaxis]
    cost = cost_table(n, k_max, 300.0, 1500.0)  # 4,500 for 10 units: 13 fit in 60,000
    p = solve_portfolio(impact, cost, 60_000.0)
    assert p.gap == 0 and p.cost <= 60_000
    best = np.sort(a)[-13:].sum() * 10
    assert p.impact == pytest.approx(best)
    assert sorted(np.flatnonzero(p.units)) == sorted(np.argsort(a)[-13:])


def test_units_that_add_nothing_are_given_back() -> None:
    impact = np.array([[0, 7, 7, 7]], dtype=float)  # households: the first unit reaches all
    p = solve_portfolio(impact, cost_table(1, 3, 10.0), 100.0)
    assert p.units.tolist() == [1] and p.cost == 10.0


def test_infeasible_constraints_say_what_to_change() -> None:
    impact = np.array([[0, 5.0], [0, 6.0]])
    cost = cost_table(2, 1, 10.0)
    with pytest.raises(PortfolioError, match="set the share to 0"):
        solve_portfolio(impact, cost, 100.0, np.array([False, False]), 0.5)
    with pytest.raises(PortfolioError, match="raise the budget"):
        solve_portfolio(impact, cost, 5.0)
    with pytest.raises(PortfolioError, match="above 0"):
        solve_portfolio(impact, cost, 0.0)
    with pytest.raises(PortfolioError, match="above 0"):
        solve_portfolio(impact, cost, -3.0)
    with pytest.raises(PortfolioError, match="between 0 and 1"):
        solve_portfolio(impact, cost, 100.0, np.array([True, False]), 1.5)
    with pytest.raises(PortfolioError, match="no allocation has any impact"):
        solve_portfolio(np.zeros((2, 2)), cost, 100.0)


def test_the_frontier_never_falls_and_stays_within_each_budget() -> None:
    rng = np.random.default_rng(3)
    impact = np.hstack([np.zeros((6, 1)), np.cumsum(rng.integers(0, 30, (6, 3)), axis=1)])
    cost = cost_table(6, 3, 7.0, 4.0)
    budgets = np.array([5.0, 11.0, 30.0, 60.0, 200.0])
    points = efficient_frontier(impact, cost, budgets)
    impacts = [p[1] for p in points]
    assert impacts == sorted(impacts)
    assert all(spent <= b for b, _, spent in points)
    assert points[0][1] == 0.0  # 5 buys nothing (a unit costs 11)
    assert points[-1][1] == impact[:, -1].sum()  # 200 buys every unit


def test_highs_writes_nothing_on_standard_output(capfd: pytest.CaptureFixture[str]) -> None:
    """The CLI writes its CSV on standard output: the solver must print nothing there.

    HiGHS is compiled code that writes to the process's file descriptor 1, so the capture is
    of the descriptor (capfd), not of Python's sys.stdout.
    """
    rng = np.random.default_rng(7)
    n, k_max = 40, 4
    impact = np.hstack([np.zeros((n, 1)), np.cumsum(rng.uniform(0, 9, (n, k_max)), axis=1)])
    cost = cost_table(n, k_max, 10.0, 6.0)
    flags = rng.random(n) < 0.4
    solve_portfolio(impact, cost, 300.0, flags, 0.3)
    efficient_frontier(impact, cost, np.array([50.0, 400.0]))
    captured = capfd.readouterr()
    assert captured.out == ""


def test_a_refusal_keeps_its_reason_and_fields() -> None:
    """The dashboard translates a refusal by its English text and fields."""
    with pytest.raises(PortfolioError) as info:
        solve_portfolio(np.array([[0, 5.0]]), cost_table(1, 1, 2500.0), 1000.0)
    exc = info.value
    assert exc.key == "buys_nothing" and exc.values == {"budget": 1000.0, "cheapest": 2500.0}
    assert str(exc) == exc.template.format(budget="1,000", cheapest="2,500")
