"""Process-wide numpy settings, made before numpy is imported.

numpy asks the kernel for transparent huge pages on every large array. On virtual machines
that fault them in slowly (this project's 2-core Debian VM), ``landwater process`` on the
demo took 27-29 s with them and 13-16 s without (system time 12-16 s against 2.5-5 s);
the water-balance kernels alone gain about 5 % from them. They are off unless the user
sets ``NUMPY_MADVISE_HUGEPAGE`` (``1`` turns them back on). Child processes (Dask
workers, background computations) inherit the setting through the environment.
"""

from __future__ import annotations

import os

HUGE_PAGES_ENV = "NUMPY_MADVISE_HUGEPAGE"


def default_to_small_pages() -> None:
    """Turn numpy's huge pages off unless the environment says otherwise.

    Takes effect only when called before numpy is first imported.
    """
    os.environ.setdefault(HUGE_PAGES_ENV, "0")
