"""Scenarios: the tabulated baseline reproduces `landwater process`, and a land-use change
matches re-processing a region whose land-use raster was edited the same way."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio

from layers.align import CATEGORICAL_NODATA
from layers.region import load_region
from layers.registry import LayerRegistry
from processing.pipeline import process_region
from processing.portfolio_impacts import community_facts, impact_table
from processing.results_store import ResultsStore
from processing.scenario import (
    IPCC_AGROFORESTRY_T_C_HA_YR,
    LandUseChange,
    Scenario,
    ScenarioEngine,
    build_scenario_engine,
    run_scenario,
)
from processing.sites import SitePlanner

VARS = ("rain", "pet", "aet", "runoff", "recharge", "deficit")


@pytest.fixture(scope="module")
def se(demo_planner: SitePlanner) -> ScenarioEngine:
    return build_scenario_engine(demo_planner.engine)


def test_baseline_reproduces_the_results_store(se: ScenarioEngine, demo_region: Path) -> None:
    store = ResultsStore(demo_region / "results").summary("communities").set_index("id")
    table = run_scenario(se, Scenario()).table.set_index("id")
    for v in VARS:
        np.testing.assert_allclose(
            table[f"{v}_base_mm_yr"], store.loc[table.index, f"{v}_mm_yr"], atol=0.11
        )
        assert (table[f"{v}_delta_mm_yr"] == 0).all()


def test_land_use_change_matches_reprocessing_an_edited_raster(
    se: ScenarioEngine, demo_planner: SitePlanner, demo_region: Path, tmp_path: Path
) -> None:
    eng = demo_planner.engine
    k = 20
    uid = str(eng.unit_ids["communities"][k])
    result = run_scenario(
        se, Scenario(communities=[uid], land_use=[LandUseChange(from_class=1, to_class=4, pct=100)])
    )
    row = result.table.set_index("id").loc[uid]
    assert row["runoff_delta_mm_yr"] != 0 or row["aet_delta_mm_yr"] != 0
    # the same change made to the data: every cropland cell of that community becomes forest;
    # the edited region keeps that community alone, so its working grid is the community's
    # extent (a unit's figures come from its own cells) and processing takes a fraction of
    # the demo's time
    edited = tmp_path / "edited"
    shutil.copytree(
        demo_region, edited, ignore=shutil.ignore_patterns("results", ".cache", "*.sqlite*")
    )
    communities_path = edited / "data" / "communities.gpkg"
    communities = gpd.read_file(communities_path)
    id_field = load_region(demo_region).config.layers.communities.id_field
    alone = communities[communities[id_field].astype(str) == uid]
    assert len(alone) == 1
    alone.to_file(communities_path, layer="communities", driver="GPKG")
    # the land use as the demo's working grid reads it, edited and written on that grid
    lu = eng.reg.raster("land_use")[0].copy()
    inside = eng.labels["communities"].first == k + 1
    lu[inside & (lu == 1)] = 4
    grid = eng.reg.grid
    on_grid = {"driver": "GTiff", "count": 1, "dtype": lu.dtype, "nodata": CATEGORICAL_NODATA}
    on_grid |= {
        "height": grid.height,
        "width": grid.width,
        "crs": grid.crs,
        "transform": grid.transform,
    }
    with rasterio.open(edited / "data" / "land_use.tif", "w", **on_grid) as dst:
        dst.write(lu, 1)
    out = process_region(edited, rasters=False)  # only its tables are compared
    after = ResultsStore(out).summary("communities").set_index("id").loc[uid]
    for v in VARS:
        assert row[f"{v}_scen_mm_yr"] == pytest.approx(after[f"{v}_mm_yr"], abs=0.15), v


def test_rain_change_closes_the_balance(se: ScenarioEngine) -> None:
    table = run_scenario(se, Scenario(rain_pct=-15)).table
    d_p = table["rain_delta_mm_yr"]
    assert (d_p < 0).all()
    closure = d_p - (
        table["aet_delta_mm_yr"] + table["runoff_delta_mm_yr"] + table["recharge_delta_mm_yr"]
    )
    assert closure.abs().max() < 0.5  # storage returns to its start over a climatology year


def test_ponds_deliver_what_a_reservoir_can(se: ScenarioEngine) -> None:
    """Five 500 m3 ponds in every community: a few fills a year, far below a fill a month."""
    volume, n = 500.0, 5
    res = run_scenario(se, Scenario(ponds=n, pond_volume_m3=volume))
    t, totals = res.table, res.totals
    assert len(t) == len(se.ids)
    assert t["pond_fills_per_yr"].between(0.5, 4).all()
    assert 0.5 <= totals["pond_fills_per_yr"] <= 4
    per_pond = t["water_harvested_m3_yr"] / n
    assert (per_pond <= 2 * volume).all() and (per_pond > 0).all()  # the old rule: 12 x volume
    # the ponds take in what leaves the runoff, and deliver less than they take in
    inflow = totals["pond_inflow_m3_yr"]
    assert totals["runoff_change_m3_yr"] == pytest.approx(-inflow, rel=1e-3)
    base_runoff_m3 = t["runoff_base_mm_yr"] * se.area_m2 / 1000
    assert (-t["runoff_delta_m3_yr"] <= base_runoff_m3 + 1).all()
    # over the climatology year the storage returns to its start: inflow = use + losses
    losses = totals["pond_evaporation_m3_yr"] + totals["pond_seepage_m3_yr"]
    assert totals["water_harvested_m3_yr"] + losses == pytest.approx(inflow, rel=1e-3)
    assert totals["pond_evaporation_m3_yr"] > 0 and totals["pond_seepage_m3_yr"] > 0
    assert totals["water_harvested_m3_yr"] == pytest.approx(
        t["water_harvested_m3_yr"].sum(), abs=len(t)
    )
    # the monthly table's runoff is net of the inflow
    runoff = res.monthly[res.monthly["variable"] == "runoff"]
    net = (runoff["baseline_m3"] - runoff["scenario_m3"]).sum()
    assert net == pytest.approx(inflow, rel=1e-3)
    # a lined pond loses no seepage and so takes in less
    lined = run_scenario(se, Scenario(ponds=n, pond_volume_m3=volume, pond_seepage_mm_day=0)).totals
    assert lined["pond_seepage_m3_yr"] == 0 and lined["pond_inflow_m3_yr"] < inflow


def test_ponds_only_in_chosen_communities(se: ScenarioEngine) -> None:
    ids = list(se.ids[:5])
    res = run_scenario(se, Scenario(communities=ids, ponds=10, pond_volume_m3=300))
    assert len(res.table) == 5
    assert (res.table["water_harvested_m3_yr"] > 0).all()
    assert res.totals["households_reached"] == pytest.approx(se.households[:5].sum())


def test_the_portfolio_credits_a_pond_what_the_scenario_delivers(
    se: ScenarioEngine, demo_region: Path
) -> None:
    """m3 impact of k 100 m3 ponds = the scenario's water delivered by k such ponds."""
    region = load_region(demo_region)
    facts = community_facts(ResultsStore(demo_region / "results"), LayerRegistry(region))
    iv = next(i for i in region.config.interventions if i.id == "farm_ponds")
    assert iv.storage_m3 == 100.0
    table = impact_table(facts, iv, "m3", 3)
    assert (table[:, 0] == 0).all() and (np.diff(table, axis=1) >= 0).all()
    assert (table[:, 1] < 2 * 100.0).all()  # the old rule credited 12 x 100 m3
    for k in (1, 3):
        delivered = run_scenario(se, Scenario(ponds=k, pond_volume_m3=100.0)).table
        by_id = delivered.set_index("id")["water_harvested_m3_yr"].reindex(facts.ids)
        # ET0 from the store's PET / Kc and its deficit agree with the engine's own
        np.testing.assert_allclose(table[:, k], by_id.to_numpy(), rtol=0.03, atol=2)


