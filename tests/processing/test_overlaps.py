"""One rule for overlapping units: every unit counts all of its cells (cell-centre rule, as
rasterstats and the zonal engine count them), in one strip or many, and validation names
the overlapping units with the area they share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from rasterstats import zonal_stats as rs_zonal

from layers.validate import validate_region
from processing.pipeline import process_region
from processing.results_store import ResultsStore
from tests.regionkit import UTM, X0, Y0


@pytest.fixture
def overlapping(tiny: tuple[Path, dict[str, Any]]) -> Path:
    """The tiny region plus community E over the right half of A and the left half of B.

    A (cropland, CN 78) and B (forest, CN 55) only touch; E shares 4.5 ha with each.
    """
    root, _ = tiny
    path = root / "data" / "communities.gpkg"
    gdf = gpd.read_file(path)
    extra = gpd.GeoDataFrame(
        {"cid": ["E"], "name": ["Echo"]},
        geometry=[shapely.box(X0 + 150, Y0 - 300, X0 + 450, Y0)],
        crs=UTM,
    )
    pd.concat([gdf, extra], ignore_index=True).to_file(path)
    with (root / "region.toml").open("a", encoding="utf-8") as f:
        f.write(PROFILE)
    return root


PROFILE = """
[[interventions]]
id = "ponds"
name = "Ponds"

[[interventions.criteria]]
layer = "land_use"
function = "classes"
classes = { "1" = 1.0, "2" = 0.3 }

[[interventions.criteria]]
layer = "awc_mm_per_m"
function = "increasing"
params = [50.0, 150.0]
"""


def test_validate_names_overlapping_units_with_their_shared_area(overlapping: Path) -> None:
    warnings = [p for p in validate_region(overlapping) if "overlap" in p.message]
    assert len(warnings) == 1 and warnings[0].severity == "warning"
    message = warnings[0].message
    assert "2 pair(s)" in message and "A & E (4.50 ha)" in message and "B & E (4.50 ha)" in message
    assert "A & B" not in message  # touching is not overlapping
    assert "partition" in warnings[0].fix


def test_every_unit_counts_all_its_cells_in_one_strip_or_many(
    overlapping: Path, tmp_path: Path
) -> None:
    whole = process_region(overlapping, tmp_path / "whole")
    strips = process_region(overlapping, tmp_path / "strips", block_rows=4)
    assert ResultsStore(strips).manifest["block_rows"] < 20  # the 20-row grid in several strips
    for name in sorted(p.name for p in whole.glob("*.csv")):
        assert (strips / name).read_bytes() == (whole / name).read_bytes(), name

    summary = ResultsStore(whole).summary("communities").set_index("id")
    communities = gpd.read_file(overlapping / "data" / "communities.gpkg")
    oracle = rs_zonal(communities, str(overlapping / "data" / "lu.tif"), categorical=True)
    for cid, counts in zip(communities["cid"], oracle, strict=True):
        assert summary.loc[cid, "lu_cropland_ha"] == pytest.approx(counts.get(1, 0) * 0.09)
        assert summary.loc[cid, "lu_forest_ha"] == pytest.approx(counts.get(2, 0) * 0.09)
    assert summary.loc["A", "lu_cropland_ha"] == pytest.approx(9.0)  # not 4.5: E shares it
    assert summary.loc["E", "curve_number"] == pytest.approx((78 + 55) / 2)
    assert summary.loc["A", "curve_number"] == pytest.approx(78)

    crops = ResultsStore(whole).crops("communities")
    best = crops.groupby("crop")["suitable_ha"].sum().idxmax()  # a crop that grows here
    grown = crops[crops["crop"] == best].set_index("unit_id")
    good = rs_zonal(
        communities,
        str(whole / "rasters" / f"crop_{best}.tif"),
        stats=["count"],
        add_stats={"good": lambda x: float((x >= 0.5).sum())},
    )
    for cid, row in zip(communities["cid"], good, strict=True):
        assert grown.loc[cid, "suitable_ha"] == pytest.approx(row["good"] * 0.09)
    assert grown.loc["A", "suitable_ha"] > 0


def test_the_designer_ranks_overlapping_units_as_the_store(overlapping: Path) -> None:
    """The designer's live mean scores (whole grid in memory) equal the stored table's,
    overlapping communities included."""
    from processing.sites import open_planner

    planner = open_planner(overlapping)
    engine = planner.engine
    means = engine.model("ponds").unit_means()
    stored = ResultsStore(overlapping / "results").suitability("communities")
    stored = stored[stored["intervention"] == "ponds"].set_index("unit_id")["mean_score"]
    ids = list(engine.unit_ids["communities"])
    assert ids == ["A", "B", "C", "D", "E"]
    for uid, live in zip(ids, means, strict=True):
        assert live == pytest.approx(stored[uid], abs=5e-4)  # the table rounds to 0.001
    # AWC 100 mm/m everywhere (no soil layer): membership 0.5; cropland 1.0, forest 0.3
    assert means[0] == pytest.approx(0.75) and means[1] == pytest.approx(0.4)
    assert means[4] == pytest.approx(0.575)  # E: half of A's cells and half of B's
    evaluation = planner.evaluate_site("ponds", X0 + 200, Y0 - 100, crs=UTM)
    assert evaluation.community_id in ("A", "E")


def test_units_whose_common_edge_runs_through_cell_centres_both_count_those_cells() -> None:
    """Touching units that share cells (centres on the common edge) count them as rasterstats."""
    import numpy as np
    from affine import Affine

    from processing.unit_labels import overlap_groups, rasterize_units

    t = Affine(1.0, 0, 0, 0, -1.0, 10.0)
    # the common edge y = 4.5 runs through the centres of a row of cells: both get that row
    units = gpd.GeoSeries([shapely.box(0.5, 0.5, 9.5, 4.5), shapely.box(0.5, 4.5, 9.5, 9.5)])
    labels = rasterize_units(units, overlap_groups(units, t, (10, 10)), t, (10, 10))
    values = np.arange(100.0).reshape(10, 10)
    ours = labels.bincount(values)[1:]
    theirs = rs_zonal(list(units), values, affine=t, stats=["count", "sum"], nodata=-1)
    assert labels.bincount()[1:].tolist() == [r["count"] for r in theirs]
    assert ours.tolist() == [r["sum"] for r in theirs]
