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
    return root


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
