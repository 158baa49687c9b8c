"""Uploaded areas of interest: every accepted format, and each bad upload refused clearly."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from layers.upload import (
    MAX_UPLOAD_BYTES,
    MAX_VERTICES,
    UploadError,
    area_from_geojson,
    read_area_upload,
)
from tests.regionkit import zip_bytes

BOX = shapely.box(37.30, -1.40, 37.36, -1.34)


def _file(tmp_path: Path, name: str, geoms: list, crs: object = 4326, **kw: object) -> bytes:
    path = tmp_path / name
    gpd.GeoDataFrame({"n": range(len(geoms))}, geometry=geoms, crs=crs).to_file(path, **kw)
    return path.read_bytes()


def _shapefile(tmp_path: Path, prj: bool = True) -> dict[str, bytes]:
    folder = tmp_path / "shp"
    folder.mkdir()
    gpd.GeoDataFrame(geometry=[BOX], crs=4326).to_file(folder / "farms.shp")
    return {
        f"farms/{p.name}": p.read_bytes() for p in folder.iterdir() if prj or p.suffix != ".prj"
    }


@pytest.mark.parametrize(
    ("name", "kw"),
    [("a.geojson", {}), ("a.gpkg", {}), ("a.kml", {"driver": "KML"})],
)
def test_accepted_formats(tmp_path: Path, name: str, kw: dict) -> None:
    area = read_area_upload(name, _file(tmp_path, name, [BOX], **kw))
    assert (
        area.geometry.equals_exact(BOX, 1e-6) or area.geometry.symmetric_difference(BOX).area < 1e-9
    )
    assert area.features == 1 and area.repaired == 0


def test_zipped_shapefile_in_a_folder(tmp_path: Path) -> None:
    area = read_area_upload("farms.zip", zip_bytes(_shapefile(tmp_path)))
    assert area.geometry.symmetric_difference(BOX).area < 1e-9


def test_other_crs_is_reprojected(tmp_path: Path) -> None:
    utm = gpd.GeoSeries([BOX], crs=4326).to_crs(32737).iloc[0]
    area = read_area_upload("utm.gpkg", _file(tmp_path, "utm.gpkg", [utm], crs=32737))
    assert area.geometry.symmetric_difference(BOX).area < 1e-8


def test_self_intersecting_polygon_is_repaired_and_reported(tmp_path: Path) -> None:
    bowtie = shapely.Polygon([(37.3, -1.4), (37.36, -1.34), (37.36, -1.4), (37.3, -1.34)])
    area = read_area_upload("bow.geojson", _file(tmp_path, "bow.geojson", [bowtie]))
    assert area.repaired == 1 and area.geometry.is_valid and area.geometry.area > 0


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("big.geojson", lambda tp: b" " * (MAX_UPLOAD_BYTES + 1), "over the 5 MB limit"),
        ("area.exe", lambda tp: b"MZ", "unsupported file type '.exe'"),
        ("noext", lambda tp: b"{}", r"unsupported file type '\(none\)'"),
        (
            "bad.geojson",
            lambda tp: b'{"type": "FeatureCollection", "feat',
            "not a readable GeoJSON",
        ),
        ("bad.gpkg", lambda tp: b"SQLite format 3\x00 truncated", "not a readable GeoPackage"),
        ("bad.zip", lambda tp: b"PK\x03\x04 truncated", "not a readable zip"),
        (
            "slip.zip",
            lambda tp: zip_bytes({"../../etc/evil.shp": b"x", "a.shx": b"x"}),
            "points outside the archive",
        ),
        ("abs.zip", lambda tp: zip_bytes({"/tmp/evil.shp": b"x"}), "points outside the archive"),
        ("bomb.zip", lambda tp: zip_bytes({"a.shp": b"\0" * (60 * 2**20)}), "expands to more than"),
        ("two.zip", lambda tp: zip_bytes({"a.shp": b"x", "b.shp": b"y"}), "exactly one .shp"),
        ("noprj.zip", lambda tp: zip_bytes(_shapefile(tp, prj=False)), "has no .prj"),
        (
            "points.geojson",
            lambda tp: _file(tp, "points.geojson", [shapely.Point(37.3, -1.3)]),
            "no polygon found",
        ),
        (
            "huge.geojson",
            lambda tp: _file(
                tp,
                "huge.geojson",
                [shapely.Point(37.33, -1.37).buffer(0.02, quad_segs=MAX_VERTICES // 3)],
            ),
            "vertices is over",
        ),
    ],
)
def test_bad_uploads(tmp_path: Path, name: str, make: object, message: str) -> None:
    with pytest.raises(UploadError, match=message) as err:
        read_area_upload(name, make(tmp_path))  # type: ignore[operator]
    assert str(err.value).startswith(name)  # the message names the file


def test_drawn_area() -> None:
    fc = {
        "type": "FeatureCollection",
        "features": [
            json.loads(
                json.dumps(
                    {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(BOX)}
                )
            )
        ],
    }
    assert area_from_geojson(fc).geometry.symmetric_difference(BOX).area < 1e-12
    with pytest.raises(UploadError, match="nothing drawn"):
        area_from_geojson({"type": "FeatureCollection", "features": []})
