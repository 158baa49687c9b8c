"""Crash safety: ``kill -9`` a ``landwater process`` run and a server computing results at
random moments (bounded loops); the results store and the workspace are never corrupt and
the next run recovers."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import rasterio

from landwater.cli import main
from layers.io import replace_folder
from layers.workspace import Workspace
from processing.pipeline import process_region
from processing.results_store import RASTER_VARIABLES, ResultsStore
from tests.demo_build import demo_corner

pytestmark = pytest.mark.slow
ROUNDS = 3


def assert_store_complete_or_absent(results: Path) -> bool:
    """True when a complete store is there, False when none is; fails on a partial one."""
    if not results.exists():
        return False
    store = ResultsStore(results)
    assert store.manifest.get("fingerprint")
    for level in ("communities", "watersheds"):
        assert len(store.summary(level)) > 0
        assert len(store.monthly(level)) > 0
    for v in RASTER_VARIABLES:
        with rasterio.open(store.raster_path(v)) as ds:
            ds.read(1, window=((0, 8), (0, 8)))
    return True


@pytest.fixture(scope="module")
def corner(demo_region: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fifth of the demo (its north-western communities), processed: each run is ~6 s."""
    region = demo_corner(demo_region, tmp_path_factory.mktemp("corner") / "region")
    process_region(region)
    return region


@pytest.fixture
def region(corner: Path, tmp_path: Path) -> Path:
    root = tmp_path / "region"
    shutil.copytree(corner, root, ignore=shutil.ignore_patterns("workspace.sqlite*"))
    return root


def _kill_later(proc: subprocess.Popen[bytes], rng: random.Random, lo: float, hi: float) -> None:
    time.sleep(rng.uniform(lo, hi))
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def test_kill_9_during_process(region: Path) -> None:
    rng = random.Random(11)
    ws = Workspace.for_region(region)
    ws.save_shortlist("kept", [{"lon": 37.3, "lat": -1.5}], intervention="farm_ponds")
    cmd = [sys.executable, "-m", "landwater", "process", str(region), "--force"]
    complete = 0
    # first, a kill in the middle of writing the store (its half-built folder exists)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not list(region.glob(".results.new-*")) and proc.poll() is None:
        time.sleep(0.01)
    assert list(region.glob(".results.new-*")), "the run ended and the store was never seen"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    complete += assert_store_complete_or_absent(region / "results")
    # then at random moments
    for _ in range(ROUNDS - 1):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _kill_later(proc, rng, 0.5, 6.0)
        complete += assert_store_complete_or_absent(region / "results")
    assert complete >= 1  # the previous store survives kills (or a new one was finished)
    assert main(cmd[3:]) == 0  # the next run, here: the same command, no interpreter to start
    assert assert_store_complete_or_absent(region / "results")
    # the next run removed what the killed ones left: half-built stores, half-aligned layers
    assert not [p.name for p in region.glob(".results.*")]
    assert not [p.name for p in (region / ".cache" / "aligned").glob(".*")]
    assert ws.integrity_ok() and [s.name for s in ws.list_shortlists()] == ["kept"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_kill_9_server_computing_results(region: Path) -> None:
    """The server starts computing missing results on a thread; it is killed meanwhile."""
    rng = random.Random(5)
    shutil.rmtree(region / "results")
    for _ in range(ROUNDS - 1):
        cmd = [
            sys.executable, "-m", "landwater", "serve", str(region),
            "--no-process", "--port", str(_free_port()),
        ]  # fmt: skip
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _kill_later(proc, rng, 2.0, 9.0)
        assert_store_complete_or_absent(region / "results")
    # the next run (here: the same command, no interpreter to start) recovers: processing
    # completes and the store is whole
    assert main(["process", str(region)]) == 0
    assert assert_store_complete_or_absent(region / "results")


def test_swap_interrupted_between_renames_is_restored(tmp_path: Path) -> None:
    """A kill between the two renames of the swap leaves the old folder aside: restored."""
    target = tmp_path / "results"
    old = tmp_path / ".results.old.abc"
    (old / "results").mkdir(parents=True)
    (old / "results" / "manifest.json").write_text("{}")

    def fail(_tmp: Path) -> None:
        raise RuntimeError("build failed")

    with pytest.raises(RuntimeError):
        replace_folder(target, fail)
    assert (target / "manifest.json").read_text() == "{}"


def test_kill_9_during_blockwise_process(region: Path) -> None:
    """A block-wise run killed while it writes raster strips leaves the previous store as it
    was and, once the next run starts, no scratch files; the next run completes."""
    out = region / "results"
    before = (out / "manifest.json").read_bytes()
    cmd = [sys.executable, "-m", "landwater", "process", str(region), "--blockwise", "--force"]
    cmd += ["--block-rows", "128"]  # five strips: killed after the first, then all five
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    strips: list[Path] = []
    while proc.poll() is None:
        strips = list(region.glob(".results.strips-*/*.tif"))
        if strips:
            break
        time.sleep(0.01)
    assert strips, "the raster strips were never being written"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert assert_store_complete_or_absent(out)  # the previous store, untouched
    assert (out / "manifest.json").read_bytes() == before
    assert list(region.glob(".results.strips-*"))  # the killed run's scratch
    assert main(cmd[3:]) == 0  # the next run, here
    assert not list(region.glob(".results.strips-*"))  # removed by the next run
    assert assert_store_complete_or_absent(out)
    assert ResultsStore(out).manifest["mode"] == "blockwise"
    with rasterio.open(out / "rasters" / "deficit_mm_yr.tif") as ds:
        # GDAL's COG driver adds overviews down to its 512-pixel blocks
        assert ds.overviews(1) or max(ds.shape) <= 512
        assert float(np.nanmax(ds.read(1, out_shape=(8, 8)))) > 0
