"""Shared fixtures, markers and settings of the suite.

Lanes: ``make test`` runs everything; ``make test-fast`` skips tests marked ``slow`` (more than
about 3 s, or needing the processed demo) and ``browser`` (every test under tests/browser).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests import pg_cluster
from tests.demo_build import (
    COMPLETE,
    TEST_DEMO_ENV,
    build_processed_demo,
    copy_demo,
    exclusive,
    lock_of,
    prebuilt_region,
    seed_numba_cache,
)
from tests.pg_cluster import PgCluster
from tests.regionkit import SHARED_DATA, tiny_region

ROOT = Path(__file__).resolve().parents[1]

# numba's on-disk cache (pysheds compiles with cache=True on first use) kept per checkout, set
# before anything imports numba: the default cache beside pysheds in site-packages is shared by
# every checkout using the venv, and a cache rewritten by a concurrent run made
# pysheds' priority flood fail to compile (KeyError in numba's get_generator_impl; numba #8679).
# Subprocesses (landwater serve/demo/process) inherit it.
# Each xdist worker has its own: two workers compiling into one cache at once is that race.
# A worker sets its own even when the variable is set, since the workers inherit the
# controller's (which loads this file first).
NUMBA_CACHES = ROOT / "var" / "numba-cache"
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _WORKER or "NUMBA_CACHE_DIR" not in os.environ:
    os.environ["NUMBA_CACHE_DIR"] = str(NUMBA_CACHES / (_WORKER or "main"))
seed_numba_cache(NUMBA_CACHES / "build", Path(os.environ["NUMBA_CACHE_DIR"]))

# Property tests: the same examples in every run (no flaky new failures under CI), no deadline
# (a loaded 2-core machine is slow at random). ``--hypothesis-profile=explore`` searches anew.
_PROFILE = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("landwater", derandomize=True, **_PROFILE)
settings.register_profile("explore", **_PROFILE)
settings.load_profile("landwater")

BROWSER_DIR = Path(__file__).resolve().parent / "browser"


# the session's demo costs about a minute on a 2-core machine (generation, pysheds, processing)
DEMO_FIXTURES = {"demo_region", "processed_demo", "demo_planner"}

# The files that take longest under ``make test`` (``--durations`` on a fresh clone), longest
# first. xdist hands out whole files (``--dist loadfile``) in the order given here: a long file
# started last would keep one worker busy after the others have finished. The first three,
# one per worker, need no demo: every worker computes while the demo builds (a worker that
# started on a file on the demo waited 14-24 s for it under load)
LONGEST_FILES = (
    "test_init_realdata.py",
    "test_init_byod.py",
    "processing/test_zonal_shared_cells.py",
    "processing/test_blockwise.py",
    "reliability/test_crash.py",
    "browser/test_designer.py",
    "browser/test_map.py",
    "browser/test_map_canvas.py",
    "browser/test_design_errors.py",
    "processing/test_scenario.py",
    "processing/test_future_suitability.py",  # four GCMs on the whole demo grid
    "test_cli_design.py",
    "browser/test_design_view.py",
    "browser/test_keyboard.py",
    "processing/test_daily_runoff.py",
    "layers/test_outlets.py",
    "dashboard/test_designer.py",
    "processing/test_calibration.py",
    "test_cli.py",
    "reliability/test_disks.py",
    "layers/test_workspace.py",  # writers in subprocesses, on SQLite and on PostgreSQL
    "reliability/test_workspace_servers.py",  # two gunicorn servers
    "test_init_outlets.py",
    "browser/test_languages.py",
    "browser/test_map_context.py",
)
TESTS_DIR = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    """Keep the order of :func:`pytest_collection_modifyitems` under xdist.

    xdist's ``--dist loadfile`` otherwise sorts the files by their number of tests, which
    says little about their time (a file of four crash tests takes minutes).
    """
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser is ``browser``; every test on the demo is ``slow``.

    Order for xdist: the longest files first (:data:`LONGEST_FILES`, the first of each worker
    one that needs no demo, so no worker waits for its build), then the files that need no
    demo, then the other files on the demo.
    """
    on_demo: set[Path] = set()
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
            on_demo.add(item.path)
        if DEMO_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
            on_demo.add(item.path)
    longest = {TESTS_DIR / name: rank for rank, name in enumerate(LONGEST_FILES)}

    def rank(item: pytest.Item) -> int:
        path = Path(str(item.path))
        if path in longest:
            return longest[path]
        return len(longest) + (item.path in on_demo)

    # stable: the files keep their order within each part
    items.sort(key=rank)


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A small valid region in tmp_path and its config dict (edit, then write_toml)."""
    root = tmp_path / "tiny"
    return root, tiny_region(root)


def _run_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder every worker of this run shares (the session's own when not under xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def demo_region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo region with its results store, built once per run and copied per worker.

    ``make test`` builds it in the background as pytest starts (``LANDWATER_TEST_DEMO``; a test
    on the demo waits for the build's lock); otherwise the first worker to ask generates and
    processes it under a lock. Each worker then works on its own
    copy, so a test that reprocesses it or a server that writes its workspace never changes
    another worker's files. Shared read-only within a worker: a test that changes a region
    copies it (``shutil.copytree``, cheap).
    """
    if os.environ.get(TEST_DEMO_ENV):
        built = prebuilt_region(Path(os.environ[TEST_DEMO_ENV]))
    else:
        dest = _run_root(tmp_path_factory) / "demo-built"
        with exclusive(lock_of(dest)):
            if not (dest / COMPLETE).exists():
                build_processed_demo(dest)
        built = prebuilt_region(dest)
    return copy_demo(built, tmp_path_factory.mktemp("demo") / "region")


@pytest.fixture(scope="session")
def processed_demo(demo_region: Path) -> Path:
    """The demo region with its results store (see :func:`demo_region`)."""
    return demo_region


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real-data folder {SHARED_DATA} is absent (expected beside the project)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def demo_planner(processed_demo: Path) -> Any:
    """A SitePlanner on the processed demo region, built once per session."""
    from processing.sites import open_planner

    return open_planner(processed_demo)


@pytest.fixture(scope="session")
def postgis_cluster() -> Iterator[PgCluster]:
    """The run's throwaway PostgreSQL + PostGIS server (skips when it cannot start here)."""
    reason = pg_cluster.unavailable_reason()
    if reason is not None:
        pytest.skip(f"no PostgreSQL + PostGIS test server: {reason}")
    cluster = pg_cluster.attach()
    try:
        yield cluster
    finally:
        cluster.detach()


@pytest.fixture
def postgis_url(postgis_cluster: PgCluster) -> Iterator[str]:
    """A fresh PostGIS database of the test server, dropped after the test."""
    url = postgis_cluster.new_database()
    try:
        yield url
    finally:
        postgis_cluster.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def workspace_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The team workspace's URL: ``tmp_path/workspace.sqlite``, then a PostGIS database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workspace.sqlite'}"
    return str(request.getfixturevalue("postgis_url"))
