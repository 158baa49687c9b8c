"""Site evaluation against direct reads of the rasters, and recommendation constraints."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
import rasterio
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from processing.results_store import ResultsStore
from processing.sites import SitePlanner


def _sample(path: Any, x: float, y: float) -> float:
    with rasterio.open(path) as src:
        return float(next(src.sample([(x, y)]))[0])


def test_evaluation_matches_direct_reads(demo_planner: SitePlanner, demo_region: Any) -> None:
    reg = demo_planner.engine.reg
    store = ResultsStore(demo_region / "results")
    comm = reg.communities
    spec = reg.region.config.layers.communities
    sites = reg.sites
    for k in (3, 40, 77):
        pt = comm.geometry.iloc[k].representative_point()
        lon, lat = Transformer.from_crs(reg.crs, 4326, always_xy=True).transform(pt.x, pt.y)
        ev = demo_planner.evaluate_site("farm_ponds", lon, lat)
        # community: point-in-polygon with geopandas, not the label grid
        assert ev.community_id == str(comm[spec.id_field].iloc[k])
        values = {c.layer: c.value for c in ev.criteria}
        runoff = _sample(store.raster_path("runoff"), pt.x, pt.y)
        assert values["runoff_mm_yr"] == pytest.approx(runoff, abs=1e-3)
        lu = int(_sample(reg.aligned_path("land_use"), pt.x, pt.y))
        names = reg.class_table("land_use")["name"].to_dict()
        assert ev.land_use == names[lu]
        # slope: central differences on a 3 x 3 window of the aligned DEM, read directly
        with rasterio.open(reg.aligned_path("elevation")) as src:
            row, col = src.index(pt.x, pt.y)
            win = src.read(1, window=((row - 1, row + 2), (col - 1, col + 2))).astype(float)
            res = src.res[0]
        dzdx = (win[1, 2] - win[1, 0]) / (2 * res)
        dzdy = (win[2, 1] - win[0, 1]) / (2 * res)
        assert ev.slope_pct == pytest.approx(100 * np.hypot(dzdx, dzdy), rel=0.02, abs=0.05)
        # nearest existing site: geopandas distance
        d = sites.distance(pt)
        assert ev.nearest_site_m == pytest.approx(float(d.min()), abs=0.2)
        assert ev.nearest_site_id == str(sites["site_id"].iloc[int(np.argmin(d.to_numpy()))])
        # the community's water balance comes from the results store
        row = store.summary("communities").set_index("id").loc[ev.community_id]
        assert ev.water_balance["deficit_mm_yr"] == pytest.approx(row["deficit_mm_yr"])
        assert ev.score is not None and 0 <= ev.score <= 1


def test_excluded_land_scores_zero_with_reason(demo_planner: SitePlanner) -> None:
    eng = demo_planner.engine
    reg = eng.reg
    lu = eng.cells.land_use
    r, c = (int(v[0]) for v in np.nonzero(lu == 4))  # forest, excluded for farm ponds
    x, y = reg.grid.transform * (c + 0.5, r + 0.5)
    ev = demo_planner.evaluate_site("farm_ponds", x, y, crs=reg.crs)
    assert ev.score == 0.0 and ev.suitability_class == "N"
    assert any("Forest" in e for e in ev.exclusions)


def test_outside_the_grid_is_a_clear_error(demo_planner: SitePlanner) -> None:
    with pytest.raises(ValueError, match="outside the region"):
        demo_planner.evaluate_site("farm_ponds", 10.0, 10.0)
    with pytest.raises(KeyError, match="did you mean 'terraces'"):
        demo_planner.evaluate_site("terrace", 37.3, -1.3)


def test_protected_area_is_excluded(demo_planner: SitePlanner) -> None:
    eng = demo_planner.engine
    pa = eng.reg.protected_areas
    assert pa is not None and len(pa) == 1
    grid = eng.model("agroforestry").grid()
    inside = eng.excluded(eng.profile("agroforestry"))
    assert inside.sum() > 1000
    assert np.nanmax(grid[inside]) == 0


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,  # the same examples in every CI run
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    intervention=st.sampled_from(["farm_ponds", "sand_dams", "terraces", "small_irrigation"]),
    count=st.integers(1, 25),
    spacing=st.floats(0, 4000),
    cap=st.one_of(st.none(), st.integers(1, 3)),
    existing=st.one_of(st.none(), st.floats(100, 3000)),
    use_area=st.booleans(),
)
def test_recommendations_respect_every_constraint(
    demo_planner: SitePlanner,
    intervention: str,
    count: int,
    spacing: float,
    cap: int | None,
    existing: float | None,
    use_area: bool,
) -> None:
    eng = demo_planner.engine
    reg = eng.reg
    profile = eng.profile(intervention)
    area = shapely.box(37.25, -1.45, 37.45, -1.30) if use_area else None
    picks = demo_planner.recommend_sites(
        intervention,
        count,
        spacing,
        max_per_community=cap,
        min_distance_from_existing_m=existing,
        within=area,
    )
    assert 1 <= len(picks) <= count
    assert [p.rank for p in picks] == list(range(1, len(picks) + 1))
    scores = [p.score for p in picks]
    assert all(s is not None and s > 0 for s in scores)
    assert all(a >= b - 1e-3 for a, b in itertools.pairwise(scores))  # type: ignore[operator]
    xy = np.array([[p.x, p.y] for p in picks])
    if len(picks) > 1:
        d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
        assert d[np.triu_indices(len(picks), 1)].min() >= spacing
    lu_names = reg.class_table("land_use")["name"].to_dict()
    excluded_names = {lu_names[c] for c in profile.exclude_land_use}
    for p in picks:
        assert p.land_use not in excluded_names
        assert not p.exclusions
        if profile.max_slope_pct is not None:
            assert p.slope_pct is not None and p.slope_pct <= profile.max_slope_pct
        if area is not None:
            # lon/lat are reported to 1e-6 degrees (0.1 m), so allow that on the edge
            assert area.buffer(2e-6).contains(shapely.Point(p.lon, p.lat))
    if existing is not None:
        sxy = np.column_stack([reg.sites.geometry.x, reg.sites.geometry.y])
        gap = np.hypot(*(xy[:, None, :] - sxy[None, :, :]).transpose(2, 0, 1))
        assert gap.min() >= existing
    if cap is not None:
        ids = [p.community_id for p in picks]
        assert max(ids.count(i) for i in set(ids)) <= cap


def test_recommend_rejects_bad_arguments(demo_planner: SitePlanner) -> None:
    with pytest.raises(ValueError, match="count"):
        demo_planner.recommend_sites("terraces", 0, 100)
    with pytest.raises(ValueError, match="max_per_community"):
        demo_planner.recommend_sites("terraces", 3, 100, max_per_community=0)
