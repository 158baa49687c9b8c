"""pysheds with its numba routines compiled when first called, not when imported.

pysheds 0.5 declares each of the 83 routines of ``pysheds._sgrid`` and two of
``pysheds._sview`` (its coordinate maps) with an explicit numba signature, and numba compiles a
routine with a signature as it is declared. Importing pysheds therefore compiled every routine
(about 40 s of CPU on a first run, before any cache) and, in every process, those numba does
not cache: the 16 recursive ones of ``_sgrid`` ("uses dynamic globals") and the coordinate maps,
which pysheds declares without ``cache=True`` like every routine of ``_sview``. Routing calls
five of the recursive ones and both maps. :func:`load_sgrid` imports both modules with the
signatures dropped, so numba compiles (and caches where it can) a routine for the argument
types of its first call, as for any ``@njit`` function; pysheds passes the declared types, so
the results are the same (checked cell for cell against the compile at import on a
1,000 x 1,300 DEM: conditioned DEM, directions, accumulation, upstream sums; and by every test
against pysheds). The routines of ``_sview`` hold no recursion, so they are cached too: a
process that routes flow imports pysheds and routes a small DEM in 0.7 CPU-s instead of 1.45
(its cache warm).

pysheds' ``count`` generator is compiled in each process instead of read from numba's cache:
numba cannot load a generator from its on-disk cache into a process that compiles a caller
of it (``KeyError: int64 generator(func=<function count ...>)``, numba #2868 family); it costs
well under a second to compile.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

_IMPORT_LOCK = threading.Lock()
SGRID = "pysheds._sgrid"
SVIEW = "pysheds._sview"


def load_sgrid() -> ModuleType:
    """``pysheds._sgrid``, imported with its routines compiled on first call (see the module).

    ``pysheds._sview`` is imported likewise. Call it before anything imports ``pysheds.grid``
    or ``pysheds.sgrid`` in a process; once both are imported, later imports of pysheds reuse
    them. When something imported pysheds first, its routines stay compiled as they were;
    ``count`` is uncached either way.
    """
    with _IMPORT_LOCK:
        from numba.core.caching import NullCache

        for name in (SVIEW, SGRID):
            if name not in sys.modules:
                _import_lazily(name, cache=name == SVIEW)
        sgrid = sys.modules[SGRID]
        sgrid.count._cache = NullCache()
        return sgrid


def _import_lazily(name: str, *, cache: bool) -> None:
    """Import the pysheds module ``name`` with the signatures of its ``njit`` dropped.

    ``cache`` asks numba to cache every routine of it (those of ``_sview``, which pysheds
    declares uncached: they hold no recursion, so numba can).
    """
    import numba

    eager = numba.njit

    def on_first_call(*args: Any, **options: Any) -> Callable[..., Any]:
        if cache:
            options.setdefault("cache", True)
        if args and not callable(args[0]):  # a signature: typed from the first call
            return eager(**options)
        return eager(*args, **options)

    numba.njit = on_first_call
    try:
        importlib.import_module(name)
    finally:
        numba.njit = eager
