"""Flow routing and pysheds' priority flood in a fresh process whose numba cache holds pysheds'
``count`` but not the flood.

That state (a first run stopped mid-compile, a cache copied while written) made every later
``landwater init`` fail with ``KeyError: int64 generator(func=<function count ...>)``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

# count cached as a plain ``import pysheds`` leaves it (pysheds_lazy compiles it each process)
CACHE_COUNT = """
from numba.core.caching import FunctionCache
from processing.kernels.pysheds_lazy import load_sgrid
count = load_sgrid().count
count._cache = FunctionCache(count.py_func)
next(count())
"""
ROUTE = """
import numpy as np
from affine import Affine
from processing.kernels.hydrology import route_flow
from processing.kernels.pysheds_lazy import load_sgrid
dem = np.add.outer(np.arange(20.0), np.arange(30.0))
dem[8:11, 12:15] -= 5.0  # a pit for the priority flood to fill
r = route_flow(dem, Affine(30, 0, 0, 0, -30, 600))
load_sgrid()
from pysheds.grid import Grid
from pysheds.sview import Raster, ViewFinder
vf = ViewFinder(affine=Affine(30, 0, 0, 0, -30, 600), shape=dem.shape, nodata=np.nan)
grid = Grid(viewfinder=vf)
filled = grid.fill_depressions(grid.fill_pits(Raster(dem, viewfinder=vf)))  # a caller of count
assert (np.asarray(filled) >= dem).all() and (np.asarray(filled) > dem).any()
print(int(r.acc_cells.max()))
"""


def _run(code: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )


def test_route_flow_when_only_the_generator_is_cached(tmp_path: Path) -> None:
    warm = Path(os.environ["NUMBA_CACHE_DIR"])
    cache = tmp_path / "numba-cache"
    if warm.is_dir():
        shutil.copytree(warm, cache, ignore=shutil.ignore_patterns("*.tmp.*"))
    for stale in cache.glob("*/_sgrid._priority_flood-*"):
        stale.unlink()
    primed = _run(CACHE_COUNT, cache)
    assert primed.returncode == 0, primed.stderr
    assert list(cache.glob("*/_sgrid.count-*.nbi")), "count was not cached: the test proves nothing"

    routed = _run(ROUTE, cache)

    assert routed.returncode == 0, routed.stderr[-2000:]
    assert int(routed.stdout.split()[-1]) == 20 * 30
