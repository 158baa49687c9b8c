"""Our outlet labelling and sub-basin splitting against pysheds' own catchment delineation."""

from __future__ import annotations

import hypothesis.strategies as st
import numpy as np
import pytest
from affine import Affine
from hypothesis import given, settings
from hypothesis.extra.numpy import arrays

from layers.build.demo.terrain import synth_dem
from processing.kernels.hydrology import (
    delineate_subbasins,
    downstream_index,
    fill_depressions,
    label_by_outlets,
    route_flow,
    upstream_sum,
)
from processing.kernels.pysheds_lazy import load_sgrid

pytestmark = pytest.mark.slow
TRANSFORM = Affine(30, 0, 300_000, 0, -30, 9_859_980)


@pytest.fixture(scope="module")
def routing():  # type: ignore[no-untyped-def]
    _, r = synth_dem((240, 300), TRANSFORM, np.random.default_rng(3))
    return r


def test_downstream_index_follows_d8() -> None:
    fdir = np.array([[1, 4], [64, 16]], dtype=np.int16)  # E, S / N, W
    assert downstream_index(fdir).tolist() == [[1, 3], [0, 2]]
    assert downstream_index(np.array([[16]], dtype=np.int16)).tolist() == [[-1]]


def test_labels_match_pysheds_catchments(routing) -> None:  # type: ignore[no-untyped-def]
    load_sgrid()  # pysheds' routines compiled on first call, as processing does
    from pysheds.grid import Grid as ShedGrid
    from pysheds.sview import Raster, ViewFinder

    acc = routing.acc_cells
    vf = ViewFinder(affine=TRANSFORM, shape=acc.shape, nodata=0)
    grid = ShedGrid(viewfinder=vf)
    fdir = Raster(routing.fdir.astype(np.int64), viewfinder=vf)

    def catchment(rc: tuple[int, int]) -> np.ndarray:
        return np.asarray(grid.catchment(x=rc[1], y=rc[0], fdir=fdir, xytype="index")).astype(bool)

    # outlets of several sizes whose catchments stay clear of the border, where pysheds'
    # catchment (which skips the outer ring) and its accumulation disagree
    ring = np.ones(acc.shape, bool)
    ring[2:-2, 2:-2] = False
    picks, catches = [], []
    for flat in np.argsort(acc, axis=None)[::-1]:
        rc = np.unravel_index(int(flat), acc.shape)
        if acc[rc] < 50 or len(picks) == 4:
            break
        if any(abs(rc[0] - p[0]) + abs(rc[1] - p[1]) < 40 for p in picks):
            continue
        c = catchment(rc)
        if not (c & ring).any():
            picks.append(rc)
            catches.append(c)
    assert len(picks) >= 3
    outlets = np.zeros(acc.shape, np.int32)
    for i, rc in enumerate(picks, start=1):
        outlets[rc] = i
    labels = label_by_outlets(routing.fdir, outlets)
    for i, rc in enumerate(picks, start=1):
        expected = catches[i - 1].copy()
        for j, other in enumerate(picks, start=1):
            if j != i and catches[i - 1][other]:
                expected &= ~catches[j - 1]
        assert np.array_equal(labels == i, expected), f"outlet {i}"
        assert catches[i - 1].sum() == acc[rc]


def test_subbasins_tile_the_grid(routing) -> None:  # type: ignore[no-untyped-def]
    labels = delineate_subbasins(routing, target_count=6, min_cells=800)
    ids, counts = np.unique(labels, return_counts=True)
    assert labels.min() == 1 and ids.tolist() == list(range(1, len(ids) + 1))
    assert 3 <= len(ids) <= 8
    assert counts.min() >= 800


@settings(max_examples=40)
@given(
    dem=arrays(
        np.float64,
        st.tuples(st.integers(1, 24), st.integers(1, 24)),
        # few distinct heights: wide flats, nested and touching depressions, spill ties
        elements=st.integers(0, 6).map(float),
    )
)
def test_fill_depressions_equals_pysheds_priority_flood(dem: np.ndarray) -> None:
    """The reconstruction fills exactly as pysheds' ``fill_pits`` + ``fill_depressions``."""
    load_sgrid()  # pysheds' routines compiled on first call, as processing does
    from pysheds.grid import Grid as ShedGrid
    from pysheds.sview import Raster, ViewFinder

    vf = ViewFinder(affine=TRANSFORM, shape=dem.shape, nodata=np.nan)
    grid = ShedGrid(viewfinder=vf)
    expected = np.asarray(grid.fill_depressions(grid.fill_pits(Raster(dem, viewfinder=vf))))
    np.testing.assert_array_equal(fill_depressions(dem), expected)


def test_route_flow_accumulation_conserves_cells() -> None:
    dem = np.add.outer(np.arange(10.0), np.arange(12.0))  # everything drains to the top-left corner
    r = route_flow(dem, Affine(30, 0, 0, 0, -30, 300))
    assert r.acc_cells.max() == dem.size


def test_upstream_sum_weights_the_catchment(routing) -> None:  # type: ignore[no-untyped-def]
    """With ones it is the cell count; with cell areas varying by row (a geographic grid),
    the sum over pysheds' own catchment of a cell."""
    load_sgrid()  # pysheds' routines compiled on first call, as processing does
    from pysheds.grid import Grid as ShedGrid
    from pysheds.sview import Raster, ViewFinder

    ones = upstream_sum(routing.fdir, TRANSFORM, np.ones(routing.fdir.shape))
    np.testing.assert_array_equal(ones, routing.acc_cells)
    rows = routing.fdir.shape[0]
    weights = np.broadcast_to(np.linspace(0.9, 1.1, rows)[:, None], routing.fdir.shape)
    summed = upstream_sum(routing.fdir, TRANSFORM, weights)
    vf = ViewFinder(affine=TRANSFORM, shape=routing.fdir.shape, nodata=0)
    fdir = Raster(routing.fdir.astype(np.int64), viewfinder=vf)
    grid = ShedGrid(viewfinder=vf)
    # the largest basin clear of the outer ring, where pysheds' catchment skips cells
    for flat in np.argsort(routing.acc_cells, axis=None)[::-1][:200]:
        rc = np.unravel_index(int(flat), routing.acc_cells.shape)
        catch = grid.catchment(x=rc[1], y=rc[0], fdir=fdir, xytype="index")
        catch = np.asarray(catch).astype(bool)
        if catch.sum() == routing.acc_cells[rc]:
            break
    assert catch.sum() == routing.acc_cells[rc] > 1000
    assert summed[rc] == pytest.approx(weights[catch].sum(), rel=1e-12)
    assert summed[rc] != pytest.approx(routing.acc_cells[rc], rel=1e-3)  # the weights count
