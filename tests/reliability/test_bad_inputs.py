"""The bad-input corpus: malformed files and configs, each run through ``landwater process``
(or ``init``, ``calibrate``, the upload reader) end to end.

Every case must: exit 1 (0 only where the input is repaired and reported), name the file
and the problem in the message, show no traceback, and leave no output behind (no results
folder, no temporary files in the region).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from affine import Affine

from landwater.cli import main
from layers.upload import UploadError, read_area_upload
from tests.regionkit import CELL, UTM, X0, Y0, tiny_region, write_tif, write_toml, zip_bytes

Mutate = Callable[[Path, dict[str, Any]], None]
LU_T = Affine(CELL, 0, X0, 0, -CELL, Y0)


def _toml(root: Path, cfg: dict[str, Any]) -> None:
    write_toml(cfg, root / "region.toml")


def truncated_tif(root: Path, cfg: dict[str, Any]) -> None:
    data = (root / "data" / "rain.tif").read_bytes()
    (root / "data" / "rain.tif").write_bytes(data[: len(data) // 3])


def corrupt_tif(root: Path, cfg: dict[str, Any]) -> None:
    (root / "data" / "lu.tif").write_bytes(b"II*\x00" + np.random.default_rng(1).bytes(3000))


def no_crs(root: Path, cfg: dict[str, Any]) -> None:
    write_tif(root / "data" / "lu.tif", np.ones((20, 20), np.uint8), None, LU_T, 0)


def wrong_crs(root: Path, cfg: dict[str, Any]) -> None:
    # the same numbers declared in another zone: the grid lands 6 degrees away
    write_tif(root / "data" / "lu.tif", np.ones((20, 20), np.uint8), "EPSG:32736", LU_T, 0)


def all_nodata(root: Path, cfg: dict[str, Any]) -> None:
    with rasterio.open(root / "data" / "rain.tif") as ds:
        t = ds.transform
    write_tif(
        root / "data" / "rain.tif",
        np.full((12, 10, 10), -9999, np.float32),
        "EPSG:4326",
        t,
        -9999.0,
    )


def nan_nodata(root: Path, cfg: dict[str, Any]) -> None:
    with rasterio.open(root / "data" / "rain.tif") as ds:
        t = ds.transform
    write_tif(
        root / "data" / "rain.tif",
        np.full((12, 10, 10), np.nan, np.float32),
        "EPSG:4326",
        t,
        float("nan"),
    )


def no_overlap(root: Path, cfg: dict[str, Any]) -> None:
    far = Affine(CELL, 0, X0 + 500_000, 0, -CELL, Y0)
    write_tif(root / "data" / "lu.tif", np.ones((20, 20), np.uint8), UTM, far, 0)


def one_pixel(root: Path, cfg: dict[str, Any]) -> None:
    """One 2 km pixel over the whole area: coarse but valid."""
    big = Affine(2000, 0, X0 - 500, 0, -2000, Y0 + 500)
    write_tif(root / "data" / "lu.tif", np.ones((1, 1), np.uint8), UTM, big, 0)


def wrong_band_count(root: Path, cfg: dict[str, Any]) -> None:
    with rasterio.open(root / "data" / "rain.tif") as ds:
        t = ds.transform
    write_tif(root / "data" / "rain.tif", np.ones((5, 10, 10), np.float32), "EPSG:4326", t, -9999.0)


def negative_rain(root: Path, cfg: dict[str, Any]) -> None:
    with rasterio.open(root / "data" / "rain.tif") as ds:
        t, rain = ds.transform, ds.read()
    rain[3] = -50.0
    write_tif(root / "data" / "rain.tif", rain, "EPSG:4326", t, -9999.0)


def undeclared_fill_rain(root: Path, cfg: dict[str, Any]) -> None:
    """float64 rainfall whose missing cells hold 1e38 and no nodata is declared."""
    with rasterio.open(root / "data" / "rain.tif") as ds:
        t, rain = ds.transform, ds.read().astype(np.float64)
    rain[:, :3, :3] = 1e38
    write_tif(root / "data" / "rain.tif", rain, "EPSG:4326", t, None)


def kelvin_tmax(root: Path, cfg: dict[str, Any]) -> None:
    """Tmax in Kelvin (298 K) in a degC layer."""
    with rasterio.open(root / "data" / "tmax.tif") as ds:
        t, tmax = ds.transform, ds.read()
    write_tif(root / "data" / "tmax.tif", tmax + 273.15, "EPSG:4326", t, -9999.0)


def swapped_temperatures(root: Path, cfg: dict[str, Any]) -> None:
    layers = cfg["layers"]
    layers["tmin"]["path"], layers["tmax"]["path"] = layers["tmax"]["path"], layers["tmin"]["path"]
    _toml(root, cfg)


def _dem(root: Path, cfg: dict[str, Any], dem: np.ndarray, nodata: float | None) -> None:
    write_tif(root / "data" / "dem.tif", dem, UTM, LU_T, nodata)
    cfg["layers"]["elevation"] = {"path": "data/dem.tif", "units": "m"}
    _toml(root, cfg)


def all_nodata_dem(root: Path, cfg: dict[str, Any]) -> None:
    _dem(root, cfg, np.full((20, 20), -32768, np.int16), -32768)


def dem_in_centimetres(root: Path, cfg: dict[str, Any]) -> None:
    _dem(root, cfg, np.full((20, 20), 185_000.0, np.float32), None)


def all_nodata_tmin(root: Path, cfg: dict[str, Any]) -> None:
    with rasterio.open(root / "data" / "tmin.tif") as ds:
        t = ds.transform
    write_tif(
        root / "data" / "tmin.tif",
        np.full((12, 10, 10), -9999, np.float32),
        "EPSG:4326",
        t,
        -9999.0,
    )


def _communities(
    root: Path, cfg: dict[str, Any], gdf: gpd.GeoDataFrame, name: str, **kw: Any
) -> None:
    gdf.to_file(root / "data" / name, **kw)
    cfg["layers"]["communities"]["path"] = f"data/{name}"
    _toml(root, cfg)


def shp_without_prj(root: Path, cfg: dict[str, Any]) -> None:
    gdf = gpd.read_file(root / "data" / "communities.gpkg")
    _communities(root, cfg, gdf, "comm.shp")
    (root / "data" / "comm.prj").unlink()


def shp_without_dbf(root: Path, cfg: dict[str, Any]) -> None:
    gdf = gpd.read_file(root / "data" / "communities.gpkg")
    _communities(root, cfg, gdf, "comm.shp")
    (root / "data" / "comm.dbf").unlink()


def self_intersecting(root: Path, cfg: dict[str, Any]) -> None:
    gdf = gpd.read_file(root / "data" / "communities.gpkg")
    x, y = X0 + 10, Y0 - 10
    bowtie = shapely.Polygon([(x, y), (x + 280, y - 280), (x + 280, y), (x, y - 280)])
    gdf.loc[0, "geometry"] = bowtie
    _communities(root, cfg, gdf, "comm.geojson", driver="GeoJSON")


def empty_geometry(root: Path, cfg: dict[str, Any]) -> None:
    gdf = gpd.read_file(root / "data" / "communities.gpkg")
    gdf.loc[1, "geometry"] = shapely.Polygon()
    _communities(root, cfg, gdf, "comm.gpkg")


def duplicate_ids(root: Path, cfg: dict[str, Any]) -> None:
    gdf = gpd.read_file(root / "data" / "communities.gpkg")
    gdf.loc[1, "cid"] = "A"
    _communities(root, cfg, gdf, "comm.gpkg")


def missing_ids(root: Path, cfg: dict[str, Any]) -> None:
    gdf = gpd.read_file(root / "data" / "communities.gpkg")
    gdf.loc[2, "cid"] = None
    _communities(root, cfg, gdf, "comm.gpkg")


def swapped_lonlat_communities(root: Path, cfg: dict[str, Any]) -> None:
    """Communities in EPSG:4326 written with x = latitude, y = longitude."""
    gdf = gpd.read_file(root / "data" / "communities.gpkg").to_crs(4326)
    gdf.geometry = shapely.transform(gdf.geometry.values, lambda xy: xy[:, ::-1])
    _communities(root, cfg, gdf, "comm.gpkg")


def latin1_geojson(root: Path, cfg: dict[str, Any]) -> None:
    gdf = gpd.read_file(root / "data" / "communities.gpkg").to_crs(4326)
    text = gdf.to_json().replace("Alpha", "Bégoña")
    (root / "data" / "comm.geojson").write_bytes(text.encode("latin-1"))
    cfg["layers"]["communities"]["path"] = "data/comm.geojson"
    _toml(root, cfg)


def _sites(root: Path, cfg: dict[str, Any], change: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
    path = root / "data" / "sites.csv"
    change(pd.read_csv(path)).to_csv(path, index=False)


def swapped_latlon(root: Path, cfg: dict[str, Any]) -> None:
    _sites(root, cfg, lambda d: d.rename(columns={"lon": "lat", "lat": "lon"}))


def out_of_range_latlon(root: Path, cfg: dict[str, Any]) -> None:
    _sites(root, cfg, lambda d: d.assign(lat=[95.0, -1.0, -1.0]))


def latin1_sites(root: Path, cfg: dict[str, Any]) -> None:
    path = root / "data" / "sites.csv"
    df = pd.read_csv(path).assign(name=["Ñandú", "b", "c"])
    path.write_bytes(df.to_csv(index=False).encode("latin-1"))


def typo_key(root: Path, cfg: dict[str, Any]) -> None:
    cfg["layers"]["rainfall"]["pathh"] = cfg["layers"]["rainfall"].pop("path")
    _toml(root, cfg)


def wrong_type(root: Path, cfg: dict[str, Any]) -> None:
    cfg["region"]["resolution_m"] = "thirty"
    _toml(root, cfg)


def missing_section(root: Path, cfg: dict[str, Any]) -> None:
    del cfg["layers"]["land_use"]
    _toml(root, cfg)


def toml_syntax(root: Path, cfg: dict[str, Any]) -> None:
    (root / "region.toml").write_text("[region\nname = 'x'\n")


def symlink_loop(root: Path, cfg: dict[str, Any]) -> None:
    (root / "data" / "loop_a.tif").symlink_to("loop_b.tif")
    (root / "data" / "loop_b.tif").symlink_to("loop_a.tif")
    cfg["layers"]["rainfall"]["path"] = "data/loop_a.tif"
    _toml(root, cfg)


def deeply_nested_list(root: Path, cfg: dict[str, Any]) -> None:
    text = (root / "region.toml").read_text()
    (root / "region.toml").write_text(text + "\nnested = " + "[" * 5000 + "]" * 5000 + "\n")


def byte_order_mark(root: Path, cfg: dict[str, Any]) -> None:
    """Saved by Notepad as "UTF-8 with BOM": valid."""
    text = (root / "region.toml").read_text()
    (root / "region.toml").write_bytes("\ufeff".encode() + text.encode())


def nan_resolution(root: Path, cfg: dict[str, Any]) -> None:
    text = (root / "region.toml").read_text().replace("resolution_m = 30.0", "resolution_m = nan")
    assert "nan" in text
    (root / "region.toml").write_text(text)


def missing_file(root: Path, cfg: dict[str, Any]) -> None:
    cfg["layers"]["tmax"]["path"] = "data/nowhere.tif"
    _toml(root, cfg)


def geographic_crs(root: Path, cfg: dict[str, Any]) -> None:
    cfg["region"]["crs"] = "EPSG:4326"
    _toml(root, cfg)


def zero_weights(root: Path, cfg: dict[str, Any]) -> None:
    text = (root / "region.toml").read_text() + (
        "\n[[interventions]]\nid = 'ponds'\nname = 'Ponds'\n"
        "[[interventions.criteria]]\nlayer = 'rainfall_annual_mm'\nfunction = 'increasing'\n"
        "params = [400.0, 800.0]\nweight = 0.0\n"
    )
    (root / "region.toml").write_text(text)


def criterion_without_layer(root: Path, cfg: dict[str, Any]) -> None:
    text = (root / "region.toml").read_text() + (
        "\n[[interventions]]\nid = 'terraces'\nname = 'Terraces'\n"
        "[[interventions.criteria]]\nlayer = 'slope_pct'\nfunction = 'decreasing'\n"
        "params = [5.0, 30.0]\n"
    )
    (root / "region.toml").write_text(text)


def class_table_missing_column(root: Path, cfg: dict[str, Any]) -> None:
    path = root / "data" / "lu_classes.csv"
    pd.read_csv(path).drop(columns=["kc"]).to_csv(path, index=False)


def unknown_land_use_code(root: Path, cfg: dict[str, Any]) -> None:
    lu = np.full((20, 20), 9, np.uint8)
    write_tif(root / "data" / "lu.tif", lu, UTM, LU_T, 0)


def negative_class_values(root: Path, cfg: dict[str, Any]) -> None:
    path = root / "data" / "lu_classes.csv"
    pd.read_csv(path).assign(cn_b=[78, 180]).to_csv(path, index=False)


# (name, mutation, words the message must contain, expected exit code)
CASES: list[tuple[str, Mutate, tuple[str, ...], int]] = [
    ("truncated GeoTIFF", truncated_tif, ("rain.tif", "read"), 1),
    ("corrupt GeoTIFF", corrupt_tif, ("lu.tif",), 1),
    ("raster without CRS", no_crs, ("lu.tif", "CRS"), 1),
    ("raster in the wrong CRS", wrong_crs, ("lu.tif", "overlap"), 1),
    ("all-nodata raster", all_nodata, ("rain.tif", "every cell is nodata"), 1),
    ("NaN nodata everywhere", nan_nodata, ("rain.tif", "every cell is nodata"), 1),
    ("mismatched extents", no_overlap, ("lu.tif", "overlap"), 1),
    ("1-pixel raster (covers everything: works)", one_pixel, ("results",), 0),
    ("wrong band count", wrong_band_count, ("rain.tif", "12"), 1),
    ("negative rainfall", negative_rain, ("rain.tif", "negative"), 1),
    (
        "undeclared 1e38 fill in rainfall",
        undeclared_fill_rain,
        ("rain.tif", "1e+38", "nodata ="),
        1,
    ),
    ("Tmax in Kelvin", kelvin_tmax, ("tmax.tif", "plausible", "degC"), 1),
    ("Tmin and Tmax swapped", swapped_temperatures, ("Tmin is above Tmax", "swapped"), 1),
    ("all-nodata DEM", all_nodata_dem, ("dem.tif", "every cell is nodata"), 1),
    ("DEM in centimetres", dem_in_centimetres, ("dem.tif", "185000", "plausible"), 1),
    ("all-nodata Tmin", all_nodata_tmin, ("tmin.tif", "every cell is nodata"), 1),
    ("shapefile without .prj", shp_without_prj, ("comm.shp", "CRS"), 1),
    ("shapefile without .dbf", shp_without_dbf, ("comm.shp",), 1),
    ("self-intersecting polygon", self_intersecting, ("comm.geojson", "repaired"), 0),
    ("empty geometry", empty_geometry, ("comm.gpkg", "no geometry"), 1),
    ("duplicate ids", duplicate_ids, ("comm.gpkg", "duplicate"), 1),
    ("lon/lat swapped in EPSG:4326", swapped_lonlat_communities, ("comm.gpkg", "swapped"), 1),
    ("missing ids", missing_ids, ("comm.gpkg", "id"), 1),
    ("non-UTF-8 GeoJSON", latin1_geojson, ("comm.geojson",), 1),
    ("swapped lat/lon", swapped_latlon, ("sites.csv", "swapped"), 1),
    ("out-of-range lat/lon", out_of_range_latlon, ("sites.csv", "range"), 1),
    ("non-UTF-8 CSV", latin1_sites, ("sites.csv", "latin-1"), 1),
    ("typo in a key", typo_key, ("pathh", "did you mean 'path'"), 1),
    ("wrong type", wrong_type, ("resolution_m",), 1),
    ("missing section", missing_section, ("land_use",), 1),
    ("TOML syntax error", toml_syntax, ("region.toml", "line 1"), 1),
    ("missing file", missing_file, ("nowhere.tif", "not found"), 1),
    ("symlink loop as a layer path", symlink_loop, ("loop_a.tif", "loop of symbolic links"), 1),
    ("list nested 5,000 deep", deeply_nested_list, ("region.toml", "nested too deeply"), 1),
    ("UTF-8 byte-order mark (works)", byte_order_mark, ("results",), 0),
    ("resolution_m = nan", nan_resolution, ("resolution_m", "finite number"), 1),
    ("geographic working CRS", geographic_crs, ("projected",), 1),
    ("weights of zero", zero_weights, ("ponds", "zero"), 1),
    ("criterion without its layer", criterion_without_layer, ("slope", "elevation"), 1),
    ("class table without a column", class_table_missing_column, ("lu_classes.csv", "kc"), 1),
    ("unknown land-use code", unknown_land_use_code, ("lu.tif", "9"), 1),
    ("curve number out of range", negative_class_values, ("lu_classes.csv", "cn_b"), 1),
]


@pytest.mark.parametrize(("name", "mutate", "words", "code"), CASES, ids=[c[0] for c in CASES])
def test_process_refuses_bad_input(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    mutate: Mutate,
    words: tuple[str, ...],
    code: int,
) -> None:
    root = tmp_path / "region"
    cfg = tiny_region(root)
    mutate(root, cfg)
    before = sorted(p.name for p in root.rglob("*"))
    got = main(["process", str(root)])
    out = capsys.readouterr()
    text = out.out + out.err
    assert got == code, f"{name}: exit {got}\n{text}"
    for word in words:
        assert word.lower() in text.lower(), f"{name}: {word!r} not in\n{text}"
    assert "Traceback" not in text
    if code:
        assert not (root / "results").exists()
        assert sorted(p.name for p in root.rglob("*")) == before  # nothing written
    assert not [p for p in root.rglob(".*") if p.name.startswith(".results")]


UPLOADS: list[tuple[str, str, bytes, str]] = [
    ("zip-slip", "area.zip", zip_bytes({"../../etc/evil.shp": b"x"}), "outside the archive"),
    ("oversized", "area.geojson", b" " * (6 * 2**20), "over the 5 MB"),
    (
        "zip bomb",
        "bomb.zip",
        zip_bytes({f"f{i}.txt": b"\0" * (8 * 2**20) for i in range(8)}),
        "expands",
    ),
    ("wrong type", "area.exe", b"MZ\x90\x00", "type"),
    ("not JSON", "area.geojson", b"{not json", "area.geojson"),
    (
        "no polygon",
        "area.geojson",
        json.dumps({"type": "Point", "coordinates": [1, 2]}).encode(),
        "polygon",
    ),
]


@pytest.mark.parametrize(
    ("name", "filename", "data", "words"), UPLOADS, ids=[u[0] for u in UPLOADS]
)
def test_upload_refusals(name: str, filename: str, data: bytes, words: str) -> None:
    with pytest.raises(UploadError) as info:
        read_area_upload(filename, data)
    assert words.lower() in str(info.value).lower(), str(info.value)
    assert "Traceback" not in str(info.value)


def test_init_and_calibrate_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A CHIRPS series with a month missing; an observed-flow file with unreadable dates."""
    chirps = tmp_path / "chirps"
    chirps.mkdir()
    t = Affine(0.05, 0, 36.0, 0, -0.05, -1.0)
    for m in (1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12):
        write_tif(
            chirps / f"chirps-v2.0.2010.{m:02d}.tif",
            np.ones((1, 4, 4), np.float32),
            "EPSG:4326",
            t,
            -9999.0,
        )
    out = tmp_path / "region"
    args = [
        "init",
        str(out),
        "--rainfall",
        str(chirps),
        "--land-use-class",
        "40",
        "--land-use-product",
        "worldcover",
        "--hex-size-km",
        "2",
        "--et0",
        str(chirps),
    ]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "2010-04 missing from the series (CHIRPS" in err and "Traceback" not in err
    assert not out.exists() and not [p for p in tmp_path.iterdir() if ".init." in p.name]
