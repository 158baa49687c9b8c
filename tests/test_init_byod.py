"""``landwater init`` on data in the forms it comes in (issue 24): provenance only from the
user, dates from any file name, series in one file (multi-band GeoTIFF, CF NetCDF), tables
as they come, and ``--dry-run``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio

from landwater.cli import main
from layers.region import load_region
from tests.regionkit import RAW_TRANSFORM as T
from tests.regionkit import write_raw_inputs, write_tif
from tests.test_cli_init import _args


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """The raw inputs of the init tests (DEM, land use, 12-band climate, communities)."""
    return write_raw_inputs(tmp_path / "raw")


def _with_communities(raw: Path, out: Path, *extra: str) -> list[str]:
    """The fixture's inputs without the DEM (no delineation: these tests are about climate)."""
    comm = ["--communities", str(raw / "communities.gpkg"), "--id-field", "code"]
    args = _args(raw, out, *comm, *extra)
    i = args.index("--dem")
    return args[:i] + args[i + 2 :]


def _replace(args: list[str], option: str, value: str) -> list[str]:
    out = list(args)
    out[out.index(option) + 1] = value
    return out


def _worldclim_tmin(raw: Path) -> Path:
    folder = raw / "wc_tmin"
    for m in range(1, 13):
        grid = np.full((1, 60, 60), 10.0 + m, np.float32)
        write_tif(folder / f"wc2.1_cruts4.09_2.5m_tmin_2018-{m:02d}.tif", grid, "EPSG:32737", T)
    return folder


def test_provenance_is_never_taken_from_file_names(
    raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = _replace(_with_communities(raw, tmp_path / "a"), "--tmin", str(_worldclim_tmin(raw)))
    assert main(args) == 0
    out = capsys.readouterr().out
    tmin = load_region(tmp_path / "a").config.layers.tmin
    assert tmin is not None and (tmin.source, tmin.licence) == ("unknown", "unknown")
    assert "warning: no source given for" in out and "tmin" in out.split("no source given")[1]
    assert "WorldClim 2.1 monthly weather file names" in out  # what was recognised is said
    given = _replace(_with_communities(raw, tmp_path / "b"), "--tmin", str(raw / "wc_tmin"))
    given += [
        "--source",
        "tmin=CRU-TS 4.09 downscaled with WorldClim 2.1",
        "--licence",
        "CC BY 4.0",
    ]
    assert main(given) == 0
    layers = load_region(tmp_path / "b").config.layers
    assert layers.tmin is not None and layers.tmin.source.startswith("CRU-TS 4.09")
    assert layers.tmin.licence == "CC BY 4.0" and layers.rainfall.licence == "CC BY 4.0"
    assert layers.rainfall.source == "unknown"
    # the init TOML: a table per layer
    (raw / "init.toml").write_text(
        'land_use = "lu.tif"\nland_use_product = "generic"\n'
        'rainfall = "rain.tif"\ntmin = "wc_tmin"\ntmax = "tmax.tif"\n'
        'communities = "communities.gpkg"\nid_field = "code"\nresolution_m = 100.0\n'
        '[source]\nrainfall = "Station-blended rain of the county office"\n'
    )
    assert main(["init", str(tmp_path / "c"), "--from", str(raw / "init.toml")]) == 0
    layers = load_region(tmp_path / "c").config.layers
    assert layers.rainfall.source == "Station-blended rain of the county office"
    assert layers.tmin is not None and layers.tmin.source == "unknown"


def _rain_by_month(raw: Path, name: str) -> dict[tuple[int, int], float]:
    """24 rain files 2001-2002 named by ``name`` (a format of y and m): 10 m + y - 2000 mm."""
    values = {}
    for y in (2001, 2002):
        for m in range(1, 13):
            values[(y, m)] = 10.0 * m + (y - 2000)
            grid = np.full((1, 60, 60), values[(y, m)], np.float32)
            write_tif(raw / "rain_months" / name.format(y=y, m=m), grid, "EPSG:32737", T, -9999.0)
    return values


def _band_means(path: Path) -> list[float]:
    with rasterio.open(path) as ds:
        return [float(np.nanmean(ds.read(b))) for b in range(1, ds.count + 1)]


def test_per_month_files_under_any_name_with_a_date_pattern(
    raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = _rain_by_month(raw, "precip.{y}.m{m:02d}.tif")
    args = _replace(_with_communities(raw, tmp_path / "r"), "--rainfall", str(raw / "rain_months"))
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "--rainfall" in err and "hold no month" in err and "--date-pattern" in err
    assert main([*args, "--date-pattern", "rainfall=precip.{yyyy}.m{mm}.tif"]) == 0
    rain = load_region(tmp_path / "r").config.layers.rainfall
    assert (rain.kind, rain.start) == ("series", "2001-01")
    got = _band_means(tmp_path / "r" / "data" / "rainfall.tif")
    assert got == pytest.approx([values[k] for k in sorted(values)])


def test_the_issues_pre_yyyy_mm_names_need_no_option(raw: Path, tmp_path: Path) -> None:
    values = _rain_by_month(raw, "pre_{y}-{m:02d}.tif")
    args = _replace(_with_communities(raw, tmp_path / "r"), "--rainfall", str(raw / "rain_months"))
    assert main([*args, "--period", "2002-01:2002-12"]) == 0
    rain = load_region(tmp_path / "r").config.layers.rainfall
    assert (rain.kind, rain.start, rain.source) == ("series", "2002-01", "unknown")
    got = _band_means(tmp_path / "r" / "data" / "rainfall.tif")
    assert got == pytest.approx([values[(2002, m)] for m in range(1, 13)])
