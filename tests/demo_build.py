"""The processed demo every test on it copies, and numba's cache warmed before the tests.

``make test`` first compiles the pysheds routines routing calls and the project's kernels into
numba's cache (``python -m tests.demo_build warm``, about 15 s, beside ruff and mypy): every
worker starts from a copy of that cache. It then
starts the demo build in the background (``python -m tests.demo_build start DEST``, which
returns once the build holds ``DEST.lock``) and runs pytest with ``LANDWATER_TEST_DEMO=DEST``:
the workers run the tests that need no demo meanwhile, and a test on the demo waits for the
lock, then copies the demo. Without that variable the first worker builds it under the same
kind of lock (see ``tests/conftest.py``).
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from layers.registry import RasterRole

TEST_DEMO_ENV = "LANDWATER_TEST_DEMO"
# the tests' demo is processed on a 60 m grid: a quarter of the 30 m demo's cells, the same
# communities and layers; its 30 m rasters (DEM, land use, soil) are resampled onto the grid
# once and written there, as `landwater init` writes a user's layers on the working grid, and
# its 0.01 degree climate rasters are warped onto the grid on every read
TEST_DEMO_RESOLUTION_M = 60.0
ON_GRID_ROLES: tuple[RasterRole, ...] = ("elevation", "land_use", "soil")
COMPLETE = "complete"
START_TIMEOUT_S = 120.0  # a background build that does not hold its lock by then failed


@contextlib.contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (released when the holder exits, even killed)."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def lock_of(dest: Path) -> Path:
    """The lock a build of ``dest`` holds while it runs."""
    return dest.with_name(dest.name + ".lock")


def build_processed_demo(dest: Path) -> Path:
    """Generate the demo (seed 42) into ``dest / "region"``, process it on a
    :data:`TEST_DEMO_RESOLUTION_M` grid and mark it complete.

    The site planner is opened once too: it aligns the climate, land-use and soil layers
    into the region's ``.cache`` (about 25 s), which every copy then reuses; so are the
    map's assets (hillshade, rainfall rasters, vector layers: about 1 s), which each server
    on a copy would otherwise write anew.

    Parameters
    ----------
    dest : Path
        Folder of the build; replaced when it holds an earlier one.

    Returns
    -------
    Path
        The region folder.

    """
    from dashboard.service import RegionService
    from layers.build.demo.generate import CELL_M, generate_demo
    from processing.pipeline import process_region
    from processing.sites import open_planner

    (dest / COMPLETE).unlink(missing_ok=True)
    region = dest / "region"
    generate_demo(region, seed=42, force=True)
    toml = region / "region.toml"
    text = toml.read_text()
    native = f"resolution_m = {CELL_M:g}\n"
    assert native in text, f"the demo's region.toml has no line {native!r}"
    toml.write_text(text.replace(native, f"resolution_m = {TEST_DEMO_RESOLUTION_M:g}\n", 1))
    write_on_grid(region, ON_GRID_ROLES)
    process_region(region)
    open_planner(region)
    RegionService(region).prepare()
    (dest / COMPLETE).touch()
    return region


def write_on_grid(region: Path, roles: tuple[RasterRole, ...]) -> None:
    """Replace the rasters of ``roles`` by their values on the region's working grid.

    Each is read onto the grid as processing reads it (GDAL's mode for classes, average for
    values) and written back in its file's type, nodata and tags, so processing then reads
    it in place, the same values without resampling each time.
    """
    import numpy as np
    import rasterio
    from rasterio.windows import Window

    from layers.align import CATEGORICAL_NODATA
    from layers.io import write_cog
    from layers.region import load_region
    from layers.registry import LayerRegistry

    reg = LayerRegistry(load_region(region))
    grid = reg.grid
    for role in roles:
        source = reg.source(role)
        (path,) = source.files
        with rasterio.open(path) as src:
            dtype, nodata, tags = src.dtypes[0], src.nodata, src.tags()
        assert nodata is not None, f"{path} declares no nodata value"
        values = source.read(grid, Window(0, 0, grid.width, grid.height))
        blank = values == CATEGORICAL_NODATA if source.categorical else np.isnan(values)
        values[blank] = nodata
        write_cog(path, values.astype(dtype), grid.crs, grid.transform, nodata, tags)


def warm_futures(region: Path) -> None:
    """Warm the designer up on a built demo as a server does.

    Its future climates' community inputs, suitability and crops go to the region's
    ``.cache/futures``, which every copy shares (:func:`copy_demo`; one process computes each
    GCM, the others wait for it and read it: :func:`processing.future_cache.one_writer`).
    """
    from dashboard.designer_service import DesignerService
    from dashboard.service import RegionService

    with tempfile.TemporaryDirectory() as ws:
        DesignerService(RegionService(region).prepare(), f"sqlite:///{ws}/ws.sqlite").warm_up()


def _futures_cache(region: Path) -> Path:
    """A region's folder of kept future climates."""
    from layers.region import CACHE_DIR_NAME
    from processing.future_cache import CACHE_FOLDER

    return region / CACHE_DIR_NAME / CACHE_FOLDER


