"""Ranking robustness against a naive loop: draw, score with the designer's functions, rank."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from layers.config import CriterionConfig, InterventionConfig
from processing.kernels.suitability import combine
from processing.robustness import (
    COLUMNS,
    RobustnessSettings,
    draw_weights,
    model_robustness,
    rank_robustness,
    ranks_of,
    unit_memberships,
)
from processing.suitability_model import SuitabilityModel

unit_value = st.floats(0.0, 1.0, allow_nan=False, width=32)


def naive_table(scores_per_draw: list[np.ndarray], top_n: int) -> pd.DataFrame:
    """Rank every draw with pandas (ties by position, NaN last) and summarise with numpy."""
    ranks = np.array(
        [
            pd.Series(s).rank(method="first", ascending=False, na_option="bottom").to_numpy()
            for s in scores_per_draw
        ]
    )
    return pd.DataFrame(
        {
            "median_rank": np.median(ranks, axis=0),
            "rank_p05": np.percentile(ranks, 5, axis=0),
            "rank_p95": np.percentile(ranks, 95, axis=0),
            "top_n_probability": (ranks <= top_n).mean(axis=0),
        }
    )


def well_separated(scores_per_draw: list[np.ndarray], gap: float = 1e-6) -> bool:
    """No two different scores of a draw closer than ``gap`` (ulp-level order is arbitrary)."""
    for s in scores_per_draw:
        v = np.unique(s[np.isfinite(s)])
        if v.size > 1 and np.diff(v).min() < gap:
            return False
    return True


@st.composite
def unit_memberships_and_weights(draw: Any) -> tuple[np.ndarray, np.ndarray]:
    k = draw(st.integers(1, 5))
    n = draw(st.integers(1, 12))
    a = draw(hnp.arrays(np.float64, (n, k), elements=unit_value))
    empty = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    a[np.array(empty)] = np.nan  # communities without scored cells
    w = draw(hnp.arrays(np.float64, k, elements=st.floats(0.0, 10.0)))
    assume(w.sum() > 0.01)
    return a, w


@settings(max_examples=150, deadline=None)
@given(
    data=unit_memberships_and_weights(),
    concentration=st.floats(0.5, 1e4),
    n_draws=st.integers(1, 40),
    top_n=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
)
def test_matches_a_naive_loop_over_the_designers_score(
    data: tuple[np.ndarray, np.ndarray], concentration: float, n_draws: int, top_n: int, seed: int
) -> None:
    a, w = data
    draws = draw_weights(w, concentration, n_draws, seed)
    # the designer's combine() per draw on the communities' mean memberships
    naive_scores = [combine(a.T, d, "sum") for d in draws]
    assume(well_separated(naive_scores))
    got = rank_robustness(a, w, concentration, n_draws, top_n, seed)
    pd.testing.assert_frame_equal(got, naive_table(naive_scores, top_n), check_dtype=False)
    # N communities are in the top N in every draw (or all of them when fewer)
    assert got["top_n_probability"].sum() == pytest.approx(min(top_n, len(a)))


def test_ranks_match_scipy_ordinal_ranks() -> None:
    from scipy.stats import rankdata

    rng = np.random.default_rng(3)
    scores = rng.integers(0, 4, size=(30, 25)).astype(float)  # many ties
    scores[rng.random(scores.shape) < 0.1] = np.nan
    filled = np.where(np.isnan(scores), np.inf, -scores)
    expected = np.array([rankdata(row, method="ordinal") for row in filled])
    ranks = ranks_of(scores)
    np.testing.assert_array_equal(ranks, expected)
    # every draw ranks each unit once: N units are in the top N in every draw
    np.testing.assert_array_equal(np.sort(ranks, axis=1), np.tile(np.arange(1, 26), (30, 1)))
    assert ((ranks <= 7).sum(axis=1) == 7).all()


@settings(max_examples=100, deadline=None)
@given(data=unit_memberships_and_weights(), top_n=st.integers(1, 6), seed=st.integers(0, 999))
def test_huge_concentration_keeps_the_chosen_top_n(
    data: tuple[np.ndarray, np.ndarray], top_n: int, seed: int
) -> None:
    a, w = data
    chosen = combine(a.T, w, "sum")
    top = pd.Series(chosen).rank(method="first", ascending=False, na_option="bottom") <= top_n
    # a near-tie at the chosen weights may flip under any perturbation, and so may an exact
    # one (two units with the same memberships: their perturbed scores differ by rounding)
    finite = chosen[np.isfinite(chosen)]
    assume(well_separated([chosen], 1e-4) and np.unique(finite).size == finite.size)
    got = rank_robustness(a, w, concentration=1e12, n_draws=50, top_n=top_n, seed=seed)
    np.testing.assert_array_equal(got["top_n_probability"].to_numpy(), top.astype(float))


def test_same_seed_same_table_and_another_seed_differs() -> None:
    rng = np.random.default_rng(0)
    a = rng.random((200, 6))
    w = rng.random(6)
    one = rank_robustness(a, w, 20, 300, 10, seed=7)
    pd.testing.assert_frame_equal(one, rank_robustness(a, w, 20, 300, 10, seed=7))
    assert not one.equals(rank_robustness(a, w, 20, 300, 10, seed=8))
    assert list(one.columns) == list(COLUMNS)


def test_draws_follow_the_dirichlet_moments() -> None:
    w = np.array([0.5, 0.3, 0.2, 0.0])
    c = 50.0
    draws = draw_weights(w * 7, c, 40_000, seed=1)  # unnormalised input
    assert (draws[:, 3] == 0).all()  # a weight switched off stays off
    np.testing.assert_allclose(draws.sum(axis=1), 1.0)
    np.testing.assert_allclose(draws.mean(axis=0), w, atol=3e-3)
    np.testing.assert_allclose(draws.var(axis=0), w * (1 - w) / (c + 1), rtol=0.05)


@pytest.mark.parametrize(
    "kwargs",
    [{"concentration": 0.0}, {"n_draws": 0}, {"top_n": 0}, {"concentration": float("nan")}],
)
def test_bad_settings_name_the_setting(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"concentration|draws|top N"):
        RobustnessSettings(**kwargs)  # type: ignore[arg-type]


# -- through a suitability model: constraints, overlapping communities, geometric mean --------


def _model(
    members: np.ndarray, allowed: np.ndarray, labels: np.ndarray, method: str
) -> SuitabilityModel:
    k, cells = members.shape
    profile = InterventionConfig(
        id="x",
        name="x",
        method=method,
        criteria=[
            CriterionConfig(layer="slope_pct", function="increasing", params=[0, 1])
            for _ in range(k)
        ],
    )
    blocked = {"slope": ~allowed}
    return SuitabilityModel(
        profile,
        members.astype(np.float32),
        np.arange(cells),
        allowed,
        labels,
        int(labels.max()),
        (1, cells),
        blocked,
    )


@st.composite
def models(draw: Any, method: str) -> SuitabilityModel:
    k = draw(st.integers(1, 4))
    cells = draw(st.integers(1, 40))
    n = draw(st.integers(1, 8))
    members = draw(hnp.arrays(np.float32, (k, cells), elements=unit_value))
    allowed = draw(hnp.arrays(np.bool_, cells))
    groups = draw(st.integers(1, 2))  # a second group: overlapping communities
    labels = draw(hnp.arrays(np.int32, (groups, cells), elements=st.integers(0, n)))
    assume(labels.max() > 0)
    return _model(members, allowed, labels, method)


@settings(max_examples=100, deadline=None)
@given(model=models("sum"), raw=st.lists(st.floats(0.01, 10.0), min_size=4, max_size=4))
def test_mean_memberships_times_weights_are_the_designers_unit_means(
    model: SuitabilityModel, raw: list[float]
) -> None:
    w = np.array(raw[: len(model.profile.criteria)])
    no_constraint: list[str] = []
    for constraints in (None, no_constraint):
        expected = model.unit_means(w, constraints)
        got = unit_memberships(model, constraints) @ (w / w.sum())
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)


@settings(max_examples=80, deadline=None)
@given(
    model=models("geometric"),
    raw=st.lists(st.floats(0.01, 10.0), min_size=4, max_size=4),
    n_draws=st.integers(1, 30),
    top_n=st.integers(1, 5),
    seed=st.integers(0, 999),
)
def test_geometric_mean_matches_a_naive_loop_over_unit_means(
    model: SuitabilityModel, raw: list[float], n_draws: int, top_n: int, seed: int
) -> None:
    w = raw[: len(model.profile.criteria)]
    settings_ = RobustnessSettings(30.0, n_draws, top_n, seed)
    draws = draw_weights(w, 30.0, n_draws, seed)
    naive_scores = [model.unit_means(d) for d in draws]
    assume(well_separated(naive_scores))
    got = model_robustness(model, w, settings_)
    pd.testing.assert_frame_equal(got, naive_table(naive_scores, top_n), check_dtype=False)


@settings(max_examples=60, deadline=None)
@given(
    model=models("sum"),
    raw=st.lists(st.floats(0.01, 10.0), min_size=4, max_size=4),
    seed=st.integers(0, 999),
)
def test_weighted_sum_through_the_model_matches_a_naive_loop_over_unit_means(
    model: SuitabilityModel, raw: list[float], seed: int
) -> None:
    w = raw[: len(model.profile.criteria)]
    draws = draw_weights(w, 40.0, 25, seed)
    naive_scores = [model.unit_means(d, []) for d in draws]
    # the designer's cell scores are float32: orders closer than that are arbitrary
    assume(well_separated(naive_scores, 1e-5))
    got = model_robustness(model, w, RobustnessSettings(40.0, 25, 3, seed), constraints=[])
    pd.testing.assert_frame_equal(got, naive_table(naive_scores, 3), check_dtype=False)
