"""Flow metrics on hand-checked series and against hydroeval (a peer library)."""

from __future__ import annotations

import hydroeval as he
import numpy as np
import pytest

from processing.kernels.flow_metrics import kge, kge_parts, nse, pbias

OBS = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
SIM = np.array([1.5, 2.0, 2.5, 4.5, 4.0])


def test_hand_checked_values() -> None:
    # squared errors 0.25 + 0 + 0.25 + 0.25 + 1 = 1.75; spread around the mean 3: 10
    assert nse(OBS, SIM) == pytest.approx(1 - 1.75 / 10)
    # sum(s - o) = -0.5 over sum(o) = 15
    assert pbias(OBS, SIM) == pytest.approx(-100 * 0.5 / 15)
    parts = kge_parts(OBS, SIM)
    assert parts.beta == pytest.approx(14.5 / 15)
    assert parts.alpha == pytest.approx(np.std(SIM) / np.std(OBS))
    assert parts.r == pytest.approx(np.corrcoef(OBS, SIM)[0, 1])
    assert nse(OBS, OBS) == 1.0 and pbias(OBS, OBS) == 0.0
    assert kge(OBS, OBS) == pytest.approx(1.0)
    assert nse(OBS, np.full(5, OBS.mean())) == pytest.approx(0.0)  # the mean scores 0


def test_against_hydroeval() -> None:
    rng = np.random.default_rng(3)
    obs = rng.gamma(2.0, 5.0, 60)
    sim = obs * rng.normal(1.1, 0.2, 60) + rng.normal(0, 1, 60)
    assert nse(obs, sim) == pytest.approx(float(he.evaluator(he.nse, sim, obs)[0]))
    k, r, alpha, beta = (float(v[0]) for v in he.evaluator(he.kge, sim, obs))
    parts = kge_parts(obs, sim)
    assert (parts.kge, parts.r, parts.alpha, parts.beta) == pytest.approx((k, r, alpha, beta))
    assert pbias(obs, sim) == pytest.approx(-float(he.evaluator(he.pbias, sim, obs)[0]))


def test_missing_months_are_dropped_and_bad_input_explained() -> None:
    obs = np.array([1.0, np.nan, 3.0, 4.0])
    sim = np.array([1.0, 9.0, 3.0, np.nan])
    assert nse(obs, sim) == 1.0  # the two complete pairs match
    with pytest.raises(ValueError, match="differ in length"):
        nse(OBS, SIM[:3])
    with pytest.raises(ValueError, match="constant"):
        nse(np.ones(4), np.arange(4.0))
    with pytest.raises(ValueError, match="fewer than two"):
        kge(np.array([1.0, np.nan]), np.array([1.0, 2.0]))
