"""Builders of tiny regions in tmp_path for tests: explicit CRS, a few cells, known values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely
from affine import Affine
from pyproj import Transformer

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
UTM = "EPSG:32737"
X0, Y0 = 300_000.0, 9_849_990.0  # upper-left of the tiny area, 600 x 600 m, on 30 m multiples
CELL = 30.0
N = 20


def write_tif(
    path: Path, data: np.ndarray, crs: str | None, transform: Affine, nodata: float | None = None
) -> Path:
    """Write a plain GeoTIFF (no validation) for test inputs."""
    data = data[np.newaxis] if data.ndim == 2 else data
    path.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=data.shape[2],
        height=data.shape[1],
        count=data.shape[0],
        dtype=data.dtype,
        crs=crs,
        transform=transform,
        nodata=nodata,
    ) as dst:
        dst.write(data)
    return path


def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return repr(v)


def write_toml(cfg: dict[str, Any], path: Path) -> Path:
    """Serialise the nested dicts used by tests (tables of scalars and lists)."""
    lines: list[str] = []

    def table(prefix: str, d: dict[str, Any]) -> None:
        scalars = {k: v for k, v in d.items() if not isinstance(v, dict)}
        if prefix:
            lines.append(f"[{prefix}]")
        lines.extend(f"{k} = {toml_value(v)}" for k, v in scalars.items())
        lines.append("")
        for k, v in d.items():
            if isinstance(v, dict):
                table(f"{prefix}.{k}" if prefix else k, v)

    table("", cfg)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def tiny_region(root: Path) -> dict[str, Any]:
    """Write a small valid region into ``root`` and return its config dict.

    Four 300 m square communities in EPSG:32737; rainfall and temperature as 12-band
    EPSG:4326 rasters; land use with two classes on the UTM grid; three sites in a CSV.
    """
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    squares = [
        shapely.box(X0 + i * 300, Y0 - (j + 1) * 300, X0 + (i + 1) * 300, Y0 - j * 300)
        for j in range(2)
        for i in range(2)
    ]
    gpd.GeoDataFrame(
        {"cid": ["A", "B", "C", "D"], "name": ["Alpha", "Beta", "Gamma", "Delta"]},
        geometry=squares,
        crs=UTM,
    ).to_file(data / "communities.gpkg")
    to_wgs = Transformer.from_crs(UTM, "EPSG:4326", always_xy=True)
    w, s, e, n = to_wgs.transform_bounds(X0 - 200, Y0 - 800, X0 + 800, Y0 + 200)
    geo_t = Affine((e - w) / 10, 0, w, 0, -(n - s) / 10, n)
    rain = np.stack([np.full((10, 10), 10.0 * m, dtype=np.float32) for m in range(1, 13)])
    write_tif(data / "rain.tif", rain, "EPSG:4326", geo_t, -9999.0)
    write_tif(
        data / "tmin.tif",
        np.full((12, 10, 10), 12.0, dtype=np.float32),
        "EPSG:4326",
        geo_t,
        -9999.0,
    )
    write_tif(
        data / "tmax.tif",
        np.full((12, 10, 10), 25.0, dtype=np.float32),
        "EPSG:4326",
        geo_t,
        -9999.0,
    )
    lu = np.ones((N, N), dtype=np.uint8)
    lu[:, N // 2 :] = 2
    write_tif(data / "lu.tif", lu, UTM, Affine(CELL, 0, X0, 0, -CELL, Y0), 0)
    pd.DataFrame(
        {
            "code": [1, 2],
            "name": ["Cropland", "Forest"],
            "colour": ["#e6c84f", "#1a7a3a"],
            "cn_a": [67, 30],
            "cn_b": [78, 55],
            "cn_c": [85, 70],
            "cn_d": [89, 77],
            "kc": [0.8, 1.0],
            "root_depth_m": [1.0, 2.5],
        }
    ).to_csv(data / "lu_classes.csv", index=False)
    pts = [
        to_wgs.transform(X0 + 100, Y0 - 100),
        to_wgs.transform(X0 + 450, Y0 - 450),
        to_wgs.transform(X0 + 500, Y0 - 100),
    ]
    pd.DataFrame(
        {
            "site_id": ["S1", "S2", "S3"],
            "name": ["a", "b", "c"],
            "type": ["water_pan"] * 3,
            "status": ["planned"] * 3,
            "lon": [p[0] for p in pts],
            "lat": [p[1] for p in pts],
        }
    ).to_csv(data / "sites.csv", index=False)
    cfg: dict[str, Any] = {
        "region": {"name": "Tiny", "resolution_m": 30.0},
        "layers": {
            "communities": {
                "path": "data/communities.gpkg",
                "id_field": "cid",
                "name_field": "name",
            },
            "rainfall": {"path": "data/rain.tif", "units": "mm/month"},
            "tmin": {"path": "data/tmin.tif", "units": "degC"},
            "tmax": {"path": "data/tmax.tif", "units": "degC"},
            "land_use": {"path": "data/lu.tif", "class_table": "data/lu_classes.csv"},
            "project_sites": {
                "path": "data/sites.csv",
                "id_field": "site_id",
                "lon_field": "lon",
                "lat_field": "lat",
            },
        },
    }
    write_toml(cfg, root / "region.toml")
    return cfg


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip archive (deflated) holding ``files`` under the given names, as bytes."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


# the raw inputs of ``landwater init`` tests: UTM 37S, 100 m cells, 60 x 60
RAW_TRANSFORM = Affine(100.0, 0, 300000.0, 0, -100.0, 9900000.0)


def write_raw_inputs(src: Path) -> Path:
    """A tilted DEM with a valley, generic land use, 12-band rain, Tmin/Tmax, communities."""
    t = RAW_TRANSFORM
    src.mkdir(parents=True)
    rows, cols = np.mgrid[0:60, 0:60]
    dem = 1500 + 8.0 * rows + 3.0 * np.abs(cols - 30)  # drains south-ward along column 30
    write_tif(src / "dem.tif", dem[None].astype(np.float32), "EPSG:32737", t, -9999.0)
    lu = np.where(cols < 30, 1, 4).astype(np.uint8)  # cropland west, forest east
    write_tif(src / "lu.tif", lu[None], "EPSG:32737", t, 0)
    rain = np.stack([np.full((60, 60), 20.0 + 15 * m, np.float32) for m in range(12)])
    write_tif(src / "rain.tif", rain, "EPSG:32737", t, -9999.0)
    for name, v in (("tmin", 12.0), ("tmax", 26.0)):
        write_tif(src / f"{name}.tif", np.full((12, 60, 60), v, np.float32), "EPSG:32737", t)
    boxes = [shapely.box(301000 + 2000 * i, 9895000, 303000 + 2000 * i, 9897000) for i in range(2)]
    gpd.GeoDataFrame({"code": ["K1", "K2"]}, geometry=boxes, crs=32737).to_file(
        src / "communities.gpkg"
    )
    return src