def test_terraces_and_agroforestry(se: ScenarioEngine) -> None:
    base = run_scenario(se, Scenario()).table
    i = int(base["runoff_base_mm_yr"].to_numpy().argmax())  # a community that sheds water
    uid = str(se.ids[i])
    res = run_scenario(se, Scenario(communities=[uid], terraces_ha=50, agroforestry_ha=40))
    row = res.table.iloc[0]
    assert row["runoff_delta_mm_yr"] < 0  # lower curve numbers
    rain = row["rain_base_mm_yr"]
    zone = "tropical dry" if rain < 1000 else "tropical moist" if rain < 2000 else "tropical wet"
    assert row["carbon_t_c_yr"] == pytest.approx(40 * IPCC_AGROFORESTRY_T_C_HA_YR[zone], abs=0.01)
    assert res.totals["carbon_t_co2_yr"] == pytest.approx(row["carbon_t_c_yr"] * 44 / 12, rel=1e-6)
    assert res.totals["households_reached"] == pytest.approx(se.households[i])


def test_scenario_errors(se: ScenarioEngine) -> None:
    with pytest.raises(ValueError, match="unknown community"):
        run_scenario(se, Scenario(communities=["nope"]))
    with pytest.raises(ValueError, match="class 99 is not in the class table"):
        run_scenario(se, Scenario(land_use=[LandUseChange(from_class=99, to_class=1, pct=5)]))
    with pytest.raises(ValueError, match="pct or as ha"):
        LandUseChange(from_class=1, to_class=2)
