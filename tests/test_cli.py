from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.windows import Window

from landwater.cli import main
from layers.align import read_grid_window
from layers.region import load_region
from layers.registry import LayerRegistry


def test_validate_demo_exit_0(demo_region: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(demo_region)]) == 0
    assert "valid (0 error(s), 0 warning(s))" in capsys.readouterr().out


def test_broken_region_exit_1_names_each_file(
    demo_region: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(demo_region, broken, ignore=shutil.ignore_patterns(".cache"))
    (broken / "data" / "rainfall_monthly.tif").unlink()
    (broken / "data" / "land_use.tif").write_bytes(b"truncated")
    text = (
        (broken / "region.toml").read_text().replace('lat_field = "lat"', 'lat_field = "latitude"')
    )
    (broken / "region.toml").write_text(text)
    assert main(["validate", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "rainfall_monthly.tif: file not found" in out
    assert "land_use.tif: not a readable raster" in out
    assert "project_sites.csv: coordinate column(s) ['latitude'] not found" in out
    assert "INVALID (3 error(s)" in out


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["frobnicate"]) == 2
    assert main([]) == 2


def test_json_output(
    tiny: tuple[Path, dict[str, object]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = tiny
    (root / "data" / "rain.tif").unlink()
    assert main(["validate", str(root), "--json"]) == 1
    import json

    problems = json.loads(capsys.readouterr().out)
    assert problems[0]["layer"] == "rainfall" and problems[0]["file"].endswith("rain.tif")


@pytest.mark.slow
def test_console_script_demo_then_validate(
    tmp_path: Path, demo_region: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``landwater demo`` in its own process writes the session's demo again, bit for bit
    (the generator is deterministic), and the region validates; the next two commands run
    here (the console script is the same ``main``)."""
    exe = Path(sys.executable).parent / "landwater"
    out = tmp_path / "demo"
    demo = subprocess.run(
        [str(exe), "demo", "--out", str(out), "--seed", "42"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert demo.returncode == 0, demo.stderr
    for name in ("rainfall_monthly.tif", "tmin_monthly.tif"):
        with (
            rasterio.open(demo_region / "data" / name) as a,
            rasterio.open(out / "data" / name) as b,
        ):
            assert np.array_equal(a.read(), b.read(), equal_nan=True), name
    # the tests' demo holds these on its own grid (tests/demo_build.py): the same values
    # as the new demo's files read onto that grid
    grid = LayerRegistry(load_region(demo_region)).grid
    whole = Window(0, 0, grid.width, grid.height)
    for name, categorical in (("land_use.tif", True), ("dem.tif", False)):
        ours, new = (read_grid_window([d / "data" / name], grid, whole, categorical=categorical)
                     for d in (demo_region, out))  # fmt: skip
        assert np.array_equal(ours, new, equal_nan=True), name
    for name in ("project_sites.csv", "land_use_classes.csv"):
        assert (demo_region / "data" / name).read_text() == (out / "data" / name).read_text()
    assert main(["validate", str(out)]) == 0
    assert "valid (0 error(s), 0 warning(s))" in capsys.readouterr().out
    assert main(["demo", "--out", str(out)]) == 1
    assert "--force" in capsys.readouterr().err


def test_zonal_stat_names_match_the_engine() -> None:
    from landwater.cli import ALL_ZONAL_STATS
    from processing.zonal import ALL_STATS

    assert set(ALL_ZONAL_STATS) == set(ALL_STATS)


def test_process_progress_keeps_the_section_a_fix_names(
    demo_region: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Progress goes through rich: a warning's "[layers.tmin]" was swallowed as markup."""
    import processing.pipeline

    def fake_process(*_args: object, progress: Callable[[str], None], **_kw: object) -> Path:
        progress("no nodata value; set nodata = ... in [layers.tmin] if some cells are missing")
        return demo_region / "results"

    monkeypatch.setattr(processing.pipeline, "process_region", fake_process)
    assert main(["process", str(demo_region)]) == 0
    err = " ".join(capsys.readouterr().err.split())  # rich wraps long lines
    assert "set nodata = ... in [layers.tmin] if some" in err
