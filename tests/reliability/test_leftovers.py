"""What a run killed with ``kill -9`` leaves behind is removed by the next run (issue 20).

Leftovers are planted under the names a killed run leaves (its process id inside), with the
id of a process that has ended, beside ones of a live process (this test's own), which must
stay: a run writing now keeps its files.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from landwater.cli import main
from layers.io import atomic_path, remove_dead_leftovers, replace_folder
from tests.regionkit import tiny_region


@pytest.fixture(scope="module")
def dead_pid() -> int:
    """The id of a process that has run and ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _plant(folder: Path, name: str, is_dir: bool = False) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if is_dir:
        path.mkdir()
        (path / "communities.csv").write_text("half,written\n")
    else:
        path.write_bytes(b"II*\x00 half a raster")
    return path


def test_process_removes_a_dead_runs_store_and_aligned_files(tmp_path: Path, dead_pid: int) -> None:
    root = tmp_path / "region"
    tiny_region(root)
    aligned = root / ".cache" / "aligned"
    dead = [
        _plant(root, f".results.new-{dead_pid}-k2j4", is_dir=True),
        _plant(root, f".results.strips-{dead_pid}-x9", is_dir=True),
        _plant(aligned, f".rainfall.tmp-{dead_pid}-a1b2.tif"),
        _plant(aligned, f".tmin.tmp-{dead_pid}-c3d4bands-", is_dir=True),
    ]
    live = [
        _plant(root, f".results.new-{os.getpid()}-live", is_dir=True),
        _plant(aligned, f".tmax.tmp-{os.getpid()}-e5f6.tif"),
    ]
    mine = [_plant(root, ".results.notes"), _plant(aligned, ".keep-9999-x.tif")]
    assert main(["process", str(root)]) == 0
    assert [p for p in dead if p.exists()] == []
    assert all(p.exists() for p in live + mine)


def test_process_with_results_up_to_date_still_cleans(tmp_path: Path, dead_pid: int) -> None:
    root = tmp_path / "region"
    tiny_region(root)
    assert main(["process", str(root)]) == 0
    dead = _plant(root, f".results.new-{dead_pid}-k2j4", is_dir=True)
    assert main(["process", str(root)]) == 0  # "results are up to date"
    assert not dead.exists()


def test_export_removes_a_dead_runs_workbook(tmp_path: Path, dead_pid: int) -> None:
    from processing.pipeline import process_region

    root = tmp_path / "region"
    tiny_region(root)
    process_region(root)
    out = tmp_path / "out"
    dead = _plant(out, f".b.tmp-{dead_pid}-q8w7.xlsx")
    live = _plant(out, f".b.tmp-{os.getpid()}-r9t0.xlsx")
    assert main(["export", str(root), "-o", str(out / "b.xlsx")]) == 0
    assert not dead.exists() and live.exists() and (out / "b.xlsx").exists()


def test_a_folder_swap_removes_dead_builds(tmp_path: Path, dead_pid: int) -> None:
    """What ``landwater demo`` (and process, calibrate) build their folders with."""
    dead = _plant(tmp_path, f".out.new-{dead_pid}-z1", is_dir=True)
    live = _plant(tmp_path, f".out.new-{os.getpid()}-z2", is_dir=True)

    def build(tmp: Path) -> None:
        (tmp / "region.toml").write_text("x")

    replace_folder(tmp_path / "out", build)
    assert not dead.exists() and live.exists()
    assert (tmp_path / "out" / "region.toml").read_text() == "x"


def test_a_dead_swap_between_its_renames_is_recovered(tmp_path: Path, dead_pid: int) -> None:
    """Killed after moving the old folder aside and before moving the new one in."""
    old = tmp_path / f".out.old-{dead_pid}-y1" / "out"
    old.mkdir(parents=True)
    (old / "region.toml").write_text("previous")

    def fail(_tmp: Path) -> None:
        raise RuntimeError("build failed")

    with pytest.raises(RuntimeError):
        replace_folder(tmp_path / "out", fail)
    assert (tmp_path / "out" / "region.toml").read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_an_atomic_write_removes_dead_writers_of_its_target(tmp_path: Path, dead_pid: int) -> None:
    dead = _plant(tmp_path, f".table.tmp-{dead_pid}-abc.csv")
    other = _plant(tmp_path, f".other.tmp-{dead_pid}-abc.csv")  # another target's
    with atomic_path(tmp_path / "table.csv") as tmp:
        tmp.write_text("a\n")
    assert not dead.exists() and other.exists()
    assert remove_dead_leftovers(tmp_path, "") == [other]
