from __future__ import annotations

import numpy as np
import pytest

from processing.kernels.terrain import hillshade, slope_pct


def test_slope_of_a_plane() -> None:
    rows, cols = np.indices((20, 30), dtype=float)
    dem = 100.0 + 0.10 * cols * 30.0 + 0.05 * rows * 30.0  # 10 % east, 5 % south
    s = slope_pct(dem, 30.0)
    assert s[5:-5, 5:-5] == pytest.approx(np.hypot(10, 5), rel=1e-6)


def test_slope_flat_is_zero_and_nan_propagates() -> None:
    dem = np.full((5, 5), 1500.0)
    dem[2, 2] = np.nan
    s = slope_pct(dem, 30.0)
    assert s[0, 0] == 0.0 and np.isnan(s[2, 1])


def test_hillshade_lit_from_north_west() -> None:
    rows, cols = np.indices((20, 20), dtype=float)
    faces_nw = 1000 - 10 * cols - 10 * rows  # falls to the south-east, so it faces... south-east
    faces_se = 1000 + 10 * cols + 10 * rows  # rises to the south-east: faces north-west
    flat = np.full((20, 20), 1000.0)
    lit, dark, mid = hillshade(faces_se, 30.0), hillshade(faces_nw, 30.0), hillshade(flat, 30.0)
    assert lit[10, 10] > mid[10, 10] > dark[10, 10]
    # flat ground under a 45 degree sun: sin(45) of full light
    assert mid[10, 10] == pytest.approx(1 + 254 * np.sin(np.deg2rad(45)), abs=1)
