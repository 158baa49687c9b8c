"""An area of interest is summarised exactly as a community is."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely

from processing.area import area_summary
from processing.results_store import ResultsStore
from processing.sites import SitePlanner


def test_community_drawn_as_an_area_matches_its_results(
    demo_planner: SitePlanner, demo_region: Path
) -> None:
    eng = demo_planner.engine
    reg = eng.reg
    store = ResultsStore(demo_region / "results")
    comm = store.summary("communities").set_index("id")
    suit = store.suitability("communities").set_index(["unit_id", "intervention"])
    spec = reg.region.config.layers.communities
    for k in (7, 60):
        row = reg.communities.iloc[k]
        uid = str(row[spec.id_field])
        geom_wgs84 = reg.communities.iloc[[k]].to_crs(4326).geometry.iloc[0]
        area = area_summary(eng, geom_wgs84)
        s = area.summary
        want = comm.loc[uid]
        assert s["area_ha"] == pytest.approx(want["area_ha"], rel=1e-3)
        for col in ("rain_mm_yr", "pet_mm_yr", "aet_mm_yr", "deficit_mm_yr", "lu_cropland_pct"):
            assert s[col] == pytest.approx(want[col], rel=0.01, abs=0.5), col
        for _, r in area.suitability.iterrows():
            assert r["mean_score"] == pytest.approx(
                suit.loc[(uid, r["intervention"]), "mean_score"], abs=0.01
            )
        assert set(area.monthly["variable"]) >= {"rain", "pet", "aet", "runoff", "deficit"}


def test_area_outside_the_region_is_a_clear_error(demo_planner: SitePlanner) -> None:
    with pytest.raises(ValueError, match="outside the region"):
        area_summary(demo_planner.engine, shapely.box(10, 10, 11, 11))


def test_sites_inside_the_area(demo_planner: SitePlanner) -> None:
    reg = demo_planner.engine.reg
    w, s, e, n = reg.communities.to_crs(4326).total_bounds
    area = area_summary(demo_planner.engine, shapely.box(w, s, e, n))
    assert len(area.sites) == len(reg.sites)
