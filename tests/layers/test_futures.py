"""Future climatology files: strict names, complete sets, the same GCMs everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import rasterio
from affine import Affine
from pyproj import CRS

from layers.futures import (
    CHELSA,
    KELVIN_C,
    WORLDCLIM,
    ensemble_groups,
    future_climates,
    reference_climate,
)
from layers.grid import Grid
from layers.validate import validate_region
from tests.regionkit import write_toml

GRID = Grid(CRS.from_epsg(4326), Affine(0.01, 0, 37.0, 0, -0.01, -1.0), 4, 3)


def _tif(path: Path, values: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    bands = values if values.ndim == 3 else values[np.newaxis]
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=GRID.width,
        height=GRID.height,
        count=bands.shape[0],
        dtype="float32",
        crs="EPSG:4326",
        transform=GRID.transform,
        nodata=-9999.0,
    ) as dst:
        dst.write(bands.astype(np.float32))
    return path


def _worldclim(folder: Path, gcms: list[str], ssp: str = "ssp245") -> None:
    for g in gcms:
        for var in ("prec", "tmin", "tmax"):
            _tif(folder / f"wc2.1_30s_{var}_{g}_{ssp}_2041-2060.tif", np.ones((12, 3, 4)))


def test_worldclim_names_group_into_climates(tmp_path: Path) -> None:
    _worldclim(tmp_path, ["ACCESS-CM2", "MPI-ESM1-2-HR"])
    _worldclim(tmp_path, ["ACCESS-CM2", "MPI-ESM1-2-HR"], "ssp585")
    climates = future_climates(tmp_path)
    labels = [c.key.label for c in climates if c.key]
    assert labels == [
        "ACCESS-CM2 ssp245 2041-2060",
        "MPI-ESM1-2-HR ssp245 2041-2060",
        "ACCESS-CM2 ssp585 2041-2060",
        "MPI-ESM1-2-HR ssp585 2041-2060",
    ]
    assert all(c.product == WORLDCLIM for c in climates)
    assert sorted(ensemble_groups(climates)) == [("ssp245", "2041-2060"), ("ssp585", "2041-2060")]


def test_chelsa_files_are_read_in_month_order_and_converted(tmp_path: Path) -> None:
    stem = "CHELSA_gfdl-esm4_r1i1p1f1_w5e5_ssp370"
    for m in range(1, 13):
        _tif(tmp_path / f"{stem}_pr_{m:02d}_2041_2070_norm.tif", np.full((3, 4), 100.0 * m))
        _tif(tmp_path / f"{stem}_tasmin_{m:02d}_2041_2070_norm.tif", np.full((3, 4), 2900.0 + m))
        _tif(tmp_path / f"{stem}_tasmax_{m:02d}_2041_2070_norm.tif", np.full((3, 4), 3000.0))
    (climate,) = future_climates(str(tmp_path / "CHELSA_*.tif"))
    assert climate.product == CHELSA and climate.key is not None
    assert climate.key.label == "gfdl-esm4 ssp370 2041-2070"
    fields = climate.read(GRID)
    np.testing.assert_allclose(fields["prec"][:, 0, 0], np.arange(1, 13), rtol=1e-6)
    np.testing.assert_allclose(
        fields["tmin"][:, 1, 2], (2900.0 + np.arange(1, 13)) * 0.1 - KELVIN_C, atol=1e-3
    )


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["wc2.1_30s_prec_ACCESS-CM2_2041-2060.tif"], "not a known future climatology name"),
        (["rain_future.tif"], "expected wc2.1_<res>"),
        (["wc2.1_30s_prec_ACCESS-CM2_ssp245_2041-2060.tif"], "no tmin file"),
    ],
)
def test_bad_names_and_missing_variables_are_named(
    tmp_path: Path, names: list[str], message: str
) -> None:
    for n in names:
        _tif(tmp_path / n, np.ones((12, 3, 4)))
    with pytest.raises(ValueError, match=message) as err:
        future_climates(tmp_path)
    assert names[0].split("_")[0] in str(err.value) or "ACCESS-CM2" in str(err.value)


def test_a_missing_chelsa_month_is_named(tmp_path: Path) -> None:
    stem = "CHELSA_ukesm1-0-ll_r1i1p1f1_w5e5_ssp126"
    for var in ("pr", "tasmin", "tasmax"):
        for m in range(1, 13):
            if not (var == "pr" and m == 7):
                _tif(tmp_path / f"{stem}_{var}_{m:02d}_2011-2040_V.2.1.tif", np.ones((3, 4)))
    with pytest.raises(ValueError, match=r"ukesm1-0-ll ssp126 2011-2040: prec lacks month\(s\) 07"):
        future_climates(tmp_path)


def test_mismatched_gcm_sets_are_an_error(tmp_path: Path) -> None:
    _worldclim(tmp_path, ["ACCESS-CM2", "MPI-ESM1-2-HR"])
    _worldclim(tmp_path, ["ACCESS-CM2"], "ssp585")
    with pytest.raises(ValueError, match="only in the first: MPI-ESM1-2-HR"):
        future_climates(tmp_path)


def test_a_worldclim_file_without_twelve_bands_is_named(tmp_path: Path) -> None:
    _worldclim(tmp_path, ["ACCESS-CM2"])
    bad = _tif(tmp_path / "wc2.1_30s_tmax_ACCESS-CM2_ssp245_2041-2060.tif", np.ones((6, 3, 4)))
    (climate,) = future_climates(tmp_path)
    with pytest.raises(ValueError, match=f"{bad.name}: 6 band"):
        climate.read(GRID)


def test_reference_climatology_names(tmp_path: Path) -> None:
    for var in ("prec", "tmin", "tmax"):
        for m in range(1, 13):
            _tif(tmp_path / f"wc2.1_30s_{var}_{m:02d}.tif", np.full((3, 4), float(m)))
    ref = reference_climate(tmp_path)
    assert ref.product == WORLDCLIM and ref.key is None
    np.testing.assert_allclose(ref.read(GRID)["tmax"][:, 2, 3], np.arange(1, 13))
    (tmp_path / "wc2.1_30s_prec_05.tif").unlink()
    with pytest.raises(ValueError, match=r"prec lacks month\(s\) 05"):
        reference_climate(tmp_path)


def test_validation_names_a_future_set_that_does_not_fit(tiny: tuple[Path, dict[str, Any]]) -> None:
    root, cfg = tiny
    _worldclim(root / "futures", ["ACCESS-CM2"])
    (root / "futures" / "wc2.1_30s_tmax_ACCESS-CM2_ssp245_2041-2060.tif").unlink()
    toml = write_toml(cfg, root / "region.toml")
    toml.write_text(toml.read_text() + '\n[[futures]]\npath = "futures"\n')
    errors = [p for p in validate_region(root) if p.severity == "error"]
    assert [(p.layer, p.file) for p in errors] == [("futures[0]", "futures")]
    assert "ACCESS-CM2 ssp245 2041-2060: no tmax file" in errors[0].message