def copy_demo(built: Path, own: Path) -> Path:
    """A worker's own copy of a built demo region, sharing the build's future-climate cache.

    The kept futures are keyed by the region's files and baseline
    (:mod:`processing.future_cache`), so a copy reads what the build or another worker
    computed, and a copy whose files a test changed gets keys of its own.
    """
    shared, mine = _futures_cache(built), _futures_cache(own)
    shutil.copytree(
        built, own, ignore=lambda d, _: {mine.name} if Path(d) == shared.parent else set()
    )
    shared.mkdir(parents=True, exist_ok=True)
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.symlink_to(shared, target_is_directory=True)
    return own


def prebuilt_region(dest: Path) -> Path:
    """The region of a finished build in ``dest``, once no build of it runs.

    Raises
    ------
    FileNotFoundError
        When the build in ``dest`` did not finish.

    """
    with exclusive(lock_of(dest)):
        done = (dest / COMPLETE).exists()
    if not done:
        raise FileNotFoundError(
            f"{TEST_DEMO_ENV}={dest} holds no finished demo build (its log: {dest}.log): "
            f"run `python -m tests.demo_build build {dest}` or unset {TEST_DEMO_ENV}"
        )
    return dest / "region"


def demo_corner(demo: Path, dest: Path) -> Path:
    """A copy of the demo's inputs with only its north-western communities (24 of 108).

    The working grid is the communities' extent, so the copy is a fifth of the demo's
    cells and processes in about 6 s instead of 15: for tests that run processing several
    times (crash safety) and need a real region, not the demo's numbers.
    """
    import geopandas as gpd

    skip = shutil.ignore_patterns("results", ".results*", ".cache", "*.sqlite*")
    shutil.copytree(demo, dest, ignore=skip)
    path = dest / "data" / "communities.gpkg"
    communities = gpd.read_file(path)
    centre = communities.geometry.centroid
    west, south, east, north = communities.total_bounds
    corner = (centre.x < west + 0.45 * (east - west)) & (centre.y > (south + north) / 2)
    communities[corner].to_file(path, layer="communities", driver="GPKG")
    return dest


def seed_numba_cache(warm: Path, own: Path) -> None:
    """Give a worker's empty numba cache the compiled functions of the demo build.

    Each worker keeps its own cache (two processes writing one cache at once is numba #8679);
    copying a warm one saves every worker the compile of what routing and processing call.
    """
    if warm.is_dir() and not own.exists():
        # the demo build may be writing it (numba renames each file into place): a file that
        # vanishes while copied is compiled again by the worker when needed
        with contextlib.suppress(shutil.Error):
            shutil.copytree(warm, own, ignore=shutil.ignore_patterns("*.tmp.*"))


def compile_kernels() -> None:
    """Process a tiny region: numba compiles the kernels of ``processing.kernels`` into its cache
    with the argument types processing gives them (no pysheds routine among them); then the
    paths the tiny region does not take (:func:`compile_other_paths`)."""
    from processing.pipeline import process_region
    from tests.regionkit import tiny_region

    with tempfile.TemporaryDirectory() as tmp:
        tiny_region(Path(tmp))
        process_region(Path(tmp))
    compile_other_paths()


def compile_other_paths() -> None:
    """Call, with the argument types processing gives them, the kernels the tiny region does not
    reach: those run in parallel above a size (units per block of the water balance, HRU-months
    and HRU-days of the runoff), the daily runoff, the best cell per unit of the suitability
    summary, and the zonal engine on each data type a raster comes in (continuous and by
    class, all bands and one). The demo build and every worker would otherwise compile them:
    about 5 s of CPU for the parallel paths and 7 s for the zonal engine, in each process."""
    import numpy as np
    from affine import Affine
    from geopandas import GeoDataFrame
    from shapely import box

    from processing.kernels.per_label import best_per_label
    from processing.kernels.runoff import PARALLEL_MIN_EVENTS, daily_hru_runoff_mm, hru_runoff_mm
    from processing.kernels.water_balance import UNIT_BLOCK, thornthwaite_mather
    from processing.zonal import ALL_STATS, zonal_stats

    units = UNIT_BLOCK + 1
    cn = np.full((units, 2), 75.0)
    share = np.full((units, 2), 0.5)
    steps = PARALLEL_MIN_EVENTS // share.size + 1  # months, then days, over the threshold
    rain = np.full((steps, units), 40.0)
    hru_runoff_mm(rain, cn, share, np.full(steps, 8.0))
    for days in (rain, rain[:62, :3]):  # parallel, then one thread
        daily_hru_runoff_mm(
            days,
            np.arange(len(days)) // 31,
            len(days) // 31 + 1,
            cn[: days.shape[1]],
            share[: days.shape[1]],
        )
    year = rain[:12]
    thornthwaite_mather(year, year * 1.2, year * 0.1, np.full(units, 100.0))
    labels = np.arange(units, dtype=np.int32) % 7
    best_per_label(labels, np.linspace(0.0, 1.0, units), np.arange(units, dtype=np.int64), 7)

    zones = GeoDataFrame(geometry=[box(0, 0, 5, 5), box(4, 4, 10, 10)], crs=32637)
    where = {"transform": Affine(1, 0, 0, 0, -1, 10), "crs": 32637, "nodata": 0}
    for dtype in ("uint8", "int16", "int32", "float32", "float64"):
        bands = (np.arange(200).reshape(2, 10, 10) % 7).astype(dtype)
        zonal_stats(bands, zones, stats=ALL_STATS, **where)
        zonal_stats(bands, zones, stats=ALL_STATS, band=2, **where)
        zonal_stats(bands, zones, categorical=True, **where)


