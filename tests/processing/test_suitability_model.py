"""The suitability engine on the demo region: every built-in profile, constraints, re-weighting."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from layers.region import load_region
from layers.registry import LayerRegistry
from processing.criteria import criterion_grid
from processing.grids import cell_inputs
from processing.results_store import ResultsStore
from processing.suitability_engine import level_labels
from processing.suitability_model import build_model, profile_weights
from tests.regionkit import write_tif


@pytest.fixture(scope="module")
def engine(processed_demo: Path):  # type: ignore[no-untyped-def]
    reg = LayerRegistry(load_region(processed_demo))
    cells = cell_inputs(reg)
    results = ResultsStore(processed_demo / "results")
    names = {c.layer for iv in reg.region.config.interventions for c in iv.criteria} | {"slope_pct"}
    grids = {n: criterion_grid(n, reg, cells, results.rasters()) for n in names}
    units = reg.units("communities")
    assert units is not None
    return reg, cells, grids, level_labels(units, reg)


def test_every_builtin_profile_scores(engine) -> None:  # type: ignore[no-untyped-def]
    reg, cells, grids, labels = engine
    assert len(reg.region.config.interventions) == 5
    for iv in reg.region.config.interventions:
        model = build_model(iv, grids, cells.land_use, grids["slope_pct"], labels)
        grid = model.grid()
        ok = np.isfinite(grid)
        assert ok.mean() > 0.95, iv.id
        assert grid[ok].min() >= 0 and grid[ok].max() <= 1
        assert grid[ok].max() > 0.5, f"{iv.id}: nothing suitable anywhere"
        # constraints: excluded land use scores 0
        excluded = np.isin(cells.land_use, iv.exclude_land_use) & ok
        assert (grid[excluded] == 0).all(), iv.id
        if iv.max_slope_pct is not None:
            assert (grid[(grids["slope_pct"] > iv.max_slope_pct) & ok] == 0).all()


def test_reweighting_changes_the_ranking(engine) -> None:  # type: ignore[no-untyped-def]
    reg, cells, grids, labels = engine
    ponds = next(iv for iv in reg.region.config.interventions if iv.id == "farm_ponds")
    model = build_model(ponds, grids, cells.land_use, grids["slope_pct"], labels)
    base = model.unit_means()
    only_slope = model.unit_means([1, 0, 0, 0])
    assert np.isfinite(base).all() and len(base) == len(reg.communities)
    assert not np.allclose(base, only_slope)
    np.testing.assert_allclose(profile_weights(ponds), [3 / 9, 3 / 9, 2 / 9, 1 / 9])
    agro = next(iv for iv in reg.region.config.interventions if iv.id == "agroforestry")
    np.testing.assert_allclose(
        profile_weights(agro), [0.637, 0.258, 0.105], atol=1e-3
    )  # from its AHP matrix


def test_unit_means_match_rasterstats(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from rasterstats import zonal_stats as rs

    reg, cells, grids, labels = engine
    terraces = next(iv for iv in reg.region.config.interventions if iv.id == "terraces")
    model = build_model(terraces, grids, cells.land_use, grids["slope_pct"], labels)
    path = write_tif(
        tmp_path / "score.tif", model.grid(), reg.crs.to_wkt(), reg.grid.transform, np.nan
    )
    means = [
        r["mean"] for r in rs(reg.communities.iloc[:15], str(path), stats=["mean"], nodata=np.nan)
    ]
    np.testing.assert_allclose(model.unit_means()[:15], means, rtol=1e-5)


@pytest.mark.parametrize(
    ("function", "params", "beyond"),
    [
        ("decreasing", [500, 5000], 5000.0),
        ("increasing", [200, 1000], 1000.0),
        ("trapezoid", [0, 100, 400, 900], 900.0),
        ("trapezoid", [0, 300, float("inf"), float("inf")], 300.0),  # never falls
    ],
)
def test_distance_membership_is_constant_beyond_its_halo(
    function: str, params: list[float], beyond: float
) -> None:
    """The halo a strip reads for a distance criterion: past it the membership is constant."""
    from layers.config import CriterionConfig
    from processing.criteria import constant_beyond_m
    from processing.suitability_model import membership

    c = CriterionConfig(layer="distance_to_roads_m", function=function, params=params)
    assert constant_beyond_m(c) == beyond
    far = membership(c, np.array([beyond, beyond + 1, beyond * 3, np.inf]))
    assert np.all(far == far[0])
    near = membership(c, np.array([beyond * 0.5, beyond * 0.99]))
    assert (near != far[0]).all()  # and within it, it still changes


def test_classes_on_a_distance_have_no_halo() -> None:
    from layers.config import CriterionConfig
    from processing.criteria import constant_beyond_m

    c = CriterionConfig(layer="distance_to_roads_m", function="classes", classes={"1": 0.5})
    with pytest.raises(ValueError, match="classes on a distance"):
        constant_beyond_m(c)
