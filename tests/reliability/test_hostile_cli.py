"""Command-line inputs that gave tracebacks or hangs (issue 20): each answers with a message,
exit 1, and leaves nothing behind.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest

from landwater.cli import main
from tests.regionkit import tiny_region


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from processing.pipeline import process_region

    root = tmp_path_factory.mktemp("cli") / "region"
    tiny_region(root)
    process_region(root)
    return root


def _init_args(region: Path, out: Path, *extra: str) -> list[str]:
    rain = str(region / "data" / "rain.tif")
    base = ["init", str(out), "--rainfall", rain, "--land-use-class", "40"]
    return [*base, "--land-use-product", "worldcover", *extra]


INIT_CASES = [
    # 4.79 PiB of working grid: refused from the grid's size, before any array is made
    (["--resolution-m", "0.001", "--hex-size-km", "2"], ("--resolution-m 0.001", "cells", "GB")),
    # about a million hexagons: refused from their count, before any is drawn
    (["--hex-size-km", "0.001"], ("--hex-size-km 0.001", "hexagons", "larger")),
    (["--resolution-m", "-5", "--hex-size-km", "2"], ("--resolution-m -5", "greater than 0")),
    (["--resolution-m", "nan", "--hex-size-km", "2"], ("--resolution-m nan", "finite")),
    (["--hex-size-km", "inf"], ("--hex-size-km inf", "finite")),
]


@pytest.mark.parametrize(("extra", "words"), INIT_CASES, ids=[" ".join(c[0]) for c in INIT_CASES])
def test_init_refuses_sizes_up_front(
    region: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    words: tuple[str, ...],
) -> None:
    out = tmp_path / "new"
    assert main(_init_args(region, out, *extra)) == 1
    err = capsys.readouterr().err
    for word in words:
        assert word in err, err
    assert "Traceback" not in err and "pydantic" not in err and "http" not in err
    assert list(tmp_path.iterdir()) == []  # no region, no .new.init.* folder


def test_zonal_to_a_directory(
    region: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["zonal", str(region / "data" / "lu.tif"), str(region / "data" / "communities.gpkg")]
    assert main([*args, "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "file name" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


MALFORMED_CRITERIA: list[Any] = [
    "abc",
    [1, 2],
    [{"layer": "slope_pct", "weight": "heavy"}],
    [{"layer": ["a"], "weight": float("inf")}, {"weight": -3}],
    {"layer": "slope_pct"},
]


@pytest.mark.parametrize(
    "criteria", MALFORMED_CRITERIA, ids=[repr(c)[:25] for c in MALFORMED_CRITERIA]
)
def test_brief_of_a_shortlist_with_malformed_criteria(
    region: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], criteria: Any
) -> None:
    from layers.workspace import Workspace
    from tests.reliability.test_hostile import INSIDE

    workspace = Workspace.for_region(region)
    rec = workspace.save_shortlist("odd", [dict(INSIDE, criteria=criteria)])
    out = tmp_path / "brief.html"
    assert main(["brief", str(region), "--shortlist", str(rec.id), "-o", str(out)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert "<svg" in out.read_text()
    workspace.delete_shortlist(rec.id)


def test_init_on_a_geometry_collection(
    region: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bare GeometryCollection: one feature, no attributes, no polygon feature."""
    path = tmp_path / "gc.geojson"
    ring = [[37.2, -1.36], [37.21, -1.36], [37.21, -1.355], [37.2, -1.36]]
    collection = {
        "type": "GeometryCollection",
        "geometries": [{"type": "Polygon", "coordinates": [ring]}],
    }
    path.write_text(json.dumps(collection))
    out = tmp_path / "new"
    assert main(_init_args(region, out, "--communities", str(path))) == 1
    err = capsys.readouterr().err
    assert "gc.geojson: no polygon features (found GeometryCollection)" in err, err
    assert "one of []" not in err and not out.exists()


def test_zonal_zones_without_a_crs(
    region: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Zones in UTM metres saved without a CRS, over a raster in degrees."""
    zones = gpd.read_file(region / "data" / "communities.gpkg")
    zones = zones.set_crs(None, allow_override=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyogrio warns about the missing CRS
        zones.to_file(tmp_path / "zones.shp")
    assert main(["zonal", str(region / "data" / "rain.tif"), str(tmp_path / "zones.shp")]) == 1
    err = capsys.readouterr().err
    assert "the zones have no CRS" in err and "save the zones with their CRS" in err
    assert "Traceback" not in err


def test_upload_size_limit_is_stated_consistently() -> None:
    from layers.upload import MAX_UPLOAD_BYTES, UploadError, read_area_upload

    with pytest.raises(UploadError) as exactly:  # at the limit: read, not refused for size
        read_area_upload("area.geojson", b" " * MAX_UPLOAD_BYTES)
    assert "limit" not in str(exactly.value)
    for size in (MAX_UPLOAD_BYTES + 1, MAX_UPLOAD_BYTES + 50_000, 6 * 2**20):
        with pytest.raises(UploadError) as over:
            read_area_upload("area.geojson", b" " * size)
        said, _limit = str(over.value).split(": ", 1)[1].split(" is over the ")
        number = float(said.split()[0].replace(",", ""))
        unit = said.split()[1]
        stated = number * (2**20 if unit == "MB" else 1)
        assert stated > MAX_UPLOAD_BYTES, str(over.value)  # the size shown is over the limit


def test_process_into_a_folder_it_may_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """/sys refuses new folders even to root: a stand-in for a read-only region folder."""
    root = tmp_path / "region"
    tiny_region(root)
    assert main(["process", str(root), "--out", "/sys/landwater-results"]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "writable" in err and "Traceback" not in err


def test_a_processed_region_copied_elsewhere_is_served_as_it_is(
    region: Path, tmp_path: Path
) -> None:
    """Copied with its times (cp -a): up to date, and serving it writes nothing (it may be a
    read-only copy)."""
    import shutil

    from dashboard.app import create_app
    from processing.fingerprint import input_fingerprint, up_to_date

    create_app(region)  # the original has served once: its map files exist
    copy = tmp_path / "elsewhere" / "region"
    shutil.copytree(region, copy, copy_function=shutil.copy2, symlinks=True)

    def files() -> dict[str, int]:
        return {
            str(p.relative_to(copy)): p.stat().st_mtime_ns
            for p in copy.rglob("*")
            if p.is_file() and not p.name.startswith("workspace.sqlite")
        }

    before = files()
    assert up_to_date(copy / "results", input_fingerprint(copy))
    create_app(copy)
    assert files() == before
