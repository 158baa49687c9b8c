"""What `landwater process` writes about suitability and crops, checked against peers."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from rasterstats import zonal_stats as rs_zonal

from layers.config import CropConfig
from layers.region import load_region
from processing.crops import BUILTIN_CROPS, crop_params, region_crops
from processing.kernels.ecocrop import ecocrop_suitability
from processing.results_store import ResultsStore
from processing.sites import SitePlanner


@pytest.fixture(scope="module")
def store(demo_planner: SitePlanner, demo_region: Path) -> ResultsStore:
    return ResultsStore(demo_region / "results")


def test_store_lists_every_profile_and_crop(store: ResultsStore, demo_region: Path) -> None:
    config = load_region(demo_region).config
    comm = store.summary("communities")
    suit = store.suitability("communities")
    ws = store.suitability("watersheds")
    ids = [iv.id for iv in config.interventions]
    assert sorted(suit["intervention"].unique()) == sorted(ids)
    assert len(suit) == len(comm) * len(ids)
    assert len(ws) == len(store.summary("watersheds")) * len(ids)
    for iv in ids:
        assert store.score_path(f"suitability_{iv}").is_file()
        assert f"suit_{iv}_score" in comm.columns
    crops = store.crops("communities")
    assert set(crops["crop"]) == {c.id for c in BUILTIN_CROPS}
    assert comm["best_crop"].isin([c.id for c in BUILTIN_CROPS]).all()
    with pytest.raises(KeyError):
        store.score_path("../manifest")


def test_unit_scores_and_class_areas_match_rasterstats(store: ResultsStore) -> None:
    """Mean score and S1 hectares per community against rasterstats on the score COG."""
    gdf = gpd.read_file(store.folder / "results.gpkg", layer="communities").iloc[::15]
    suit = store.suitability("communities").set_index(["unit_id", "intervention"])
    for iv in ("farm_ponds", "agroforestry"):
        path = store.score_path(f"suitability_{iv}")
        with rasterio.open(path) as src:
            cell_ha = abs(src.res[0] * src.res[1]) / 1e4
        ref = rs_zonal(
            gdf,
            str(path),
            stats=["mean", "count"],
            add_stats={"s1": lambda a: float((a >= 0.75).sum())},
        )
        for uid, r in zip(gdf["id"], ref, strict=True):
            row = suit.loc[(uid, iv)]
            assert row["mean_score"] == pytest.approx(r["mean"], abs=2e-3), (iv, uid)
            assert row["S1_ha"] == pytest.approx(r["s1"] * cell_ha, abs=0.1), (iv, uid)
            total = row[["S1_ha", "S2_ha", "S3_ha", "N_ha"]].sum()
            assert total == pytest.approx(r["count"] * cell_ha, abs=0.5)


def test_best_location_is_the_unit_maximum(store: ResultsStore) -> None:
    suit = store.suitability("communities")
    rows = suit[suit["intervention"] == "terraces"].dropna(subset=["best_x"]).iloc[::20]
    with rasterio.open(store.score_path("suitability_terraces")) as src:
        for _, row in rows.iterrows():
            (v,) = next(src.sample([(row["best_x"], row["best_y"])]))
            assert v == pytest.approx(row["best_score"], abs=1e-3)
            assert row["best_score"] >= row["mean_score"]


def test_limiting_criterion_is_a_criterion_or_constraints(
    store: ResultsStore, demo_region: Path
) -> None:
    config = load_region(demo_region).config
    suit = store.suitability("communities")
    for iv in config.interventions:
        allowed = {c.layer for c in iv.criteria} | {"constraints"}
        got = set(suit.loc[suit["intervention"] == iv.id, "limiting_criterion"].dropna())
        assert got <= allowed, iv.id


def test_demo_maize_is_planted_at_the_start_of_a_rainy_season(store: ResultsStore) -> None:
    """The demo's climate is bimodal (long rains Mar-May, short rains Oct-Dec)."""
    crops = store.crops("communities")
    maize = crops[crops["crop"] == "maize"]
    assert maize["best_month_score"].between(0, 1).all()
    share = maize["best_month"].isin([2, 3, 4, 9, 10, 11]).mean()
    assert share > 0.8, maize["best_month"].value_counts()
    perennial = crops[crops["crop"] == "coffee_arabica"]
    assert set(perennial["best_month_name"].dropna()) <= {"all year", ""}


def test_region_crops_override_and_extend() -> None:
    from layers.config import RegionConfig

    base = {c.id: c for c in BUILTIN_CROPS}
    maize = base["maize"].model_copy(update={"gmin": 120, "gmax": 120})
    teff = CropConfig(
        id="teff", name="Teff", tmin=6, topmn=15, topmx=27, tmax=35,
        rmin=300, ropmn=450, ropmx=550, rmax=2500, gmin=60, gmax=130,
    )  # fmt: skip
    cfg = RegionConfig.model_construct(crops=[maize, teff])
    crops = {c.id: c for c in region_crops(cfg)}
    assert crops["maize"].gmin == 120 and "teff" in crops and len(crops) == len(base) + 1
    # the kernel reproduces dismo's hot pepper through the same parameter path
    pepper = CropConfig(
        id="pepper", name="Hot pepper", tmin=7, topmn=18, topmx=30, tmax=40, ktmp=0,
        rmin=0, ropmn=0, ropmx=10000, rmax=10000, gmin=120, gmax=180,
    )  # fmt: skip
    tmin = np.array([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], float)
    tavg = tmin + 10
    got = ecocrop_suitability(crop_params(pepper), tmin, tavg)
    want = [0, 0.818, 0.909, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    assert np.round(got, 3).tolist() == pytest.approx(want, abs=1e-3)


@pytest.mark.parametrize(
    ("update", "message"),
    [({"topmn": 50.0}, "tmin <= topmn"), ({"rmax": 10.0}, "rmin <= ropmn"), ({"gmax": 30}, "gmin")],
)
def test_crop_parameters_must_be_ordered(update: dict, message: str) -> None:
    from pydantic import ValidationError

    data = {**BUILTIN_CROPS[0].model_dump(), **update}
    with pytest.raises(ValidationError, match=message):
        CropConfig.model_validate(data)


def test_weights_change_the_unit_table(demo_planner: SitePlanner) -> None:
    from processing.suitability_summary import unit_suitability

    eng = demo_planner.engine
    base = unit_suitability(eng, "farm_ponds")
    slope_only = unit_suitability(eng, "farm_ponds", weights=[1, 0, 0, 0])
    assert not np.allclose(base["mean_score"], slope_only["mean_score"])
    assert (slope_only["limiting_criterion"].isin(["slope_pct", "", "constraints"])).all()
    assert isinstance(base, pd.DataFrame)
