"""`landwater suitability` and `landwater recommend`: outputs, exit codes and messages."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely

from landwater.cli import main
from processing.sites import SitePlanner


@pytest.fixture
def shared_planner(
    demo_planner: SitePlanner, demo_region: Path, monkeypatch: pytest.MonkeyPatch
) -> SitePlanner:
    """The session's planner for the commands on the demo (each opening costs seconds: the
    store's fingerprint and the aligned layers). The commands still go through their own
    opening (``_planner``); ``open_planner`` itself built the session's planner."""
    import processing.sites

    real = processing.sites.open_planner

    def open_planner(region_dir: str | Path) -> SitePlanner:
        if Path(region_dir).resolve() == demo_region.resolve():
            return demo_planner
        return real(region_dir)

    monkeypatch.setattr(processing.sites, "open_planner", open_planner)
    return demo_planner


def test_suitability_writes_cog_and_tables(
    shared_planner: SitePlanner,
    demo_region: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "suit"
    assert (
        main(["suitability", str(demo_region), "--intervention", "terraces", "-o", str(out)]) == 0
    )
    tif = out / "suitability_terraces.tif"
    with rasterio.open(tif) as src:
        assert src.crs == shared_planner.engine.reg.crs
        assert src.shape == shared_planner.engine.reg.grid.shape
        data = src.read(1, masked=True)
        assert data.min() >= 0 and data.max() <= 1
    table = pd.read_csv(out / "suitability_terraces_communities.csv", dtype={"unit_id": str})
    assert len(table) == len(shared_planner.engine.unit_ids["communities"])
    assert str(tif) in capsys.readouterr().out


def test_suitability_weights_change_the_means(
    shared_planner: SitePlanner, demo_region: Path, tmp_path: Path
) -> None:
    args = ["suitability", str(demo_region), "--intervention", "terraces"]
    assert main([*args, "-o", str(tmp_path / "even")]) == 0
    n = len(shared_planner.engine.profile("terraces").criteria)
    weights = ",".join(["1"] + ["0"] * (n - 1))
    assert main([*args, "-o", str(tmp_path / "first"), "--weights", weights]) == 0
    table, other = (
        pd.read_csv(tmp_path / name / "suitability_terraces_communities.csv")
        for name in ("even", "first")
    )
    assert not other["mean_score"].equals(table["mean_score"])


def test_recommend_geojson(shared_planner: SitePlanner, demo_region: Path, tmp_path: Path) -> None:
    out = tmp_path / "sites.geojson"
    args = ["recommend", str(demo_region), "--intervention", "farm_ponds", "--count", "8"]
    assert main([*args, "--min-spacing-m", "1500", "--max-per-community", "1", "-o", str(out)]) == 0
    sites = gpd.read_file(out)
    assert len(sites) == 8 and sites.crs.to_epsg() == 4326
    assert list(sites["rank"]) == list(range(1, 9))
    assert sites["community_id"].is_unique
    utm = sites.to_crs(shared_planner.engine.reg.crs)
    d = [a.distance(b) for i, a in enumerate(utm.geometry) for b in utm.geometry[i + 1 :]]
    assert min(d) >= 1500
    assert {"membership_slope_pct", "value_runoff_mm_yr", "limiting_criterion"} <= set(
        sites.columns
    )


def test_recommend_within_an_area_file(
    shared_planner: SitePlanner,
    demo_region: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    area = shapely.box(37.30, -1.40, 37.40, -1.32)
    aoi = tmp_path / "aoi.geojson"
    gpd.GeoDataFrame(geometry=[area], crs=4326).to_file(aoi)
    args = ["recommend", str(demo_region), "--intervention", "terraces", "--count", "5"]
    assert main([*args, "--min-spacing-m", "500", "--within", str(aoi)]) == 0
    table = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert len(table) == 5
    assert all(
        area.contains(shapely.Point(x, y)) for x, y in zip(table.lon, table.lat, strict=True)
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--intervention", "pond"], "unknown intervention 'pond'"),
        (["--intervention", "terraces", "--weights", "1,2"], "--weights needs"),
        (["--intervention", "terraces", "--weights", "0,0,0"], "not all zero"),
    ],
)
def test_suitability_bad_input_exit_1(
    shared_planner: SitePlanner,
    demo_region: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    assert main(["suitability", str(demo_region), *extra, "-o", str(tmp_path / "o")]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_recommend_unwritable_and_impossible(
    shared_planner: SitePlanner,
    demo_region: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    args = ["recommend", str(demo_region), "--intervention", "terraces", "--count", "3"]
    assert main([*args, "--min-spacing-m", "100", "-o", str(blocker / "x.geojson")]) == 1
    assert "cannot write" in capsys.readouterr().err
    far = tmp_path / "far.geojson"
    gpd.GeoDataFrame(geometry=[shapely.box(10, 10, 11, 11)], crs=4326).to_file(far)
    assert main([*args, "--min-spacing-m", "100", "--within", str(far)]) == 1
    assert "no allowed site" in capsys.readouterr().err
    assert main([*args, "--min-spacing-m", "100", "--within", str(tmp_path / "nope.gpkg")]) == 1
    assert "nope.gpkg" in capsys.readouterr().err


def test_suitability_robustness_columns_match_a_naive_loop(
    shared_planner: SitePlanner, demo_region: Path, tmp_path: Path
) -> None:
    from processing.robustness import draw_weights

    out = tmp_path / "robust"
    args = ["suitability", str(demo_region), "--intervention", "terraces", "-o", str(out)]
    draws = 20  # each draw is a scoring of the whole demo, here and in the command
    assert main([*args, "--robustness", str(draws), "--top-n", "5", "--concentration", "20"]) == 0
    table = pd.read_csv(out / "suitability_terraces_communities.csv", dtype={"unit_id": str})
    cols = ["median_rank", "rank_p05", "rank_p95", "top_n_probability"]
    assert table[cols].notna().all().all()
    assert table["top_n_probability"].sum() == pytest.approx(5)
    # the designer's unit means per draw, ranked by pandas (ties in row order)
    eng = shared_planner.engine
    model = eng.model("terraces")
    weights = [c.weight for c in model.profile.criteria]
    ranks = np.array(
        [
            pd.Series(model.unit_means(w)).rank(method="first", ascending=False).to_numpy()
            for w in draw_weights(weights, 20.0, draws, 0)
        ]
    )
    np.testing.assert_allclose(table["top_n_probability"], (ranks <= 5).mean(axis=0))
    np.testing.assert_allclose(table["median_rank"], np.median(ranks, axis=0))
    sheds = pd.read_csv(out / "suitability_terraces_watersheds.csv")
    assert sheds["top_n_probability"].sum() == pytest.approx(min(5, len(sheds)))


def test_suitability_robustness_bad_settings_exit_2(
    demo_region: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["suitability", str(demo_region), "--intervention", "terraces", "-o", str(tmp_path)]
    assert main([*args, "--robustness", "0"]) == 2
    assert "number of draws must be at least 1" in capsys.readouterr().err
