"""One test per problem validation must report, each naming the file and the problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from affine import Affine

from layers.errors import Problem
from layers.validate import has_errors, validate_region
from tests.regionkit import CELL, UTM, X0, Y0, write_tif, write_toml

Tiny = tuple[Path, dict[str, Any]]


def only(problems: list[Problem], text: str, severity: str = "error") -> Problem:
    found = [p for p in problems if text in p.message and p.severity == severity]
    assert found, f"no {severity} containing {text!r} in {[str(p) for p in problems]}"
    return found[0]


def test_tiny_region_is_valid(tiny: Tiny) -> None:
    root, _ = tiny
    problems = validate_region(root)
    assert not has_errors(problems), [str(p) for p in problems]


def test_missing_region_toml(tmp_path: Path) -> None:
    p = only(validate_region(tmp_path), "region.toml not found")
    assert p.file.endswith("region.toml")


def test_toml_syntax_error_names_line(tiny: Tiny) -> None:
    root, _ = tiny
    (root / "region.toml").write_text("[region\nname = 'x'\n")
    p = only(validate_region(root), "not valid TOML")
    assert "line 1" in p.message


def test_unknown_key_suggests_the_right_one(tiny: Tiny) -> None:
    root, cfg = tiny
    cfg["layers"]["rainfall"]["pathh"] = "x.tif"
    write_toml(cfg, root / "region.toml")
    p = only(validate_region(root), "unknown key 'pathh'")
    assert "did you mean 'path'" in p.message
    assert p.layer == "rainfall" and p.file == "region.toml"


def test_wrong_type_and_missing_section(tiny: Tiny) -> None:
    root, cfg = tiny
    cfg["region"]["resolution_m"] = "thirty"
    del cfg["layers"]["land_use"]
    write_toml(cfg, root / "region.toml")
    problems = validate_region(root)
    only(problems, "region.resolution_m")
    only(problems, "missing required key 'layers.land_use'")


def test_missing_pet_source(tiny: Tiny) -> None:
    root, cfg = tiny
    del cfg["layers"]["tmax"]
    write_toml(cfg, root / "region.toml")
    only(validate_region(root), "no reference-ET source")


def test_wrong_units(tiny: Tiny) -> None:
    root, cfg = tiny
    cfg["layers"]["rainfall"]["units"] = "inches"
    write_toml(cfg, root / "region.toml")
    p = only(validate_region(root), "layers.rainfall.units")
    assert "mm/month" in p.message


def test_missing_file(tiny: Tiny) -> None:
    root, _ = tiny
    (root / "data" / "rain.tif").unlink()
    p = only(validate_region(root), "file not found")
    assert p.file.endswith("rain.tif") and p.layer == "rainfall"


def test_unreadable_raster(tiny: Tiny) -> None:
    root, _ = tiny
    (root / "data" / "lu.tif").write_bytes(b"II*\x00 this is not a tiff at all")
    p = only(validate_region(root), "not a readable raster")
    assert p.file.endswith("lu.tif") and p.layer == "land_use"


def test_raster_without_crs(tiny: Tiny) -> None:
    root, _ = tiny
    write_tif(
        root / "data" / "lu.tif",
        np.ones((20, 20), np.uint8),
        None,
        Affine(CELL, 0, X0, 0, -CELL, Y0),
        0,
    )
    p = only(validate_region(root), "raster has no CRS")
    assert p.file.endswith("lu.tif")


def test_raster_not_overlapping(tiny: Tiny) -> None:
    root, _ = tiny
    write_tif(
        root / "data" / "lu.tif",
        np.ones((20, 20), np.uint8),
        UTM,
        Affine(CELL, 0, X0 + 50_000, 0, -CELL, Y0),
        0,
    )
    p = only(validate_region(root), "does not overlap the communities")
    assert p.file.endswith("lu.tif")


def test_partial_cover_is_a_warning(tiny: Tiny) -> None:
    root, _ = tiny
    write_tif(
        root / "data" / "lu.tif",
        np.ones((20, 10), np.uint8),
        UTM,
        Affine(CELL, 0, X0, 0, -CELL, Y0),
        0,
    )
    p = only(validate_region(root), "covers only", severity="warning")
    assert "50%" in p.message


def test_wrong_band_count(tiny: Tiny) -> None:
    root, _ = tiny
    src = root / "data" / "rain.tif"
    import rasterio

    with rasterio.open(src) as ds:
        arr, t, crs = ds.read()[:11], ds.transform, ds.crs.to_string()
    write_tif(src, arr, crs, t, -9999.0)
    p = only(validate_region(root), "needs 12 monthly bands, found 11")
    assert p.file.endswith("rain.tif")


def test_nodata_missing_is_a_warning(tiny: Tiny) -> None:
    root, _ = tiny
    write_tif(
        root / "data" / "lu.tif",
        np.ones((20, 20), np.uint8),
        UTM,
        Affine(CELL, 0, X0, 0, -CELL, Y0),
        None,
    )
    p = only(validate_region(root), "no nodata value", severity="warning")
    assert p.file.endswith("lu.tif")


def test_negative_rainfall(tiny: Tiny) -> None:
    root, _ = tiny
    import rasterio

    src = root / "data" / "rain.tif"
    with rasterio.open(src) as ds:
        arr, t = ds.read(), ds.transform
    arr[3, 2, 2] = -5
    write_tif(src, arr, "EPSG:4326", t, -9999.0)
    p = only(validate_region(root), "negative values")
    assert p.file.endswith("rain.tif")


def test_unknown_land_use_codes(tiny: Tiny) -> None:
    root, _ = tiny
    lu = np.ones((20, 20), np.uint8)
    lu[0, 0] = 7
    write_tif(root / "data" / "lu.tif", lu, UTM, Affine(CELL, 0, X0, 0, -CELL, Y0), 0)
    p = only(validate_region(root), "raster codes [7] are not in the class table")
    assert p.file.endswith("lu.tif") and "lu_classes.csv" in p.message


def test_class_table_missing_column(tiny: Tiny) -> None:
    root, _ = tiny
    t = pd.read_csv(root / "data" / "lu_classes.csv").drop(columns=["cn_c"])
    t.to_csv(root / "data" / "lu_classes.csv", index=False)
    p = only(validate_region(root), "lacks column(s) ['cn_c']")
    assert p.file.endswith("lu_classes.csv")


def test_vegetation_rule_is_noted_per_class(tiny: Tiny) -> None:
    # InVEST's LULC_veg: 1 for vegetated classes except wetlands, 0 for wetlands, urban
    # areas, water bodies (natcap/invest annual_water_yield.py, biophysical table)
    root, _ = tiny
    path = root / "data" / "lu_classes.csv"
    t = pd.read_csv(path)
    more = ["Sealed surfaces", "Herbaceous wetland", "Open water", "Rice paddies", "Unpaved road"]
    extra = t.iloc[[0] * len(more)].assign(code=range(3, 3 + len(more)), name=more)
    t = pd.concat([t, extra], ignore_index=True)
    t.to_csv(path, index=False)
    problems = validate_region(root)
    assert not has_errors(problems) and not [p for p in problems if p.severity == "warning"]
    notes = {p.message.split("'")[1]: p.message for p in problems if p.severity == "note"}
    assert set(notes) == {"Cropland", "Forest", *more}
    for name in ("Cropland", "Forest", "Rice paddies"):
        assert "counts as vegetated: its name has none of the non-vegetated words" in notes[name]
    for name, word in (
        ("Sealed surfaces", "sealed"),
        ("Herbaceous wetland", "wetland"),
        ("Open water", "water"),
        ("Unpaved road", "road"),
    ):
        assert f"counts as non-vegetated: its name holds '{word}'" in notes[name]
    assert all(p.layer == "land_use" and p.file == str(path) for p in problems)
    # a table with the column: it decides, nothing to note; 0/1 only
    t.assign(lulc_veg=[1, 1, 0, 0, 0, 1, 0]).to_csv(path, index=False)
    assert validate_region(root) == []
    t.assign(lulc_veg=[1, 1, 0, 0, 0, 1, 0.5]).to_csv(path, index=False)
    only(validate_region(root), "column 'lulc_veg' is missing or outside 0..1 or not a whole")


def test_negative_soil_depth(tiny: Tiny) -> None:
    root, cfg = tiny
    depth = np.full((20, 20), 800.0, np.float32)
    depth[3, 3] = -5.0
    write_tif(root / "data" / "depth.tif", depth, UTM, Affine(CELL, 0, X0, 0, -CELL, Y0), -1.0)
    cfg["layers"]["depth_to_root_restricting_layer"] = {"path": "data/depth.tif", "units": "mm"}
    write_toml(cfg, root / "region.toml")
    p = only(validate_region(root), "negative depths (min -5 mm)")
    assert p.file.endswith("depth.tif") and p.layer == "depth_to_root_restricting_layer"


def _rewrite_communities(root: Path, ids: list[Any], geoms: list[Any] | None = None) -> None:
    gdf = gpd.read_file(root / "data" / "communities.gpkg")
    gdf["cid"] = ids
    if geoms is not None:
        gdf = gdf.set_geometry(geoms, crs=gdf.crs)
    gdf.to_file(root / "data" / "communities.gpkg")


def test_duplicate_community_ids(tiny: Tiny) -> None:
    root, _ = tiny
    _rewrite_communities(root, ["A", "A", "C", "D"])
    p = only(validate_region(root), "duplicate cid values ['A']")
    assert p.file.endswith("communities.gpkg")


def test_empty_community_ids(tiny: Tiny) -> None:
    root, _ = tiny
    _rewrite_communities(root, ["A", None, " ", "D"])
    p = only(validate_region(root), "2 feature(s) have an empty cid")
    assert p.file.endswith("communities.gpkg")


def test_invalid_geometry_is_repaired_and_reported(tiny: Tiny) -> None:
    root, _ = tiny
    gdf = gpd.read_file(root / "data" / "communities.gpkg")
    x0, y0 = X0, Y0 - 300
    bowtie = shapely.Polygon([(x0, y0), (x0 + 300, y0 + 300), (x0 + 300, y0), (x0, y0 + 300)])
    geoms = [bowtie, *gdf.geometry.iloc[1:]]
    _rewrite_communities(root, ["A", "B", "C", "D"], geoms)
    problems = validate_region(root)
    p = only(problems, "invalid geometry", severity="warning")
    assert "Self-intersection" in p.message and "['A']" in p.message
    assert not has_errors(problems)


def test_missing_id_field(tiny: Tiny) -> None:
    root, cfg = tiny
    cfg["layers"]["communities"]["id_field"] = "code"
    write_toml(cfg, root / "region.toml")
    p = only(validate_region(root), "id_field 'code' is not a field")
    assert "cid" in p.message


def test_sites_lat_lon_swapped(tiny: Tiny) -> None:
    root, cfg = tiny
    cfg["layers"]["project_sites"]["lon_field"] = "lat"
    cfg["layers"]["project_sites"]["lat_field"] = "lon"
    write_toml(cfg, root / "region.toml")
    p = only(validate_region(root), "look swapped")
    assert p.file.endswith("sites.csv") and p.layer == "project_sites"


def test_sites_out_of_range(tiny: Tiny) -> None:
    root, _ = tiny
    df = pd.read_csv(root / "data" / "sites.csv")
    df.loc[1, "lat"] = 123.0
    df.to_csv(root / "data" / "sites.csv", index=False)
    p = only(validate_region(root), "out of range (rows [1])")
    assert p.file.endswith("sites.csv")


def test_sites_missing_columns(tiny: Tiny) -> None:
    root, cfg = tiny
    cfg["layers"]["project_sites"]["lon_field"] = "longitude"
    write_toml(cfg, root / "region.toml")
    p = only(validate_region(root), "coordinate column(s) ['longitude'] not found")
    assert p.file.endswith("sites.csv")


def test_every_problem_reported_at_once(tiny: Tiny) -> None:
    root, _ = tiny
    (root / "data" / "rain.tif").unlink()
    _rewrite_communities(root, ["A", "A", "C", "D"])
    (root / "data" / "lu.tif").write_bytes(b"garbage")
    problems = validate_region(root)
    files = {Path(p.file).name for p in problems if p.severity == "error"}
    assert {"rain.tif", "communities.gpkg", "lu.tif"} <= files


def test_geographic_working_crs_rejected(tiny: Tiny) -> None:
    root, cfg = tiny
    cfg["region"]["crs"] = "EPSG:4326"
    write_toml(cfg, root / "region.toml")
    only(validate_region(root), "is geographic")
