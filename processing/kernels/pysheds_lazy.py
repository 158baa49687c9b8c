"""pysheds with its numba routines compiled when first called, not when imported.

pysheds 0.5 declares each of the 83 routines of ``pysheds._sgrid`` with an explicit numba
signature, and numba compiles a routine with a signature as it is declared. Importing
pysheds therefore compiled every routine (about 40 s of CPU on a first run, before any cache)
and, in every process, the 16 recursive ones numba cannot cache ("uses dynamic globals"):
about 3.5 s more for each ``landwater`` command or server that routes flow. Routing uses five
of them. :func:`load_sgrid` imports ``pysheds._sgrid`` with the signatures dropped, so numba
compiles (and caches) a routine for the argument types of its first call, as for any
``@njit`` function; pysheds passes the declared types, so the results are the same (checked
cell for cell against the compile at import on a 1,000 x 1,300 DEM: conditioned DEM,
directions, accumulation, upstream sums; and by every test against pysheds).

pysheds' ``count`` generator is compiled in each process instead of read from numba's cache:
numba cannot load a generator from its on-disk cache into a process that compiles a caller
of it (``KeyError: int64 generator(func=<function count ...>)``, numba #2868 family); it costs
well under a second to compile.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

_IMPORT_LOCK = threading.Lock()
SGRID = "pysheds._sgrid"


def load_sgrid() -> ModuleType:
    """``pysheds._sgrid``, imported with its routines compiled on first call (see the module).

    Call it before anything imports ``pysheds.grid`` or ``pysheds.sgrid`` in a process; once
    ``pysheds._sgrid`` is imported, later imports of pysheds reuse it. When something imported
    pysheds first, its routines stay compiled as they were; ``count`` is uncached either way.
    """
    with _IMPORT_LOCK:
        from numba.core.caching import NullCache

        if SGRID not in sys.modules:
            import numba

            eager = numba.njit

            def on_first_call(*args: Any, **options: Any) -> Callable[..., Any]:
                if args and not callable(args[0]):  # a signature: typed from the first call
                    return eager(**options)
                return eager(*args, **options)

            numba.njit = on_first_call  # type: ignore[assignment]
            try:
                import pysheds._sgrid  # noqa: F401
            finally:
                numba.njit = eager
        sgrid = sys.modules[SGRID]
        sgrid.count._cache = NullCache()
        return sgrid
