"""The processed demo every test on it copies, and numba's cache warmed while building it.

``make test`` builds it with ``python -m tests.demo_build DEST`` beside ruff and mypy, then runs
pytest with ``LANDWATER_TEST_DEMO=DEST``: the workers start on the tests at once and copy it.
Without that variable the first worker builds it (see ``tests/conftest.py``).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

TEST_DEMO_ENV = "LANDWATER_TEST_DEMO"
COMPLETE = "complete"


def build_processed_demo(dest: Path) -> Path:
    """Generate and process the demo (seed 42) into ``dest / "region"``; mark it complete.

    The site planner is opened once too: it aligns the climate, land-use and soil layers
    into the region's ``.cache`` (about 25 s), which every copy then reuses.

    Parameters
    ----------
    dest : Path
        Folder of the build; replaced when it holds an earlier one.

    Returns
    -------
    Path
        The region folder.

    """
    from layers.build.demo.generate import generate_demo
    from processing.pipeline import process_region
    from processing.sites import open_planner

    (dest / COMPLETE).unlink(missing_ok=True)
    region = dest / "region"
    generate_demo(region, seed=42, force=True)
    process_region(region)
    open_planner(region)
    (dest / COMPLETE).touch()
    return region


def prebuilt_region(dest: Path) -> Path:
    """The region of a finished build in ``dest``.

    Raises
    ------
    FileNotFoundError
        When the build in ``dest`` did not finish.

    """
    if not (dest / COMPLETE).exists():
        raise FileNotFoundError(
            f"{TEST_DEMO_ENV}={dest} holds no finished demo build: "
            f"run `python -m tests.demo_build {dest}` or unset {TEST_DEMO_ENV}"
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
    copying a warm one saves every worker pysheds' compile (about a minute on 2 cores).
    """
    if warm.is_dir() and not own.exists():
        shutil.copytree(warm, own)


if __name__ == "__main__":
    build_processed_demo(Path(sys.argv[1]).resolve())
