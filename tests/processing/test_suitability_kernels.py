"""Suitability kernels against published numbers: dismo's EcoCrop example and Saaty's AHP."""

from __future__ import annotations

import numpy as np
import pytest

from processing.kernels.ecocrop import (
    CropParams,
    best_planting,
    ecocrop_suitability,
    season_months,
    trapezoid,
)
from processing.kernels.suitability import (
    ahp_weights,
    class_lookup,
    combine,
    decreasing,
    increasing,
    limiting_criterion,
    normalise_weights,
    suitability_class,
)

# dismo's "Hot pepper": 7/18/30/40 degC, 120-180 days, killing temperature 0 degC (its rain
# limits here are illustrative: the published example is irrigated)
HOT_PEPPER = CropParams("hot pepper", 7, 18, 30, 40, 600, 1200, 1500, 2500, 120, 180, ktmp=0)


def test_dismo_hot_pepper_irrigated() -> None:
    # ecocrop(crop, tmin = 5:16, tavg = 15:26, rainfed = FALSE)
    tmin = np.arange(5.0, 17.0)
    tavg = np.arange(15.0, 27.0)
    suit = ecocrop_suitability(HOT_PEPPER, tmin, tavg)
    expected = [0, 0.818, 0.909, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    np.testing.assert_allclose(suit, expected, atol=5e-4)
    assert season_months(HOT_PEPPER) == 5
    month, score = best_planting(suit[:, None])
    assert month[0] == 4 and score[0] == 1.0


def test_ecocrop_vectorised_over_cells_and_rain_limits() -> None:
    tmin = np.tile(np.arange(5.0, 17.0)[:, None], (1, 3))
    tavg = np.tile(np.arange(15.0, 27.0)[:, None], (1, 3))
    rain = np.stack([np.full(12, 10.0), np.full(12, 200.0), np.full(12, 1000.0)], axis=1)
    suit = ecocrop_suitability(HOT_PEPPER, tmin, tavg, rain)
    assert suit.shape == (12, 3)
    assert suit[:, 0].max() == 0  # 70 mm a season: too dry
    # 200 mm/month: 1,400 mm a season is optimal, so rain does not limit: as irrigated
    np.testing.assert_allclose(suit[:, 1], ecocrop_suitability(HOT_PEPPER, tmin[:, 1], tavg[:, 1]))
    assert suit[:, 2].max() == 0  # 7,000 mm a season: too wet


def test_trapezoid_shape() -> None:
    x = np.array([0, 7, 12.5, 18, 25, 30, 35, 40, 45, np.nan])
    y = trapezoid(x, 7, 18, 30, 40)
    np.testing.assert_allclose(y[:-1], [0, 0, 0.5, 1, 1, 1, 0.5, 0, 0])
    assert np.isnan(y[-1])
    np.testing.assert_allclose(
        trapezoid(np.array([-1.0, 0.0, 0.5]), 0, 0, np.inf, np.inf), [0, 0, 1]
    )


def test_ahp_saaty_example() -> None:
    res = ahp_weights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    np.testing.assert_allclose(res.weights, [0.637, 0.258, 0.105], atol=5e-4)
    assert res.consistency_ratio == pytest.approx(0.033, abs=1e-3) and res.consistent


def test_ahp_inconsistent_and_invalid() -> None:
    res = ahp_weights([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    assert res.consistency_ratio >= 0.1 and not res.consistent
    with pytest.raises(ValueError, match="reciprocal"):
        ahp_weights([[1, 3], [3, 1]])
    with pytest.raises(ValueError, match="square"):
        ahp_weights([[1, 2, 3]])


def test_weights_and_scores() -> None:
    np.testing.assert_allclose(normalise_weights([2, 1, 1]), [0.5, 0.25, 0.25])
    with pytest.raises(ValueError, match="every criterion weight is zero"):
        normalise_weights([0, 0])
    m = np.array([[1.0, 0.5, 0.0], [0.5, 0.5, 1.0]])
    np.testing.assert_allclose(combine(m, [3, 1]), [0.875, 0.5, 0.25])
    np.testing.assert_allclose(combine(m, [1, 1], "geometric"), [np.sqrt(0.5), 0.5, 0.0])
    assert suitability_class(np.array([0.9, 0.75, 0.6, 0.3, 0.1])).tolist() == [
        "S1",
        "S1",
        "S2",
        "S3",
        "N",
    ]
    assert limiting_criterion(m, [3, 1]).tolist() == [1, 0, 0]


def test_membership_functions() -> None:
    x = np.array([0.0, 5.0, 10.0, 20.0])
    np.testing.assert_allclose(increasing(x, 5, 15), [0, 0, 0.5, 1])
    np.testing.assert_allclose(decreasing(x, 5, 15), [1, 1, 0.5, 0])
    np.testing.assert_allclose(class_lookup(np.array([1, 2, 9]), {1: 1.0, 2: 0.4}), [1.0, 0.4, 0.0])