def compile_pysheds_peers() -> None:
    """Run pysheds' own pipeline on a small DEM, as the tests that compare with pysheds do
    (pits, depressions, flats, directions, accumulation, snap, catchment), on a float DEM
    and on an integer one (an SRTM tile read by pysheds), so no worker compiles them."""
    import numpy as np
    from affine import Affine

    from processing.kernels.pysheds_lazy import load_sgrid

    load_sgrid()
    from pysheds.grid import Grid
    from pysheds.sview import Raster, ViewFinder

    dem = np.add.outer(np.arange(40.0), np.arange(50.0))
    dem[10:14, 20:24] -= 5.0
    for values, nodata in ((dem, np.nan), (dem.astype(np.int16), np.int16(-32768))):
        vf = ViewFinder(
            affine=Affine(60.0, 0.0, 0.0, 0.0, -60.0, 0.0), shape=dem.shape, nodata=nodata
        )
        grid = Grid(viewfinder=vf)
        raw = Raster(values, viewfinder=vf)
        fdir = grid.flowdir(grid.resolve_flats(grid.fill_depressions(grid.fill_pits(raw))))
        acc = grid.accumulation(fdir)
        grid.accumulation(fdir, weights=Raster(np.ones(dem.shape), viewfinder=vf))
        (x, y), *_ = grid.snap_to_mask(acc > 10, [(1500.0, -1200.0)])
        grid.catchment(x=x, y=y, fdir=fdir, xytype="coordinate")


def warm_numba() -> None:
    """Compile routing's pysheds routines and the project's kernels into numba's cache, and
    collect the tests once, before the workers start.

    Three processes share the two cores (with mypy):

    - this one routes a small DEM (``processing.kernels.hydrology.compile_routing``), which
      compiles the pysheds routines routing calls (about 10 s of CPU), then runs pysheds' own
      pipeline (:func:`compile_pysheds_peers`, about 9 s), then imports the dashboard outside
      pytest, for the plain bytecode of dash the servers and the CLI read;
    - one compiles the project's kernels (:func:`compile_kernels`, about 14 s of CPU, which the
      demo build and each worker would otherwise spend in part): numba writes one index file
      per function, and the two compile different functions;
    - one collects the tests (about 10 s), so the bytecode of what the workers import as they
      collect is written before they start, with pytest's rewritten asserts of the test
      modules and of its plugins' packages (dash, hypothesis): every worker would otherwise
      rewrite them at the same time, about 4.5 s of CPU each.

    Raises
    ------
    SystemExit
        When compiling the project's kernels or collecting the tests failed.
    """
    root = Path(__file__).resolve().parent.parent
    kernels = subprocess.Popen([sys.executable, "-m", "tests.demo_build", "kernels"])
    collect = subprocess.Popen(
        [sys.executable, "-m", "pytest", "--collect-only", "-qq", "-p", "no:cacheprovider"],
        cwd=root,
        stdout=subprocess.DEVNULL,
    )
    from processing.kernels.hydrology import compile_routing

    compile_routing()
    compile_pysheds_peers()
    importlib.import_module("dashboard.app")
    if kernels.wait() != 0:
        raise SystemExit(f"compiling the project's kernels failed (exit {kernels.returncode})")
    if collect.wait() != 0:
        raise SystemExit("collecting the tests failed: run pytest --collect-only to see why")


def start_build(dest: Path) -> None:
    """Build the demo into ``dest`` in a background process; return once it holds the lock.

    Raises
    ------
    RuntimeError
        When the build exits or does not take its lock within ``START_TIMEOUT_S``.

    """
    started = dest.with_name(dest.name + ".started")
    started.unlink(missing_ok=True)
    log = dest.with_name(dest.name + ".log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.demo_build", "build", str(dest)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    while not started.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the demo build did not start; its log: {log.name}")
        time.sleep(0.05)


def _build_locked(dest: Path) -> None:
    with exclusive(lock_of(dest)):
        dest.with_name(dest.name + ".started").touch()
        region = build_processed_demo(dest)
    warm_futures(region)  # after the lock: the workers start on the demo meanwhile


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "warm":
        warm_numba()
    elif command == "kernels":
        compile_kernels()
    elif command == "start":
        start_build(Path(sys.argv[2]).resolve())
    elif command == "build":
        _build_locked(Path(sys.argv[2]).resolve())
    else:
        raise SystemExit(
            "usage: python -m tests.demo_build warm | kernels | start DEST | build DEST"
        )
